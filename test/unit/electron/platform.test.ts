// The Electron Platform: openExternal's refusals, the safeStorage key provider (strong only with an OS
// secret store; basic_text/unknown/unavailable → weak protection, never "encrypted"), dialogs and data dir.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkExternalUrl } from '../../../src/main/electron/external-url.ts';
import {
  createElectronPlatform,
  electronKeyProvider,
  localUserDataDir,
  safeStorageState,
} from '../../../src/main/electron/platform.ts';
import { KEY_FILE } from '../../../src/main/store/key-file-provider.ts';
import { freshDir } from '../../helpers/temp-dir.ts';
import { fakeSafeStorage } from './fake-electron.ts';

interface Win {
  readonly name: string;
}

function platform(
  options: {
    os?: NodeJS.Platform;
    env?: NodeJS.ProcessEnv;
    save?: { canceled: boolean; filePath?: string };
    open?: { canceled: boolean; filePaths: string[] };
    window?: Win | null;
    storage?: ReturnType<typeof fakeSafeStorage>;
  } = {},
) {
  const opened: string[] = [];
  const dialogs: { kind: string; window: Win; options: unknown }[] = [];
  const userData = freshDir('tokenscope-userdata-');
  const p = createElectronPlatform<Win>({
    app: { getPath: (name) => (name === 'userData' ? userData : '/home/u/Documents') },
    safeStorage: options.storage ?? fakeSafeStorage(),
    shell: { openExternal: (url) => (opened.push(url), Promise.resolve()) },
    dialog: {
      showSaveDialog: (window, o) => (
        dialogs.push({ kind: 'save', window, options: o }),
        Promise.resolve(options.save ?? { canceled: true })
      ),
      showOpenDialog: (window, o) => (
        dialogs.push({ kind: 'open', window, options: o }),
        Promise.resolve(options.open ?? { canceled: true, filePaths: [] })
      ),
    },
    window: () => (options.window === undefined ? { name: 'main' } : options.window),
    env: options.env ?? {},
    os: options.os ?? 'linux',
  });
  return { p, opened, dialogs, userData };
}

async function refusal(p: ReturnType<typeof platform>['p'], url: string): Promise<{ code: string; reason: unknown } | null> {
  try {
    await p.openExternal(url);
    return null;
  } catch (e) {
    const err = e as { code: string; detail?: { reason?: unknown } };
    return { code: err.code, reason: err.detail?.reason };
  }
}

describe('openExternal', () => {
  it('opens https URLs and http to a loopback address (the demo issuer)', async () => {
    const { p, opened } = platform();
    await p.openExternal('https://issuer.example.com/authorize?client_id=a&state=b');
    await p.openExternal('http://127.0.0.1:49152/authorize');
    await p.openExternal('http://localhost:3000/');
    await p.openExternal('http://[::1]:3000/');
    expect(opened).toEqual([
      'https://issuer.example.com/authorize?client_id=a&state=b',
      'http://127.0.0.1:49152/authorize',
      'http://localhost:3000/',
      'http://[::1]:3000/',
    ]);
  });

  it.each([
    ['file:///etc/passwd', 'scheme'],
    ['javascript:alert(document.cookie)', 'scheme'],
    ['smb://attacker.test/share', 'scheme'],
    ['data:text/html,<script>alert(1)</script>', 'scheme'],
    ['ms-msdt:/id PCWDiagnostic', 'scheme'],
    ['http://issuer.example.com/authorize', 'not-loopback'],
    ['http://127.0.0.1.attacker.test/', 'not-loopback'],
    ['https://issuer.example.com.attacker.test/authorize', 'look-alike'],
    ['https://login.example.org.evil.co/authorize', 'look-alike'],
    ['https://issuer.example.com@attacker.test/', 'credentials'],
    ['https://xn--ssuer-3ta.example.com/', 'punycode'],
    ['not a url', 'malformed'],
  ])('refuses %s (%s) with ERR_EXTERNAL_URL_REFUSED and never calls the shell', async (url, reason) => {
    const { p, opened } = platform();
    expect(await refusal(p, url)).toEqual({ code: 'ERR_EXTERNAL_URL_REFUSED', reason });
    expect(opened).toEqual([]);
  });
});

describe('external URL policy', () => {
  it('a host that merely starts with an expected host is a look-alike; the host itself and its own subdomains are not', () => {
    const policy = { expectedHosts: ['issuer.example'] };
    expect(checkExternalUrl('https://issuer.example/', policy).ok).toBe(true);
    expect(checkExternalUrl('https://login.issuer.example/', policy).ok).toBe(true);
    expect(checkExternalUrl('https://issuer.example.attacker.test/', policy)).toEqual({ ok: false, reason: 'look-alike' });
    expect(checkExternalUrl('https://issuer.example-login.test/', policy)).toEqual({ ok: false, reason: 'look-alike' });
  });

  it('property: any expected host followed by a dot and more labels is refused', () => {
    const label = fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/);
    fc.assert(
      fc.property(
        fc.array(label, { minLength: 2, maxLength: 4 }),
        fc.array(label, { minLength: 1, maxLength: 3 }),
        (expected, extra) => {
          const host = expected.join('.');
          const verdict = checkExternalUrl(`https://${host}.${extra.join('.')}/x`, { expectedHosts: [host] });
          expect(verdict).toEqual({ ok: false, reason: 'look-alike' });
        },
      ),
    );
  });

  it('common real issuers pass', () => {
    for (const url of [
      'https://accounts.google.com/o/oauth2/v2/auth',
      'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
      'https://example.co.uk/auth',
      'https://dev-123.okta.com/oauth2/default/v1/authorize',
    ]) {
      expect(checkExternalUrl(url)).toEqual({ ok: true, url });
    }
  });

  it('links clicked in the window may not use http even to loopback', () => {
    expect(checkExternalUrl('http://127.0.0.1:8080/', { allowLoopbackHttp: false })).toEqual({
      ok: false,
      reason: 'not-loopback',
    });
  });
});

describe('key provider', () => {
  it('an OS secret store (gnome_libsecret) is strong protection through safeStorage', async () => {
    const storage = fakeSafeStorage('gnome_libsecret');
    const provider = electronKeyProvider(storage, freshDir(), 'linux');
    expect(provider.info).toEqual({ backend: 'safeStorage:gnome_libsecret', keyProtection: 'os-keychain' });
    const key = new Uint8Array([1, 2, 3, 250]);
    const wrapped = await provider.wrap(key);
    expect(storage.decryptString(Buffer.from(wrapped))).toBe(Buffer.from(key).toString('base64'));
    expect(await provider.unwrap(wrapped)).toEqual(key);
    await expect(provider.unwrap(new Uint8Array([9, 9, 9]))).rejects.toMatchObject({ code: 'ERR_DECRYPT_FAILED' });
  });

  it.each(['basic_text', 'unknown'])(
    'safeStorage backend %s gives the weak-protection choice, not "encrypted"',
    async (backend) => {
      const dir = freshDir();
      const provider = electronKeyProvider(fakeSafeStorage(backend), dir, 'linux');
      expect(provider.info).toMatchObject({ keyProtection: 'key-file', keychainMissing: true });
      expect(provider.info.backend).not.toMatch(/^safeStorage:/);
      expect(provider.info.backend).toContain(backend);
      // The key still goes somewhere private (the 0600 key file), and round-trips.
      const key = new Uint8Array(32).fill(7);
      expect(await provider.unwrap(await provider.wrap(key))).toEqual(key);
      expect(existsSync(join(dir, KEY_FILE))).toBe(true);
    },
  );

  it('no encryption available at all is weak protection too', () => {
    const provider = electronKeyProvider(fakeSafeStorage('gnome_libsecret', false), freshDir(), 'linux');
    expect(provider.info).toEqual({
      backend: 'key-file (safeStorage: unavailable)',
      keyProtection: 'key-file',
      keychainMissing: true,
    });
  });

  it('macOS and Windows use the keychain / DPAPI (no backend query there)', () => {
    expect(safeStorageState(fakeSafeStorage('unknown'), 'darwin')).toEqual({ kind: 'strong', backend: 'keychain' });
    expect(safeStorageState(fakeSafeStorage('unknown'), 'win32')).toEqual({ kind: 'strong', backend: 'dpapi' });
  });

  it('the platform reports the selected backend through keyProvider().info', async () => {
    expect((await platform({ storage: fakeSafeStorage('basic_text') }).p.keyProvider()).info).toEqual({
      backend: 'key-file (safeStorage: basic_text)',
      keyProtection: 'key-file',
      keychainMissing: true,
    });
    expect((await platform({ storage: fakeSafeStorage('kwallet6') }).p.keyProvider()).info).toEqual({
      backend: 'safeStorage:kwallet6',
      keyProtection: 'os-keychain',
    });
    expect((await platform({ os: 'darwin', storage: fakeSafeStorage('unknown') }).p.keyProvider()).info).toEqual({
      backend: 'safeStorage:keychain',
      keyProtection: 'os-keychain',
    });
  });

  it('TOKENSCOPE_PASSPHRASE selects the passphrase provider, as in serve and the CLI', async () => {
    const { p } = platform({ env: { TOKENSCOPE_PASSPHRASE: 'correct horse battery staple' } });
    expect((await p.keyProvider()).info).toEqual({ backend: 'passphrase', keyProtection: 'passphrase' });
  });
});

describe('dialogs and data dir', () => {
  it('export asks for a save path next to the documents folder; cancel is null', async () => {
    const chosen = platform({ save: { canceled: false, filePath: '/tmp/tokens.json' } });
    expect(await chosen.p.chooseSavePath?.('tokens.json')).toBe('/tmp/tokens.json');
    expect(chosen.dialogs).toEqual([
      {
        kind: 'save',
        window: { name: 'main' },
        options: { title: 'Export tokens', defaultPath: join('/home/u/Documents', 'tokens.json') },
      },
    ]);
    const cancelled = platform({ save: { canceled: true } });
    expect(await cancelled.p.chooseSavePath?.('tokens.json')).toBeNull();
  });

  it('a suggested name cannot walk out of the documents folder', async () => {
    const { p, dialogs } = platform({ save: { canceled: true } });
    await p.chooseSavePath?.('../../etc/passwd');
    expect((dialogs[0]?.options as { defaultPath: string }).defaultPath).toBe(join('/home/u/Documents', '.._.._etc_passwd'));
  });

  it('import asks for one file; cancel or no window is null', async () => {
    const chosen = platform({ open: { canceled: false, filePaths: ['/tmp/in.json'] } });
    expect(await chosen.p.chooseOpenPath?.()).toBe('/tmp/in.json');
    expect(chosen.dialogs[0]?.options).toEqual({ title: 'Import tokens', properties: ['openFile'] });
    expect(await platform({ open: { canceled: true, filePaths: [] } }).p.chooseOpenPath?.()).toBeNull();
    expect(await platform({ window: null }).p.chooseOpenPath?.()).toBeNull();
  });

  it("the data dir is Electron's userData unless TOKENSCOPE_DATA_DIR overrides it", () => {
    const plain = platform();
    expect(plain.p.dataDir).toBe(plain.userData);
    expect(plain.p.mode).toBe('electron');
    expect(platform({ env: { TOKENSCOPE_DATA_DIR: '/tmp/elsewhere' } }).p.dataDir).toBe('/tmp/elsewhere');
  });
});

describe('the desktop data dir on Windows', () => {
  const roaming = 'C:\\Users\\ada\\AppData\\Roaming\\Tokenscope';
  it('is under %LOCALAPPDATA% (not synced), keeping the app folder name', () => {
    expect(localUserDataDir(roaming, { LOCALAPPDATA: 'D:\\Local' }, 'win32')).toBe('D:\\Local\\Tokenscope');
    // without the variable: the Local folder beside Roaming
    expect(localUserDataDir(roaming, {}, 'win32')).toBe('C:\\Users\\ada\\AppData\\Local\\Tokenscope');
  });
  it("is Electron's own elsewhere and with TOKENSCOPE_DATA_DIR", () => {
    expect(localUserDataDir('/home/ada/.config/Tokenscope', {}, 'linux')).toBeNull();
    expect(localUserDataDir('/Users/ada/Library/Application Support/Tokenscope', {}, 'darwin')).toBeNull();
    expect(localUserDataDir(roaming, { TOKENSCOPE_DATA_DIR: 'E:\\t' }, 'win32')).toBeNull();
  });
});

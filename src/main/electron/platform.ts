/**
 * The Platform for the desktop app: Electron's userData dir (or TOKENSCOPE_DATA_DIR), shell.openExternal
 * behind the external-URL policy, safeStorage for the data key, native save/open dialogs.
 */
import { join, win32 } from 'node:path';
import type { KeyProvider, Platform } from '../platform.ts';
import { TokenscopeError } from '../../shared/result.ts';
import { keyFileProvider, passphraseProvider } from '../store/key-file-provider.ts';
import type { DialogLike, SafeStorageLike, ShellLike } from './electron-like.ts';
import { checkExternalUrl } from './external-url.ts';

export interface ElectronPlatformDeps<W> {
  readonly app: { getPath(name: 'userData' | 'documents'): string };
  readonly safeStorage: SafeStorageLike;
  readonly shell: ShellLike;
  readonly dialog: DialogLike<W>;
  /** The window dialogs are attached to. */
  readonly window: () => W | null;
  readonly env?: NodeJS.ProcessEnv;
  /** process.platform unless a test says otherwise (safeStorage backends differ per OS). */
  readonly os?: NodeJS.Platform;
  readonly now?: () => number;
  /** Hosts of configured issuers, for the look-alike check. */
  readonly expectedHosts?: () => readonly string[];
}

export function electronDataDir(app: ElectronPlatformDeps<unknown>['app'], env: NodeJS.ProcessEnv = process.env): string {
  const override = env['TOKENSCOPE_DATA_DIR'];
  return override ? override : app.getPath('userData');
}

/**
 * Where the desktop app keeps its data on Windows: under %LOCALAPPDATA% (Local: never synced with a roaming profile),
 * not Electron's default userData under %APPDATA% (Roaming: copied to every machine the user signs in to). Null on
 * other systems and with TOKENSCOPE_DATA_DIR (Electron's default is right there).
 */
export function localUserDataDir(roamingUserData: string, env: NodeJS.ProcessEnv, os: NodeJS.Platform): string | null {
  if (os !== 'win32' || env['TOKENSCOPE_DATA_DIR']) return null;
  const local = env['LOCALAPPDATA'] ?? win32.join(win32.dirname(win32.dirname(roamingUserData)), 'Local');
  return win32.join(local, win32.basename(roamingUserData));
}

/** safeStorage backends that do not protect the key with an OS secret store. */
const WEAK_BACKENDS = new Set(['basic_text', 'unknown']);

export type SafeStorageState =
  { readonly kind: 'strong'; readonly backend: string } | { readonly kind: 'weak'; readonly backend: string };

export function safeStorageState(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): SafeStorageState {
  if (!safeStorage.isEncryptionAvailable()) return { kind: 'weak', backend: 'unavailable' };
  if (platform !== 'linux') return { kind: 'strong', backend: platform === 'darwin' ? 'keychain' : 'dpapi' };
  const selected = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
  return WEAK_BACKENDS.has(selected) ? { kind: 'weak', backend: selected } : { kind: 'strong', backend: selected };
}

/** Wraps the data key with safeStorage (OS keychain / libsecret / kwallet / DPAPI). */
export function safeStorageKeyProvider(safeStorage: SafeStorageLike, backend: string): KeyProvider {
  return {
    info: { backend: `safeStorage:${backend}`, keyProtection: 'os-keychain' },
    wrap(dataKey) {
      const sealed = safeStorage.encryptString(Buffer.from(dataKey).toString('base64'));
      return Promise.resolve(new Uint8Array(sealed));
    },
    unwrap(wrapped) {
      try {
        const text = safeStorage.decryptString(Buffer.from(wrapped));
        return Promise.resolve(new Uint8Array(Buffer.from(text, 'base64')));
      } catch {
        return Promise.reject(new TokenscopeError('ERR_DECRYPT_FAILED', 'the OS secret store cannot unwrap the stored data key'));
      }
    },
  };
}

/**
 * The key provider for this machine. With an OS secret store, safeStorage. Without one (Linux basic_text
 * or unknown, or no encryption at all) safeStorage would only obfuscate with a built-in password, so the
 * key goes to the 0600 key file and the provider says `keychainMissing: true`: the store and UI warn, never claim
 * encryption.
 */
export function electronKeyProvider(
  safeStorage: SafeStorageLike,
  dataDir: string,
  platform: NodeJS.Platform = process.platform,
): KeyProvider {
  const state = safeStorageState(safeStorage, platform);
  if (state.kind === 'strong') return safeStorageKeyProvider(safeStorage, state.backend);
  const file = keyFileProvider(dataDir);
  return {
    info: { backend: `key-file (safeStorage: ${state.backend})`, keyProtection: 'key-file', keychainMissing: true },
    wrap: (dataKey) => file.wrap(dataKey),
    unwrap: (wrapped) => file.unwrap(wrapped),
  };
}

export function createElectronPlatform<W>(deps: ElectronPlatformDeps<W>): Platform {
  const env = deps.env ?? process.env;
  const dataDir = electronDataDir(deps.app, env);
  let provider: KeyProvider | undefined;
  return {
    mode: 'electron',
    dataDir,
    async openExternal(url) {
      const verdict = checkExternalUrl(url, { expectedHosts: deps.expectedHosts?.() ?? [], allowLoopbackHttp: true });
      if (!verdict.ok) {
        throw new TokenscopeError('ERR_EXTERNAL_URL_REFUSED', 'only https: URLs (or http: to this machine) are opened', {
          reason: verdict.reason,
        });
      }
      // electronegativity-ignore OPEN_EXTERNAL_JS_CHECK: checked just above by checkExternalUrl (https, or http to loopback; no look-alike host)
      await deps.shell.openExternal(verdict.url);
    },
    keyProvider() {
      // Electron's safeStorage only works after app 'ready'; the back end is created after it.
      // TOKENSCOPE_PASSPHRASE works in the desktop app exactly as in serve and the CLI.
      const passphrase = env['TOKENSCOPE_PASSPHRASE'];
      provider ??= passphrase
        ? passphraseProvider(passphrase, dataDir)
        : electronKeyProvider(deps.safeStorage, dataDir, deps.os ?? process.platform);
      return Promise.resolve(provider);
    },
    async chooseSavePath(suggestedName) {
      const win = deps.window();
      if (!win) return null;
      const result = await deps.dialog.showSaveDialog(win, {
        title: 'Export tokens',
        defaultPath: join(deps.app.getPath('documents'), suggestedName.replace(/[/\\]/g, '_')),
      });
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async chooseOpenPath() {
      const win = deps.window();
      if (!win) return null;
      const result = await deps.dialog.showOpenDialog(win, { title: 'Import tokens', properties: ['openFile'] });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    now: deps.now ?? Date.now,
  };
}

// The weak-protection choice end to end through the contract: an Electron platform whose safeStorage
// backend is basic_text (Linux without a keyring) → nothing on disk until the user chooses; "weak"
// carries the session's tokens to disk; "session" (optionally wiping the disk) keeps them in memory only.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Platform } from '../../../src/main/platform.ts';
import { PROTECTION_FILE } from '../../../src/main/history/protection.ts';
import { createServices } from '../../../src/main/services.ts';
import { DATABASE_FILE } from '../../../src/main/store/index.ts';
import type { TokenscopeBackend } from '../../../src/shared/api.ts';
import type { Result } from '../../../src/shared/result.ts';
import { freshDir } from '../../helpers/temp-dir.ts';
import { testPlatform } from '../../helpers/test-platform.ts';
import { fakeElectronPlatform } from '../electron/fake-electron.ts';

const TOKEN = 'opaque-access-token-for-the-protection-test-0123456789';
const TOKEN_2 = 'second-opaque-access-token-for-the-protection-test-987';

const electronPlatform = fakeElectronPlatform;

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

let open: TokenscopeBackend[] = [];
async function start(platform: Platform): Promise<TokenscopeBackend> {
  const b = await createServices(platform);
  open.push(b);
  return b;
}
afterEach(async () => {
  for (const b of open) await b.close();
  open = [];
});

describe('weak key protection (safeStorage basic_text)', () => {
  it('keeps the history in memory until the user chooses, and says so', async () => {
    const userData = freshDir('tokenscope-userdata-');
    const b = await start(electronPlatform(userData, 'basic_text'));
    const status = value(await b.storageStatus());
    expect(status).toMatchObject({ protection: 'session', choiceNeeded: true, keyProtection: 'memory', keyBackend: 'memory' });
    expect(status.diskKeyBackend).toBe('key-file (safeStorage: basic_text)');
    value(await b.saveToken({ text: TOKEN }));
    expect(value(await b.listTokens({})).items).toHaveLength(1);
    // The demo issuer follows the history: in memory too.
    expect(value(await b.ensureDemoIssuer()).issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // Nothing about the token reached the disk: no database file at all, no demo issuer state.
    expect(existsSync(join(userData, DATABASE_FILE))).toBe(false);
    expect(existsSync(join(userData, 'demo-issuer'))).toBe(false);
    await b.close();
    open = [];
    const again = await start(electronPlatform(userData, 'basic_text'));
    expect(value(await again.listTokens({})).items).toHaveLength(0);
    expect(value(await again.storageStatus()).choiceNeeded).toBe(true);
  });

  it('"weak" carries the session to disk, is remembered, and never claims strong protection', async () => {
    const userData = freshDir('tokenscope-userdata-');
    const b = await start(electronPlatform(userData, 'basic_text'));
    value(await b.saveToken({ text: TOKEN }));
    const switched = value(await b.setProtection({ choice: 'weak' }));
    expect(switched.carriedOver).toBe(1);
    expect(switched.status).toMatchObject({ protection: 'weak', choiceNeeded: false, keyProtection: 'key-file', tokenCount: 1 });
    expect(switched.status.keyBackend).toBe('key-file (safeStorage: basic_text)');
    // The carried-over value is still readable, and the one-time copy file is gone.
    const [item] = value(await b.listTokens({})).items;
    expect(value(await b.revealToken(item?.id ?? '')).value).toBe(TOKEN);
    expect(readdirSync(userData).filter((f) => f.includes('session-copy'))).toEqual([]);
    expect(JSON.parse(readFileSync(join(userData, PROTECTION_FILE), 'utf8'))).toMatchObject({ choice: 'weak' });
    // Still encrypted at rest, even with the weak key.
    await b.close();
    open = [];
    expect(readFileSync(join(userData, DATABASE_FILE)).includes(Buffer.from(TOKEN))).toBe(false);
    const again = await start(electronPlatform(userData, 'basic_text'));
    expect(value(await again.storageStatus())).toMatchObject({ protection: 'weak', choiceNeeded: false, tokenCount: 1 });
  });

  it('profiles made during the session come along (even with no token yet), without a second demo profile', async () => {
    const userData = freshDir('tokenscope-userdata-');
    const b = await start(electronPlatform(userData, 'basic_text'));
    // The Flows screen lists the profiles first (which seeds the demo profile).
    expect(value(await b.listProfiles()).map((p) => p.name)).toEqual(['Demo issuer (local)']);
    const made = value(
      await b.saveProfile({
        name: 'Staging login',
        settings: { issuer: 'https://login.example.com', clientId: 'staging-app', authMethod: 'client_secret_basic' },
        clientSecret: 'staging-client-secret-0123456789',
      }),
    );
    value(await b.setProtection({ choice: 'weak' }));
    await b.close();
    open = [];
    expect(readFileSync(join(userData, DATABASE_FILE)).includes(Buffer.from('staging-client-secret-0123456789'))).toBe(false);
    const again = await start(electronPlatform(userData, 'basic_text'));
    const profiles = value(await again.listProfiles());
    expect(profiles.find((p) => p.id === made.id)).toMatchObject({ name: 'Staging login', hasClientSecret: true });
    const names = profiles.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('Demo issuer (local)');

    // Back to session-only and to disk again: the disk's demo profile stays the only one, and a token the
    // session linked to its own demo profile now points at the disk's.
    value(await again.setProtection({ choice: 'session' }));
    const sessionDemo = value(await again.listProfiles()).find((p) => p.name === 'Demo issuer (local)');
    value(await again.saveToken({ text: TOKEN_2, profileId: sessionDemo?.id }));
    value(await again.setProtection({ choice: 'weak' }));
    const after = value(await again.listProfiles());
    const demos = after.filter((p) => p.name === 'Demo issuer (local)');
    expect(demos).toHaveLength(1);
    expect(demos[0]?.id).toBe(profiles.find((p) => p.name === 'Demo issuer (local)')?.id);
    const [carried] = value(await again.listTokens({})).items;
    expect(carried?.profileId).toBe(demos[0]?.id);
  });

  it('"session" from weak storage wipes the disk only when asked', async () => {
    const userData = freshDir('tokenscope-userdata-');
    const b = await start(electronPlatform(userData, 'basic_text'));
    value(await b.setProtection({ choice: 'weak' }));
    value(await b.saveToken({ text: TOKEN }));
    value(await b.saveToken({ text: TOKEN_2 }));
    const kept = value(await b.setProtection({ choice: 'session' }));
    expect(kept).toMatchObject({ wipedFromDisk: 0, status: { protection: 'session', tokenCount: 0 } });
    value(await b.setProtection({ choice: 'weak' }));
    expect(value(await b.storageStatus()).tokenCount).toBe(2);
    const wiped = value(await b.setProtection({ choice: 'session', wipeDisk: true }));
    expect(wiped.wipedFromDisk).toBe(2);
    await b.close();
    open = [];
    const again = await start(electronPlatform(userData, 'basic_text'));
    expect(value(await again.storageStatus())).toMatchObject({ protection: 'session', choiceNeeded: false, tokenCount: 0 });
    value(await again.setProtection({ choice: 'weak' }));
    expect(value(await again.storageStatus()).tokenCount).toBe(0);
  });

  it('a system keychain needs no choice: on disk, and setProtection is refused', async () => {
    const b = await start(electronPlatform(freshDir('tokenscope-userdata-'), 'gnome_libsecret'));
    expect(value(await b.storageStatus())).toMatchObject({
      protection: 'disk',
      choiceNeeded: false,
      keyProtection: 'os-keychain',
      protectionName: { kind: 'os-keychain', label: 'OS keychain (strong)', weak: false },
    });
    const r = await b.setProtection({ choice: 'session' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('ERR_INVALID_ARGUMENT');
    const serve = await start(testPlatform());
    // serve's key file sits next to the database: on disk with nothing to choose, and named weak, as Electron's fallback is.
    expect(value(await serve.storageStatus())).toMatchObject({
      protection: 'disk',
      keyBackend: 'key-file',
      protectionName: { kind: 'key-file', label: 'key file on the same disk (weak)', weak: true },
    });
  });

  it('a bad choice is a clear error and changes nothing', async () => {
    const b = await start(electronPlatform(freshDir('tokenscope-userdata-'), 'unknown'));
    value(await b.saveToken({ text: TOKEN }));
    const r = await b.setProtection({ choice: 'disk' as 'weak' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('ERR_INVALID_ARGUMENT');
    expect(value(await b.storageStatus())).toMatchObject({ protection: 'session', choiceNeeded: true, tokenCount: 1 });
  });
});

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodePlatform } from '../../../src/main/node-platform.ts';
import Database from 'better-sqlite3';
import type { KeyProvider } from '../../../src/main/platform.ts';
import { DATABASE_FILE, LOCK_FILE, openStore, openStoreWith, type Store } from '../../../src/main/store/index.ts';
import { aesKeyProvider, KEY_FILE, keyFileProvider, memoryKeyProvider } from '../../../src/main/store/key-file-provider.ts';
import { TokenscopeError } from '../../../src/shared/result.ts';
import { freshDir } from '../../helpers/temp-dir.ts';
import { testPlatform } from '../../helpers/test-platform.ts';
import { accessJwt, jwt, opaque } from '../../fixtures/store/helpers.ts';

const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

async function openIn(dir: string, env: NodeJS.ProcessEnv = {}): Promise<Store> {
  const s = await openStore(createNodePlatform({ mode: 'test', dataDir: dir, env }));
  stores.push(s);
  return s;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e instanceof TokenscopeError ? e.code : 'other';
  }
}

function dbFiles(dir: string): Buffer[] {
  return ['', '-wal', '-shm']
    .map((s) => join(dir, `${DATABASE_FILE}${s}`))
    .filter((f) => existsSync(f))
    .map((f) => readFileSync(f));
}

function hits(files: Buffer[], secrets: string[]): string[] {
  return secrets.filter((s) => files.some((bytes) => bytes.includes(Buffer.from(s, 'utf8'))));
}

describe('secrets at rest', () => {
  it('no token value or client secret can be found in the raw bytes of the .db, -wal and -shm files', async () => {
    const dir = freshDir();
    const store = await openIn(dir);
    const secrets: string[] = [];
    const now = Date.now();
    const profileId = store.saveProfile({
      name: 'Prod AS',
      settings: { issuer: 'https://issuer.example', clientId: 'cli-app' },
      secrets: {
        clientSecret: (secrets[secrets.length] = `cs_${randomBytes(24).toString('hex')}`),
        privateKeyPem: (secrets[secrets.length] = `-----BEGIN PRIVATE KEY-----${randomBytes(64).toString('base64')}`),
      },
    });
    // One transaction for the bulk (one fsync); the deletions and status changes below are their own.
    store.write(() => {
      for (let i = 0; i < 200; i++) {
        const grantId = store.createGrant({
          profileId,
          grantType: 'authorization_code',
          issuer: 'https://issuer.example',
          clientId: 'cli-app',
        });
        const at = accessJwt(now, { sub: `user-${String(i)}` });
        const rt = opaque('rt');
        const idt = jwt({ iss: 'https://issuer.example', sub: `user-${String(i)}`, nonce: randomBytes(8).toString('hex') });
        secrets.push(at, rt, idt);
        for (const [value, kind] of [
          [at, 'access_token'],
          [rt, 'refresh_token'],
          [idt, 'id_token'],
        ] as const) {
          store.saveToken({ value, kind, format: 'rfc6749.TokenResponse', grantId, profileId, source: 'authorization_code' });
        }
        // Even an exchange a caller forgot to mask does not put a token in the file.
        store.addExchange({
          grantId,
          method: 'POST',
          url: 'https://issuer.example/token',
          status: 200,
          requestHeaders: { authorization: `Basic ${Buffer.from(`cli-app:${secrets[0] ?? ''}`).toString('base64')}` },
          requestBody: `grant_type=refresh_token&refresh_token=${rt}`,
          responseHeaders: {},
          responseBody: JSON.stringify({ access_token: at, refresh_token: rt, id_token: idt }),
          durationMs: 5,
          startedAtMs: now,
        });
      }
    });
    // Rotations and deletions leave freed pages behind: they must not hold values either.
    const some = store.listTokens({ limit: 50 }).items;
    store.deleteTokens(some.slice(0, 20).map((t) => t.id));
    for (const t of some.slice(20)) store.setTokenStatus(t.id, 'superseded');
    // while open (the WAL holds the recent pages)...
    expect(dbFiles(dir).length).toBeGreaterThanOrEqual(2);
    expect(hits(dbFiles(dir), secrets)).toEqual([]);
    // ...and after close
    store.close();
    expect(hits(dbFiles(dir), secrets)).toEqual([]);
    // sanity: the values are really in there, encrypted
    const again = await openIn(dir);
    expect(again.count()).toBe(600 - 20);
  });

  it('rows sealed with a later key that is gone are unreadable with ERR_DECRYPT_FAILED; re-obtaining a token makes it readable again', async () => {
    const dir = freshDir();
    // A history from before the own-key check: its first key is the key file's, a second data key was added under
    // another key-encryption key (a key file from elsewhere) and sealed what follows.
    (await openIn(dir)).close();
    stores.splice(0);
    const ownKey = keyFileProvider(dir);
    const otherKey = aesKeyProvider(randomBytes(32), { backend: 'key-file', keyProtection: 'key-file' });
    const raw = new Database(join(dir, DATABASE_FILE));
    raw
      .prepare('INSERT INTO data_keys (wrapped, backend, created_at_ms) VALUES (?, ?, ?)')
      .run(Buffer.from(await otherKey.wrap(new Uint8Array(randomBytes(32)))), 'key-file', Date.now());
    raw.close();
    const both: KeyProvider = {
      info: ownKey.info,
      wrap: (k) => otherKey.wrap(k),
      unwrap: (w) => otherKey.unwrap(w).catch(() => ownKey.unwrap(w)),
    };
    const first = await openStoreWith(dir, both);
    stores.push(first);
    const value = opaque('at');
    const other = opaque('rt');
    const { id } = first.saveToken({ value, kind: 'access_token', format: 'opaque', source: 'x' });
    const { id: otherId } = first.saveToken({ value: other, kind: 'refresh_token', format: 'opaque', source: 'x' });
    first.setTokenStatus(otherId, 'revoked');
    const profileId = first.saveProfile({ name: 'p', settings: { a: 1 }, secrets: { clientSecret: 'x' } });
    first.addExchange({
      flowId: 'f',
      method: 'GET',
      url: 'https://x.example',
      status: 200,
      requestHeaders: {},
      requestBody: null,
      responseHeaders: {},
      responseBody: 'body',
      durationMs: 1,
      startedAtMs: 1,
    });
    first.close();
    stores.splice(stores.indexOf(first), 1);
    // opened with its own key only: the second key is gone
    const moved = await openIn(dir);
    expect(moved.storageStatus().unreadableCount).toBe(2);
    const page = moved.listTokens({});
    expect(page.items.map((t) => t.status)).toEqual(['unreadable', 'unreadable']);
    expect(page.counts?.unreadable).toBe(2);
    expect(codeOf(() => moved.getTokenValue(id))).toBe('ERR_DECRYPT_FAILED');
    expect(moved.getToken(id).readable).toBe(false);
    expect(codeOf(() => moved.getProfile(profileId))).toBe('ERR_DECRYPT_FAILED');
    expect(moved.listProfiles()[0]?.name).toBe('p');
    expect(moved.listExchanges({ flowId: 'f' })[0]).toMatchObject({ status: 200, responseBody: null });
    expect(moved.getEvents({})[0]?.type).toBe('decrypt-failed');
    // re-obtained (the same value arrives again): readable, status back
    expect(moved.saveToken({ value, kind: 'access_token', format: 'opaque', source: 'x' })).toEqual({ id, created: false });
    expect(moved.getTokenValue(id)).toBe(value);
    expect(moved.getTokenSummary(id)?.status).toBe('active');
    moved.close();
    stores.splice(stores.indexOf(moved), 1);
    // the other key comes back: its rows are readable again, with the status they had
    const home = await openStoreWith(dir, both);
    stores.push(home);
    expect(home.getTokenValue(otherId)).toBe(other);
    expect(home.getTokenSummary(otherId)?.status).toBe('revoked');
    expect(home.getProfile(profileId)?.secrets).toEqual({ clientSecret: 'x' });
  });

  it('with TOKENSCOPE_PASSPHRASE the key comes from the passphrase; a wrong one is ERR_WRONG_PASSPHRASE', async () => {
    const dir = freshDir();
    const a = await openIn(dir, { TOKENSCOPE_PASSPHRASE: 'right passphrase' });
    expect(a.storageStatus()).toMatchObject({ keyBackend: 'passphrase', keyProtection: 'passphrase' });
    const { id } = a.saveToken({ value: opaque(), kind: 'access_token', format: 'x', source: 'x' });
    a.close();
    stores.splice(stores.indexOf(a), 1);
    await expect(openIn(dir, { TOKENSCOPE_PASSPHRASE: 'wrong passphrase' })).rejects.toMatchObject({
      code: 'ERR_WRONG_PASSPHRASE',
    });
    const again = await openIn(dir, { TOKENSCOPE_PASSPHRASE: 'right passphrase' });
    expect(again.getTokenSummary(id)?.status).toBe('active');
  });
});

describe('key file', () => {
  it('is created with mode 0600; a damaged one is ERR_KEY_UNAVAILABLE, not a silent new key', async () => {
    const dir = freshDir();
    (await openIn(dir)).close();
    stores.splice(0);
    expect(statSync(join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    writeFileSync(join(dir, KEY_FILE), 'short');
    await expect(openIn(dir)).rejects.toMatchObject({ code: 'ERR_KEY_UNAVAILABLE' });
  });
});

describe('session-only key', () => {
  it('values sealed with a memory key are unreadable after a restart, and say so', async () => {
    const dir = freshDir();
    const platform = { ...testPlatform({ dataDir: dir }), keyProvider: () => Promise.resolve(memoryKeyProvider()) };
    const a = await openStore(platform);
    const { id } = a.saveToken({ value: opaque(), kind: 'access_token', format: 'x', source: 'x' });
    expect(a.storageStatus().keyBackend).toBe('memory');
    a.close();
    const b = await openStore(platform);
    stores.push(b);
    expect(codeOf(() => b.getTokenValue(id))).toBe('ERR_DECRYPT_FAILED');
    expect(b.getTokenSummary(id)?.status).toBe('unreadable');
  });
});

describe('lock file', () => {
  it('a second open of the same history is ERR_STORE_LOCKED until the first closes', async () => {
    const dir = freshDir();
    const first = await openIn(dir);
    let code: string | undefined;
    try {
      await openIn(dir);
    } catch (e) {
      code = (e as TokenscopeError).code;
    }
    expect(code).toBe('ERR_STORE_LOCKED');
    first.close();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    await expect(openIn(dir)).resolves.toBeDefined();
  });

  it('a lock left by a process that is gone (or garbage) is taken over', async () => {
    const dir = freshDir();
    (await openIn(dir)).close();
    stores.splice(0);
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 2 ** 22 + 12345, mode: 'serve', startedAtMs: 0 }));
    (await openIn(dir)).close();
    stores.splice(0);
    writeFileSync(join(dir, LOCK_FILE), 'garbage');
    await expect(openIn(dir)).resolves.toBeDefined();
  });

  it('a lock from before this boot is stale even when its pid is alive now', async () => {
    const dir = freshDir();
    (await openIn(dir)).close();
    stores.splice(0);
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid, mode: 'serve', startedAtMs: 0 }));
    await expect(openIn(dir)).resolves.toBeDefined();
    stores.splice(0).forEach((s) => s.close());
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid, mode: 'serve', startedAtMs: Date.now() }));
    await expect(openIn(dir)).rejects.toMatchObject({ code: 'ERR_STORE_LOCKED' });
  });

  it('an in-memory store takes no lock', async () => {
    const s = await openStore({ ...testPlatform(), dataDir: ':memory:' });
    stores.push(s);
    s.saveToken({ value: opaque(), kind: 'access_token', format: 'x', source: 'x' });
    expect(s.count()).toBe(1);
  });
});

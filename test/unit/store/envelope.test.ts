import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { aesKeyProvider } from '../../../src/main/store/key-file-provider.ts';
import { Keyring, tokenHash } from '../../../src/main/store/envelope.ts';
import { migrate } from '../../../src/main/store/migrations/index.ts';
import { TokenscopeError } from '../../../src/shared/result.ts';

const dbs: Database.Database[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

function memoryDb(): Database.Database {
  const db = new Database(':memory:');
  migrate(db);
  dbs.push(db);
  return db;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e instanceof TokenscopeError ? e.code : 'other';
  }
}

const provider = (kek = randomBytes(32)) => aesKeyProvider(kek, { backend: 'test', keyProtection: 'key-file' });

describe('Keyring (envelope encryption)', () => {
  it('creates one wrapped data key on first load and reuses it after', async () => {
    const db = memoryDb();
    const p = provider();
    const a = await new Keyring().load(db, p, 1);
    const b = await new Keyring().load(db, p, 2);
    expect(a.usable).toEqual([a.current]);
    expect(b.current).toBe(a.current);
    expect(db.prepare('SELECT count(*) AS n FROM data_keys').get()).toEqual({ n: 1 });
  });

  it('seals with AES-256-GCM: random IV per value, opens only with the same context', async () => {
    const db = memoryDb();
    const k = new Keyring();
    await k.load(db, provider(), 1);
    const a = k.seal('secret-value', 'token:1');
    const b = k.seal('secret-value', 'token:1');
    expect(a.equals(b)).toBe(false);
    expect(a.includes(Buffer.from('secret-value'))).toBe(false);
    expect(k.openText(a, 'token:1')).toBe('secret-value');
    expect(codeOf(() => k.open(a, 'token:2'))).toBe('ERR_DECRYPT_FAILED');
  });

  it('every sealed value gets its own IV, across refills of the IV pool, and opens again', async () => {
    const db = memoryDb();
    const k = new Keyring();
    await k.load(db, provider(), 1);
    const ivs = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const sealed = k.seal(`value-${String(i)}`, `token:${String(i)}`);
      ivs.add(sealed.subarray(5, 17).toString('hex'));
      expect(k.openText(sealed, `token:${String(i)}`)).toBe(`value-${String(i)}`);
    }
    expect(ivs.size).toBe(2000);
  });

  it('a flipped bit or a truncated value is ERR_DECRYPT_FAILED, never garbage', async () => {
    const db = memoryDb();
    const k = new Keyring();
    await k.load(db, provider(), 1);
    const sealed = k.seal('secret-value', 'c');
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
    expect(codeOf(() => k.open(flipped, 'c'))).toBe('ERR_DECRYPT_FAILED');
    expect(codeOf(() => k.open(sealed.subarray(0, 10), 'c'))).toBe('ERR_DECRYPT_FAILED');
  });

  it('with another key-encryption key the history is refused (no second data key); a memory key makes a new one', async () => {
    const db = memoryDb();
    await new Keyring().load(db, provider(), 1);
    const count = () => (db.prepare('SELECT count(*) AS n FROM data_keys').get() as { n: number }).n;
    await expect(new Keyring().load(db, provider(), 2)).rejects.toMatchObject({ code: 'ERR_KEY_UNAVAILABLE' });
    const passphrase = aesKeyProvider(randomBytes(32), { backend: 'passphrase', keyProtection: 'passphrase' });
    await expect(new Keyring().load(db, passphrase, 2)).rejects.toMatchObject({ code: 'ERR_WRONG_PASSPHRASE' });
    expect(count()).toBe(1);
    // a key that lives only in memory is gone after a restart by design: its rows become unreadable
    const memory = (kek = randomBytes(32)) => aesKeyProvider(kek, { backend: 'memory', keyProtection: 'memory' });
    const mdb = memoryDb();
    const first = new Keyring();
    await first.load(mdb, memory(), 1);
    const sealed = first.seal('v', 'c');
    const second = new Keyring();
    const status = await second.load(mdb, memory(), 2);
    expect(status.failed).toHaveLength(1);
    expect(status.current).not.toBe(status.failed[0]);
    expect(codeOf(() => second.open(sealed, 'c'))).toBe('ERR_DECRYPT_FAILED');
    expect(second.openText(second.seal('w', 'c'), 'c')).toBe('w');
  });

  it('a history with a later key that is gone opens with its first key; rows of the gone key are unreadable', async () => {
    const db = memoryDb();
    const own = provider();
    await new Keyring().load(db, own, 1);
    const other = provider();
    // a second data key wrapped by another key (as the open before this check added one)
    db.prepare('INSERT INTO data_keys (wrapped, backend, created_at_ms) VALUES (?, ?, ?)').run(
      Buffer.from(await other.wrap(new Uint8Array(randomBytes(32)))),
      'test',
      2,
    );
    const status = await new Keyring().load(db, own, 3);
    expect(status).toEqual({ usable: [1], failed: [2], current: 1 });
  });
});

describe('hash and mask', () => {
  it('tokenHash is the hex SHA-256 of the UTF-8 value', () => {
    expect(tokenHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

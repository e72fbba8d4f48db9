import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodePlatform } from '../../../src/main/node-platform.ts';
import { DATABASE_FILE, openStore, type Store } from '../../../src/main/store/index.ts';
import { KEY_FILE, SALT_FILE } from '../../../src/main/store/key-file-provider.ts';
import { freshDir } from '../../helpers/temp-dir.ts';
import { jwt } from '../../fixtures/store/helpers.ts';

const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) if (!s.isClosed) s.close();
});

async function openIn(dir: string, env: NodeJS.ProcessEnv = {}): Promise<Store> {
  const s = await openStore(createNodePlatform({ mode: 'test', dataDir: dir, env }));
  stores.push(s);
  return s;
}

/** Which of `needles` occur anywhere in the bytes of any file of the data dir (db, -wal, -shm, key, salt, lock). */
function foundOnDisk(dir: string, needles: readonly string[]): string[] {
  const files = readdirSync(dir).map((f) => readFileSync(join(dir, f)));
  return needles.filter((n) =>
    [Buffer.from(n, 'utf8'), Buffer.from(n.toLowerCase(), 'utf8')].some((b) => files.some((bytes) => bytes.includes(b))),
  );
}

function mode(file: string): string {
  return (statSync(file).mode & 0o777).toString(8);
}

/** A unique word: nothing else in the history or the schema spells it. */
function word(prefix: string): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

describe('nothing readable on disk', () => {
  it('claims (an email, a name, a nonce) are in no file of the data dir; search still finds them and the profile name', async () => {
    const dir = freshDir();
    const store = await openIn(dir);
    const local = word('mailbox');
    const email = `${local}@corp${randomBytes(3).toString('hex')}.example`;
    const family = word('Family');
    const name = `Alice ${family}`;
    const nonce = word('nonce');
    const claimName = word('custom_claim_');
    const profileName = `Team ${word('Gateway')}`;
    const profileId = store.saveProfile({ name: profileName, settings: { issuer: 'https://issuer.example' }, secrets: {} });
    const ids = store.write(() =>
      Array.from({ length: 50 }, (_, i) => {
        const claims = {
          iss: 'https://issuer.example',
          sub: `a1b2c3d4-0000-4000-8000-${String(i).padStart(12, '0')}`,
          aud: 'cli-app',
          email: i === 7 ? email : `someone${String(i)}@other.example`,
          name: i === 7 ? name : `Bob ${String(i)}`,
          nonce: i === 7 ? nonce : `n${String(i)}`,
          ...(i === 7 ? { [claimName]: 'x' } : {}),
          iat: 1_700_000_000,
        };
        return store.saveToken({
          value: jwt(claims, { alg: 'RS256', typ: 'JWT' }),
          kind: 'id_token',
          format: 'jwt',
          source: 'authorization_code',
          ...(i < 10 ? { profileId } : {}),
        }).id;
      }),
    );
    const secrets = [email, local, family, nonce, claimName];
    // While the history is open (the WAL holds the pages) and after it closed (checkpointed into the db).
    expect(existsSync(join(dir, `${DATABASE_FILE}-wal`))).toBe(true);
    expect(foundOnDisk(dir, secrets)).toEqual([]);

    const id7 = ids[7];
    expect(store.listTokens({ text: email }).items.map((t) => t.id)).toEqual([id7]);
    expect(store.listTokens({ text: local.slice(0, 5) }).items.map((t) => t.id)).toEqual([id7]);
    expect(store.listTokens({ text: family }).items.map((t) => t.id)).toEqual([id7]);
    expect(store.listTokens({ text: `alice ${family.slice(0, 8)}` }).items.map((t) => t.id)).toEqual([id7]);
    expect(store.listTokens({ text: nonce }).items.map((t) => t.id)).toEqual([id7]);
    // a claim's name is searchable too
    expect(store.listTokens({ text: claimName }).items.map((t) => t.id)).toEqual([id7]);
    // the profile's name finds its tokens (10 of them), alone or with a word of the token
    expect(store.listTokens({ text: profileName, limit: 100 }).items).toHaveLength(10);
    expect(store.listTokens({ text: `${profileName.split(' ')[1] ?? ''} ${family}` }).items.map((t) => t.id)).toEqual([id7]);
    expect(store.listTokens({ text: `${profileName} someone12` }).items).toEqual([]);
    // the preview, as the list shows it
    const preview = store.getTokenSummary(id7 ?? '')?.preview ?? '';
    expect(store.listTokens({ text: preview, limit: 100 }).items.map((t) => t.id)).toContain(id7);
    // the detail reads the claims from the sealed value
    expect(store.getToken(id7 ?? '').claims?.['email']).toBe(email);

    store.close();
    expect(existsSync(join(dir, `${DATABASE_FILE}-wal`))).toBe(false);
    expect(foundOnDisk(dir, secrets)).toEqual([]);
    // The columns that stay in clear are the ones the list shows and filters by (docs/SECURITY.md, "What is on disk").
    const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
    try {
      const columns = (db.prepare('PRAGMA table_info(tokens)').all() as { name: string }[]).map((c) => c.name);
      expect(columns).not.toContain('claims_json');
      expect(columns).not.toContain('header_json');
      expect(columns).not.toContain('jti');
    } finally {
      db.close();
    }
  });

  it('a deleted token leaves no searchable trace and the counts follow every change', async () => {
    const dir = freshDir();
    const store = await openIn(dir);
    const mail = word('gone');
    const { id } = store.saveToken({
      value: jwt({ iss: 'https://i.example', sub: 's', email: `${mail}@x.example` }),
      kind: 'access_token',
      format: 'jwt',
      source: 'test',
    });
    expect(store.listTokens({ text: mail }).items).toHaveLength(1);
    store.setTokenStatus(id, 'revoked');
    expect(store.listTokens({ limit: 1 }).counts).toMatchObject({ active: 0, revoked: 1, total: 1 });
    expect(store.deleteTokens([id])).toBe(1);
    expect(store.listTokens({ text: mail }).items).toEqual([]);
    expect(store.listTokens({ limit: 1 }).counts).toMatchObject({ revoked: 0, total: 0 });
    expect(store.count()).toBe(0);
  });
});

describe('previews of earlier versions', () => {
  it('a preview that kept characters of the value (`eyJh…wxyz`) is rewritten with the mask, once, and stays searchable', async () => {
    const dir = freshDir();
    let store = await openIn(dir);
    const value = jwt({ iss: 'https://i.example', sub: 'old-preview' });
    const { id } = store.saveToken({ value, kind: 'access_token', format: 'jwt', source: 'test' });
    const masked = store.listTokens({ limit: 1 }).items[0]?.preview ?? '';
    store.close();
    // as versions before the mask without characters wrote it
    const raw = new Database(join(dir, DATABASE_FILE));
    raw.prepare('UPDATE tokens SET preview = ? WHERE id = ?').run(`${value.slice(0, 4)}…${value.slice(-4)}`, id);
    raw.prepare("DELETE FROM store_meta WHERE key = 'previews_masked'").run();
    raw.close();
    store = await openIn(dir);
    try {
      expect(store.listTokens({ limit: 1 }).items[0]?.preview).toBe(masked);
      expect(masked).toMatch(/^«secret \d+ chars sha256:[0-9a-f]{6}»$/);
      expect(store.listTokens({ text: 'old-preview' }).items.map((t) => t.id)).toEqual([id]);
      expect(store.repairPreviews()).toBe(0);
    } finally {
      store.close();
    }
    expect(readFileSync(join(dir, DATABASE_FILE)).includes(`${value.slice(0, 4)}…${value.slice(-4)}`)).toBe(false);
  });
});

describe('file modes', () => {
  it('a new data dir is 0700; the database, WAL, SHM and key file are 0600', async () => {
    const dir = join(freshDir(), 'new-dir');
    const store = await openIn(dir);
    store.saveToken({ value: jwt({ sub: 'x' }), kind: 'access_token', format: 'jwt', source: 'test' });
    expect(mode(dir)).toBe('700');
    for (const f of [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`, KEY_FILE])
      expect([f, mode(join(dir, f))]).toEqual([f, '600']);
  });

  it('an existing 0755 dir with a 0644 database and key file is made 0700 / 0600 on open', async () => {
    const dir = freshDir();
    const first = await openIn(dir);
    first.saveToken({ value: jwt({ sub: 'y' }), kind: 'access_token', format: 'jwt', source: 'test' });
    first.close();
    chmodSync(dir, 0o755);
    for (const f of [DATABASE_FILE, KEY_FILE]) chmodSync(join(dir, f), 0o644);
    const store = await openIn(dir);
    expect(store.count()).toBe(1);
    expect(mode(dir)).toBe('700');
    for (const f of [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`, KEY_FILE])
      expect([f, mode(join(dir, f))]).toEqual([f, '600']);
  });

  it('with a passphrase the salt is created 0600 exclusively, and an existing 0644 salt is made 0600', async () => {
    const dir = join(freshDir(), 'pp');
    const env = { TOKENSCOPE_PASSPHRASE: 'correct horse battery staple' };
    const store = await openIn(dir, env);
    store.saveToken({ value: jwt({ sub: 'z' }), kind: 'access_token', format: 'jwt', source: 'test' });
    store.close();
    expect(mode(join(dir, SALT_FILE))).toBe('600');
    chmodSync(join(dir, SALT_FILE), 0o644);
    const again = await openIn(dir, env);
    expect(again.count()).toBe(1);
    expect(mode(join(dir, SALT_FILE))).toBe('600');
  });

  it('a salt file already there (another first run won the race) is used, not replaced', async () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    const salt = randomBytes(16);
    writeFileSync(join(dir, SALT_FILE), salt, { mode: 0o600 });
    const store = await openIn(dir, { TOKENSCOPE_PASSPHRASE: 'pp' });
    store.saveToken({ value: jwt({ sub: 'w' }), kind: 'access_token', format: 'jwt', source: 'test' });
    expect(readFileSync(join(dir, SALT_FILE)).equals(salt)).toBe(true);
  });
});

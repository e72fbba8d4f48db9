import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, openDatabase } from '../../../src/main/store/database.ts';
import { hashKeyOf } from '../../../src/main/store/envelope.ts';
import { LATEST_VERSION, migrate, MIGRATIONS, type Migration } from '../../../src/main/store/migrations/index.ts';
import { openStore } from '../../../src/main/store/index.ts';
import { accessJwt, openTestStore, opaque } from '../../fixtures/store/helpers.ts';
import { TokenscopeError } from '../../../src/shared/result.ts';
import { freshDir } from '../../helpers/temp-dir.ts';
import { testPlatform } from '../../helpers/test-platform.ts';

const dbs: Database.Database[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
});

/** Rows a database of each schema version holds, written with that version's own columns. */
const V1_TOKENS = Array.from({ length: 25 }, (_, i) => ({
  id: `tok-${String(i).padStart(2, '0')}`,
  kind: i % 2 ? 'refresh_token' : 'access_token',
  format: 'rfc6749.TokenResponse',
  hash: `hash-${String(i)}`,
  value_enc: Buffer.from([1, 2, 3, i]),
  preview: `prev${String(i)}…`,
  issuer: i % 5 === 0 ? null : `https://issuer${String(i % 3)}.example`,
  subject: `user-${String(i)}`,
  client_id: 'client-1',
  scopes: i % 4 === 0 ? '' : 'openid profile',
  issued_at_ms: 1_700_000_000_000 + i,
  expires_at_ms: i % 6 === 0 ? null : 1_700_000_360_000 + i,
  status: i % 7 === 0 ? 'revoked' : 'active',
  created_at_ms: 1_700_000_000_000 + i * 1000,
}));

function populate(db: Database.Database, version: number): void {
  if (version === 1) {
    const insert = db.prepare(`INSERT INTO tokens (id, kind, format, hash, value_enc, preview, issuer, subject, client_id, scopes,
      issued_at_ms, expires_at_ms, status, created_at_ms) VALUES (@id, @kind, @format, @hash, @value_enc, @preview, @issuer, @subject,
      @client_id, @scopes, @issued_at_ms, @expires_at_ms, @status, @created_at_ms)`);
    for (const row of V1_TOKENS) insert.run(row);
  }
  if (version === 2) {
    // Schema 2's own writer: the row, its plaintext FTS entry, and the trigger-kept counts.
    const insert = db.prepare(`INSERT INTO tokens (id, kind, format, hash, value_enc, preview, issuer, subject, client_id, scopes,
      issued_at_ms, expires_at_ms, status, created_at_ms, updated_at_ms) VALUES (@id, @kind, @format, @hash, @value_enc, @preview, @issuer, @subject,
      @client_id, @scopes, @issued_at_ms, @expires_at_ms, @status, @created_at_ms, @created_at_ms)`);
    const fts = db.prepare(
      'INSERT INTO tokens_fts (rowid, issuer, subject, client_id, jti, scopes, claims) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const row of V1_TOKENS) {
      const seq = Number(insert.run(row).lastInsertRowid);
      fts.run(seq, row.issuer ?? '', row.subject, row.client_id, '', row.scopes, '');
    }
  }
  if (version >= 3) {
    // Schema 3's own writer (schemas 4, 5 and 8 keep its columns): the row with its short hash key, the counts it keeps (the index is filled by the store).
    const insert =
      db.prepare(`INSERT INTO tokens (id, hash_key, hash, kind, format, value_enc, preview, issuer, subject, client_id, scopes,
      issued_at_ms, expires_at_ms, status, created_at_ms, updated_at_ms) VALUES (@id, @hash_key, @hash, @kind, @format, @value_enc, @preview,
      @issuer, @subject, @client_id, @scopes, @issued_at_ms, @expires_at_ms, @status, @created_at_ms, @created_at_ms)`);
    for (const row of V1_TOKENS) insert.run({ ...row, hash_key: hashKeyOf(row.hash) });
    db.exec('INSERT INTO token_status_counts (status, n) SELECT status, count(*) FROM tokens GROUP BY status');
  }
  if (version >= 4) {
    // One recorded token response (schema 4's issuances), to be kept as it was: not an exchange.
    const seq = db
      .prepare(
        "INSERT INTO issuances (id, grant_id, request, refresh_number, received_at_ms, derived) VALUES ('iss-1', NULL, 'paste', NULL, 1, 0)",
      )
      .run().lastInsertRowid;
    db.prepare("INSERT INTO issuance_tokens (token_id, issuance_seq, kind) VALUES ('tok-00', ?, 'access_token')").run(seq);
  }
}

function makeDatabaseAt(version: number): string {
  const dir = freshDir();
  const db = new Database(join(dir, DATABASE_FILE));
  db.pragma('journal_mode = WAL');
  migrate(
    db,
    MIGRATIONS.filter((m) => m.version <= version),
  );
  expect(db.pragma('user_version', { simple: true })).toBe(version);
  populate(db, version);
  db.close();
  return dir;
}

describe('migrations', () => {
  it('are numbered 1..N without gaps, in order (a version is the count of migrations applied)', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_VERSION).toBe(MIGRATIONS.length);
  });

  for (const from of [0, ...MIGRATIONS.map((m) => m.version).filter((v) => v < LATEST_VERSION)]) {
    it(`a database made by schema ${String(from)} upgrades to ${String(LATEST_VERSION)} with nothing lost`, async () => {
      const dir = makeDatabaseAt(from);
      const db = openDatabase(dir);
      dbs.push(db);
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      // Schema 8: the list sorted by Expires walks (expires_at_ms, seq).
      expect(db.prepare("SELECT name FROM pragma_index_info('tokens_expires') ORDER BY seqno").all()).toEqual([
        { name: 'expires_at_ms' },
        { name: 'seq' },
      ]);
      if (from >= 1) {
        const cols = Object.keys(V1_TOKENS[0] ?? {}).join(', ');
        const after = db.prepare(`SELECT ${cols} FROM tokens ORDER BY id`).all();
        expect(after).toEqual(V1_TOKENS.map((r) => ({ ...r })));
        // Schema 5's lifetime with an unknown start is for new imports only: an old row keeps its expiry as it was.
        expect(db.prepare('SELECT count(*) AS n FROM tokens WHERE lifetime_s IS NOT NULL').get()).toEqual({ n: 0 });
        // the new parts are filled in for the old rows: counts here, search once the store has the key (below)
        const counts = Object.fromEntries(
          (db.prepare('SELECT status, n FROM token_status_counts').all() as { status: string; n: number }[]).map((r) => [
            r.status,
            r.n,
          ]),
        );
        expect(counts).toEqual({ active: 21, revoked: 4 });
      }
      if (from >= 4) {
        expect(db.prepare("SELECT request, subject_token_id, issued_token_type FROM issuances WHERE id = 'iss-1'").get()).toEqual(
          {
            request: 'paste',
            subject_token_id: null,
            issued_token_type: null,
          },
        );
      }
      db.close();
      // and the store opens it, pages it and never crashes on values it cannot read
      const store = await openStore(testPlatform({ dataDir: dir, now: () => 1_700_000_100_000 }));
      try {
        const page = store.listTokens({ limit: 10, text: from >= 1 ? 'issuer1' : undefined });
        if (from >= 1) {
          expect(page.items.length).toBeGreaterThan(0);
          expect(store.listTokens({ limit: 100, text: 'user' }).items).toHaveLength(25);
          expect(store.listTokens({ limit: 100, text: 'user-7' }).items.map((t) => t.subject)).toEqual(['user-7']);
          let code: string | undefined;
          try {
            store.getTokenValue('tok-01');
          } catch (e) {
            code = (e as TokenscopeError).code;
          }
          expect(code).toBe('ERR_DECRYPT_FAILED');
          // the previews of earlier versions kept characters of the value: rewritten, from what the row knows
          const previews = store.listTokens({ limit: 100 }).items.map((t) => t.preview);
          expect(
            previews.every((p) => /^«secret \d+ bytes, unreadable here»$/.test(p)),
            previews.join(),
          ).toBe(true);
        }
      } finally {
        store.close();
      }
    });
  }

  it('a history the store wrote at schema 6 keeps its tokens, search, lineage and counts through migration 7 (partial link indexes)', async () => {
    const first = await openTestStore();
    const { store, dir } = first;
    const now = first.clock.now();
    const profileId = store.saveProfile({ name: 'Billing app', settings: {}, secrets: {} });
    const grantId = store.createGrant({ grantType: 'authorization_code', profileId });
    const linked: string[] = [];
    store.write(() => {
      for (let i = 0; i < 30; i++) {
        const at = store.saveToken({
          value: accessJwt(now, { sub: `user${String(i)}`, email: `u${String(i)}@corp.example` }),
          kind: 'access_token',
          format: 'jwt',
          source: 'test',
          ...(i % 3 === 0 ? { profileId, grantId } : {}),
        });
        if (i % 3 === 0) {
          const rt = store.saveToken({
            value: opaque('rt'),
            kind: 'refresh_token',
            format: 'opaque',
            source: 'test',
            grantId,
            profileId,
          });
          store.recordIssuance({
            grantId,
            request: 'login',
            tokens: [
              { id: at.id, kind: 'access_token' },
              { id: rt.id, kind: 'refresh_token' },
            ],
          });
          linked.push(at.id, rt.id);
        }
      }
    });
    const before = {
      counts: store.countByStatus(),
      grant: store.getGrantTokens(grantId).map((t) => t.id),
      profile: store.listTokens({ profileId, limit: 100 }).items.map((t) => t.id),
      search: store.listTokens({ text: 'u7@corp', limit: 100 }).items.map((t) => t.id),
      byProfileName: store.listTokens({ text: 'billing app', limit: 100 }).items.map((t) => t.id),
      issuance: store.issuanceOfToken(linked[0] ?? '')?.tokens.map((t) => t.id),
    };
    store.close();
    // Back to schema 6 as that version left it: the same rows, the full (not partial) link indexes, no expiry index,
    // no common search terms.
    const raw = new Database(join(dir, DATABASE_FILE));
    raw.exec(`DROP INDEX tokens_profile; CREATE INDEX tokens_profile ON tokens (profile_id, seq, status);
      DROP INDEX tokens_grant; CREATE INDEX tokens_grant ON tokens (grant_id, seq);
      DROP INDEX IF EXISTS tokens_expires; DROP TABLE IF EXISTS search_common_terms; PRAGMA user_version = 6;`);
    raw.close();
    const again = await openTestStore({ dir, clock: first.clock });
    try {
      expect(again.store.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      const indexes = again.store.db
        .prepare("SELECT sql FROM sqlite_schema WHERE name IN ('tokens_grant', 'tokens_profile') ORDER BY name")
        .all() as { sql: string }[];
      expect(indexes.map((i) => i.sql.endsWith('IS NOT NULL'))).toEqual([true, true]);
      const after = {
        counts: again.store.countByStatus(),
        grant: again.store.getGrantTokens(grantId).map((t) => t.id),
        profile: again.store.listTokens({ profileId, limit: 100 }).items.map((t) => t.id),
        search: again.store.listTokens({ text: 'u7@corp', limit: 100 }).items.map((t) => t.id),
        byProfileName: again.store.listTokens({ text: 'billing app', limit: 100 }).items.map((t) => t.id),
        issuance: again.store.issuanceOfToken(linked[0] ?? '')?.tokens.map((t) => t.id),
      };
      expect(after).toEqual(before);
      expect(before.counts.total).toBe(40);
      expect(before.grant).toHaveLength(20);
      expect(before.profile).toHaveLength(20);
      expect(before.search).toHaveLength(1);
      expect(before.byProfileName).toHaveLength(20);
      expect(before.issuance).toHaveLength(2);
      expect(again.store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      again.store.close();
    }
  });

  it('a database from a newer Tokenscope is refused, untouched', () => {
    const dir = freshDir();
    const db = new Database(join(dir, DATABASE_FILE));
    db.pragma(`user_version = ${String(LATEST_VERSION + 1)}`);
    db.close();
    let code: string | undefined;
    try {
      openDatabase(dir);
    } catch (e) {
      code = (e as TokenscopeError).code;
    }
    expect(code).toBe('ERR_STORE');
    const again = new Database(join(dir, DATABASE_FILE));
    dbs.push(again);
    expect(again.pragma('user_version', { simple: true })).toBe(LATEST_VERSION + 1);
  });

  it('a migration that fails rolls back entirely and leaves the version as it was', () => {
    const db = new Database(':memory:');
    dbs.push(db);
    const broken: Migration = {
      version: LATEST_VERSION + 1,
      name: 'broken',
      up(d) {
        d.exec('CREATE TABLE half_done (x INTEGER)');
        d.exec('THIS IS NOT SQL');
      },
    };
    migrate(db);
    expect(() => migrate(db, [...MIGRATIONS, broken])).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half_done'").get()).toEqual({ n: 0 });
  });

  it('migrating twice is a no-op', () => {
    const db = new Database(':memory:');
    dbs.push(db);
    expect(migrate(db)).toEqual({ from: 0, to: LATEST_VERSION });
    expect(migrate(db)).toEqual({ from: LATEST_VERSION, to: LATEST_VERSION });
  });
});

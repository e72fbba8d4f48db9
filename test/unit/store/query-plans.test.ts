import { afterEach, describe, expect, it } from 'vitest';
import type { ListTokensQuery } from '../../../src/shared/model.ts';
import { encodeCursor, type Store } from '../../../src/main/store/index.ts';
import { encodeExpiryCursor } from '../../../src/main/store/page-cursor.ts';
import { accessJwt, openTestStore, opaque, type TestStore } from '../../fixtures/store/helpers.ts';

/**
 * Every listing filter (and the time-ordered walk) is answered through an index: the plan SQLite picks for the
 * page and for its capped counts has no full scan of `tokens`. The statements are the store's own: the test
 * records each one the listing prepares and asks SQLite for its plan.
 */
const open: TestStore[] = [];
afterEach(() => {
  for (const t of open.splice(0)) t.store.close();
});

/** The plan lines of every statement a listing runs, with the statement. */
function plansOf(store: Store, query: ListTokensQuery): { sql: string; plan: string[] }[] {
  return plansDuring(store, () => store.listTokens(query));
}

/** The plan lines of every SELECT on tokens that `run` prepares (or reuses) and runs, with the statement. */
function plansDuring(store: Store, run: () => unknown): { sql: string; plan: string[] }[] {
  const seen: { sql: string; params: unknown[] }[] = [];
  const db = store.db;
  const prepare = db.prepare.bind(db);
  // Record the statements (and their parameters) the listing prepares and runs.
  db.prepare = ((source: string) => {
    const stmt = prepare(source);
    const all = stmt.all.bind(stmt);
    const get = stmt.get.bind(stmt);
    const iterate = stmt.iterate.bind(stmt);
    if (/^\s*SELECT/i.test(source) && /FROM\s+(tokens|token_terms)/i.test(source)) {
      stmt.all = (...params: unknown[]) => (seen.push({ sql: source, params }), all(...params));
      stmt.get = (...params: unknown[]) => (seen.push({ sql: source, params }), get(...params));
      stmt.iterate = (...params: unknown[]) => (seen.push({ sql: source, params }), iterate(...params));
    }
    return stmt;
  }) as typeof db.prepare;
  // Statements cached before would be reused without passing through prepare: start with none.
  (store as unknown as { conn: { statements: Map<string, unknown> } }).conn.statements.clear();
  try {
    run();
  } finally {
    db.prepare = prepare;
  }
  return seen.map(({ sql, params }) => ({
    sql,
    plan: (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail),
  }));
}

async function seeded(): Promise<{ store: Store; profileId: string; grantId: string }> {
  const t = await openTestStore();
  open.push(t);
  const { store } = t;
  const profileId = store.saveProfile({ name: 'My app', settings: {}, secrets: {} });
  const grantId = store.createGrant({ grantType: 'authorization_code', profileId });
  const now = t.clock.now();
  store.write(() => {
    for (let i = 0; i < 300; i++) {
      store.saveToken({
        value: accessJwt(now, { sub: `user${String(i)}`, email: `u${String(i)}@example.com` }, i % 3 === 0 ? 600 : 86_400),
        kind: 'access_token',
        format: 'jwt',
        source: 'test',
        ...(i % 5 === 0 ? { profileId, grantId } : {}),
      });
      store.saveToken({
        value: opaque('rt'),
        kind: 'refresh_token',
        format: 'opaque',
        source: 'test',
        subject: `user${String(i)}`,
      });
    }
  });
  store.db.exec('ANALYZE');
  return { store, profileId, grantId };
}

const QUERIES: Record<string, (ids: { profileId: string; grantId: string }) => ListTokensQuery> = {
  'no filter': () => ({}),
  status: () => ({ status: 'revoked' }),
  kind: () => ({ kind: 'refresh_token' }),
  'status + kind': () => ({ status: 'active', kind: 'access_token' }),
  profile: ({ profileId }) => ({ profileId }),
  grant: ({ grantId }) => ({ grantId }),
  'expiring within': () => ({ expiringWithinMinutes: 15 }),
  'time range': () => ({ fromMs: 0, toMs: Date.UTC(2030, 0, 1) }),
  'time range + status': () => ({ fromMs: 0, toMs: Date.UTC(2030, 0, 1), status: 'active' }),
  text: () => ({ text: 'user12' }),
  'text + status': () => ({ text: 'example', status: 'active' }),
  'profile name': () => ({ text: 'My app' }),
  'pasted id': () => ({ text: 'not-a-token-id-at-all-0000' }),
  'next page': () => ({ status: 'active', cursor: encodeCursor(100) }),
  'by expiry': () => ({ sort: 'expires' }),
  'by expiry, latest first + status': () => ({ sort: '-expires', status: 'revoked' }),
  'by expiry + kind': () => ({ sort: 'expires', kind: 'refresh_token' }),
  'by expiry + active + kind': () => ({ sort: 'expires', status: 'active', kind: 'access_token' }),
  'by expiry + text': () => ({ sort: 'expires', text: 'user12' }),
  'by expiry + grant': ({ grantId }) => ({ sort: 'expires', grantId }),
  'by expiry + expiring within': () => ({ sort: 'expires', status: 'active', expiringWithinMinutes: 15 }),
  'by expiry + time range': () => ({ sort: '-expires', fromMs: 0, toMs: Date.UTC(2030, 0, 1) }),
  'by expiry, next page': () => ({
    sort: 'expires',
    status: 'active',
    cursor: encodeExpiryCursor('expires', 100, Date.UTC(2026, 0, 15)),
  }),
};

/** Sorted pages that must walk an index in order: no temporary sort of the matches (the few-row filters may sort). */
const WALKED = new Set([
  'by expiry',
  'by expiry, latest first + status',
  'by expiry + kind',
  'by expiry + active + kind',
  'by expiry + time range',
  'by expiry, next page',
]);

describe('query plans', () => {
  it('every listing filter uses an index: no full scan of tokens for the page or its counts', async () => {
    const { store, profileId, grantId } = await seeded();
    const failures: string[] = [];
    const checked = new Set<string>();
    for (const [name, make] of Object.entries(QUERIES)) {
      // A statement the store prepared for an earlier query is cached (and was checked then).
      const plans = plansOf(store, make({ profileId, grantId }));
      for (const p of plans) checked.add(p.sql);
      for (const { sql, plan } of plans) {
        // "SCAN t" / "SCAN tokens" without an index is a full table scan; the unfiltered page walks the rowid
        // backwards from the end (LIMIT stops it), which SQLite also calls SCAN: allowed only for it.
        const full = plan.filter((d) => /^SCAN (t|tokens)\b/.test(d) && !/USING/.test(d));
        const unfiltered = name === 'no filter' || name === 'next page';
        if (full.length > 0 && !(unfiltered && /ORDER BY t\.seq DESC LIMIT/.test(sql)))
          failures.push(`${name}: ${full.join('; ')} in ${sql.slice(0, 160)}`);
        const sorted = plan.filter((d) => /TEMP B-TREE FOR ORDER BY/.test(d));
        if (WALKED.has(name) && /ORDER BY/.test(sql) && !/GROUP BY/.test(sql) && sorted.length > 0)
          failures.push(`${name}: sorts instead of walking an index (${plan.join('; ')}) in ${sql.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked.size).toBeGreaterThanOrEqual(25);
  });

  it("a grant's or a profile's tokens are read through its partial index (schema 7 indexes only linked tokens)", async () => {
    const { store, profileId, grantId } = await seeded();
    const lookups: Record<string, () => unknown> = {
      'grant tokens': () => store.getGrantTokens(grantId),
      'derive issuances of a grant': () => store.write(() => store.deriveIssuances([grantId])),
      // Deleting a profile re-indexes its tokens (the profile was one of their words): found through tokens_profile.
      'profile tokens': () => store.deleteProfile(profileId),
    };
    const failures: string[] = [];
    for (const [name, run] of Object.entries(lookups)) {
      const plans = plansDuring(store, run).filter((p) => /(grant_id|profile_id) = \?/.test(p.sql));
      if (plans.length === 0) failures.push(`${name}: no statement by grant or profile recorded`);
      for (const { sql, plan } of plans) {
        if (!plan.some((d) => /USING (COVERING )?INDEX tokens_(grant|profile)\b/.test(d)))
          failures.push(`${name}: ${plan.join('; ')} in ${sql.slice(0, 160)}`);
      }
    }
    expect(failures).toEqual([]);
    const indexes = store.db
      .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND name IN ('tokens_grant', 'tokens_profile')")
      .all() as { name: string; sql: string }[];
    expect(indexes.map((i) => /WHERE (grant|profile)_id IS NOT NULL$/.test(i.sql))).toEqual([true, true]);
  });
});

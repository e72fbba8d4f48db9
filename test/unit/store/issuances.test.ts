/**
 * Issuances: a token response recorded as one issuance (refreshes numbered per grant); the tokens of an older history
 * get issuances derived as well as can be known (same grant, saved together, one of each kind), others none.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, openDatabase } from '../../../src/main/store/database.ts';
import { migrate, MIGRATIONS } from '../../../src/main/store/migrations/index.ts';
import { freshDir } from '../../helpers/temp-dir.ts';
import { canonicalRecordOfToken } from '../../../src/main/history/canonical-record.ts';
import { grantLineage } from '../../../src/main/history/lineage.ts';
import type { Store } from '../../../src/main/store/index.ts';
import { ISSUANCE_UNKNOWN } from '../../../src/shared/issuance.ts';
import { accessJwt, opaque, openTestStore, type TestStore } from '../../fixtures/store/helpers.ts';

let open: TestStore[] = [];
afterEach(() => {
  for (const t of open) t.store.close();
  open = [];
});

async function fresh(): Promise<TestStore> {
  const t = await openTestStore();
  open.push(t);
  return t;
}

/** Saves an access + refresh token pair into a grant, as an older Tokenscope did (no issuance recorded). */
function savePair(store: Store, grantId: string, source: string, nowMs: number): { at: string; rt: string } {
  const at = store.saveToken({ value: accessJwt(nowMs), kind: 'access_token', format: 'jwt', grantId, source }).id;
  const rt = store.saveToken({ value: opaque('rt'), kind: 'refresh_token', format: 'opaque', grantId, source }).id;
  return { at, rt };
}

describe('issuances', () => {
  it('numbers the refreshes of a grant and keeps which tokens came together', async () => {
    const { store } = await fresh();
    const grantId = store.createGrant({ grantType: 'authorization_code' });
    const a = savePair(store, grantId, 'authorization_code', Date.now());
    const login = store.recordIssuance({ grantId, request: 'login', tokens: [{ id: a.at, kind: 'access_token' }] });
    const b = savePair(store, grantId, 'refresh', Date.now());
    const r1 = store.recordIssuance({ grantId, request: 'refresh', tokens: [{ id: b.at, kind: 'access_token' }] });
    const r2 = store.recordIssuance({ grantId, request: 'refresh', tokens: [{ id: b.rt, kind: 'refresh_token' }] });
    expect([login.label, r1.label, r2.label]).toEqual(['login', 'refresh 1', 'refresh 2']);
    expect(store.issuanceOfToken(b.at)?.id).toBe(r1.id);
    expect(store.previousIssuance(r1)?.id).toBe(login.id);
    // A token deleted from the history leaves its issuance.
    store.deleteTokens([b.at]);
    expect(store.getIssuance(r1.id)?.tokens).toEqual([]);
    expect(store.issuancesOfGrant(grantId).map((i) => i.label)).toEqual(['login', 'refresh 2']);
  });

  it('derives issuances for an older history: same grant, saved together, one token of each kind', async () => {
    const { store, clock } = await fresh();
    const grantId = store.createGrant({ grantType: 'authorization_code' });
    const first = savePair(store, grantId, 'authorization_code', clock.now());
    clock.advance(60_000);
    const second = savePair(store, grantId, 'refresh', clock.now());
    // Two access tokens saved in the same instant came in two responses, not one.
    const third = savePair(store, grantId, 'refresh', clock.now());
    expect(store.deriveIssuances([grantId])).toBe(3);
    const lineage = grantLineage(store, grantId);
    expect(lineage.issuances.map((i) => i.label)).toEqual([
      'login (reconstructed)',
      'refresh 1 (reconstructed)',
      'refresh 2 (reconstructed)',
    ]);
    expect(lineage.issuances.map((i) => i.tokens.map((t) => t.id))).toEqual([
      [first.at, first.rt],
      [second.at, second.rt],
      [third.at, third.rt],
    ]);
    expect(lineage.issuances[0]?.tokens.find((t) => t.kind === 'refresh_token')?.replacedBy).toBe(second.rt);
    expect(canonicalRecordOfToken(store, first.at).tokenIds).toEqual([first.at, first.rt]);
    // Deriving again changes nothing.
    expect(store.deriveIssuances([grantId])).toBe(0);
  });

  it('says "issuance unknown" for a token it cannot pair', async () => {
    const { store } = await fresh();
    const grantId = store.createGrant({ grantType: 'authorization_code' });
    const { at } = savePair(store, grantId, 'unknown', Date.now());
    expect(store.deriveIssuances([grantId])).toBe(0);
    const c = canonicalRecordOfToken(store, at);
    expect(c.issuance).toBeNull();
    expect(c.issuanceText).toBe(ISSUANCE_UNKNOWN);
    expect(c.tokenIds).toEqual([at]);
    expect(
      grantLineage(store, grantId)
        .unknown.map((t) => t.kind)
        .sort(),
    ).toEqual(['access_token', 'refresh_token']);
  });

  it('a history of schema 2 opens with issuances derived for its login and refresh, and nothing else lost', () => {
    const dir = freshDir();
    const old = new Database(join(dir, DATABASE_FILE));
    migrate(
      old,
      MIGRATIONS.filter((m) => m.version <= 2),
    );
    old.exec(`INSERT INTO grants (id, grant_type, created_at_ms, updated_at_ms) VALUES ('g1', 'authorization_code', 1, 1)`);
    const insert =
      old.prepare(`INSERT INTO tokens (id, kind, format, hash, preview, grant_id, source, created_at_ms, updated_at_ms)
      VALUES (?, ?, 'opaque', ?, '…', 'g1', ?, ?, ?)`);
    for (const [id, kind, source, at] of [
      ['a1', 'access_token', 'authorization_code', 1000],
      ['r1', 'refresh_token', 'authorization_code', 1001],
      ['a2', 'access_token', 'refresh', 5000],
      ['r2', 'refresh_token', 'refresh', 5000],
      ['x', 'access_token', 'unknown', 9000],
    ] as const)
      insert.run(id, kind, `hash-${id}`, source, at, at);
    old.close();
    const db = openDatabase(dir);
    try {
      const rows = db
        .prepare(
          `SELECT i.request, i.refresh_number AS n, i.derived, group_concat(x.token_id, ' ') AS ids FROM issuances i
           JOIN issuance_tokens x ON x.issuance_seq = i.seq GROUP BY i.seq ORDER BY i.seq`,
        )
        .all();
      expect(rows).toEqual([
        { request: 'login', n: null, derived: 1, ids: 'a1 r1' },
        { request: 'refresh', n: 1, derived: 1, ids: 'a2 r2' },
      ]);
      expect(db.prepare('SELECT count(*) AS n FROM tokens').get()).toEqual({ n: 5 });
    } finally {
      db.close();
    }
  });
});

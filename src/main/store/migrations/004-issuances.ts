/**
 * Migration 4: issuances, the token responses of the history (which tokens arrived together, from which request, when).
 * Tokens are referenced by their id string. Rows of older histories get issuances derived as well as can be known
 * (same grant, same time, one token of each kind); the others stay without one ("issuance unknown").
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Migration } from './index.ts';

export const migration004: Migration = {
  version: 4,
  name: 'issuances',
  up(db) {
    db.exec(`
      CREATE TABLE issuances (
        seq            INTEGER PRIMARY KEY,
        id             TEXT NOT NULL UNIQUE,
        grant_id       TEXT,
        request        TEXT NOT NULL,
        refresh_number INTEGER,
        received_at_ms INTEGER NOT NULL,
        derived        INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX issuances_grant ON issuances (grant_id, seq) WHERE grant_id IS NOT NULL;

      -- A token can arrive in more than one response (a refresh token sent again unchanged): its own issuance is the first.
      CREATE TABLE issuance_tokens (
        token_id      TEXT NOT NULL,
        issuance_seq  INTEGER NOT NULL REFERENCES issuances (seq) ON DELETE CASCADE,
        kind          TEXT NOT NULL,
        PRIMARY KEY (token_id, issuance_seq)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX issuance_tokens_issuance ON issuance_tokens (issuance_seq);

      CREATE TRIGGER tokens_issuance_delete AFTER DELETE ON tokens BEGIN
        DELETE FROM issuance_tokens WHERE token_id = old.id;
      END;
    `);
    deriveIssuances(db);
  },
};

/** The request a stored token's `source` names, for tokens saved before issuances were recorded. */
const REQUEST_OF_SOURCE: Readonly<Record<string, string>> = {
  authorization_code: 'login',
  refresh: 'refresh',
  refresh_token: 'refresh',
  device_code: 'device',
  client_credentials: 'client_credentials',
  token_exchange: 'token_exchange',
  import: 'import',
  paste: 'paste',
};

/** Tokens of one grant saved this close together (and of different kinds) came in one response. */
const SAME_RESPONSE_MS = 2000;

interface LooseRow {
  id: string;
  kind: string;
  grant_id: string | null;
  at_ms: number;
  source: string;
}

/**
 * Gives issuances to the tokens that have none: consecutive tokens of one grant saved at the same time (within
 * SAME_RESPONSE_MS), one of each kind, form one response; a token of no grant is a response of its own. A group whose
 * source names no known request is left alone ("issuance unknown"). `grantIds` limits the work to some grants (after an import).
 */
export function deriveIssuances(db: Database.Database, grantIds?: readonly string[]): number {
  const columns = 'SELECT t.id, t.kind, t.grant_id, t.created_at_ms AS at_ms, t.source FROM tokens t';
  const lacking = 'NOT EXISTS (SELECT 1 FROM issuance_tokens x WHERE x.token_id = t.id)';
  const all = db.prepare(`${columns} WHERE ${lacking} ORDER BY t.grant_id, at_ms, t.seq`);
  // One grant's tokens through its index (tokens_grant), not a walk of the whole table per grant.
  const ofGrant = db.prepare(`${columns} WHERE t.grant_id = ? AND ${lacking} ORDER BY at_ms, t.seq`);
  const refreshesSoFar = db.prepare(
    "SELECT count(*) AS n FROM issuances WHERE grant_id = ? AND request = 'refresh' AND received_at_ms <= ?",
  );
  const insert = db.prepare(
    'INSERT INTO issuances (id, grant_id, request, refresh_number, received_at_ms, derived) VALUES (?, ?, ?, ?, ?, 1)',
  );
  const link = db.prepare('INSERT OR IGNORE INTO issuance_tokens (token_id, issuance_seq, kind) VALUES (?, ?, ?)');
  const groups: LooseRow[][] = [];
  const scopes: readonly (string | null)[] = grantIds ?? [null];
  for (const scope of scopes) {
    let group: LooseRow[] = [];
    const rows = (scope === null ? all.iterate() : ofGrant.iterate(scope)) as Iterable<LooseRow>;
    for (const row of rows) {
      const prev = group[0];
      const together =
        prev !== undefined &&
        row.grant_id !== null &&
        row.grant_id === prev.grant_id &&
        row.at_ms - prev.at_ms <= SAME_RESPONSE_MS &&
        !group.some((r) => r.kind === row.kind);
      if (prev && !together) {
        groups.push(group);
        group = [];
      }
      group.push(row);
    }
    if (group.length > 0) groups.push(group);
  }
  let made = 0;
  for (const group of groups) {
    const lead = group[0];
    if (!lead) continue;
    const request = REQUEST_OF_SOURCE[lead.source];
    if (request === undefined) continue;
    const n =
      request === 'refresh' && lead.grant_id !== null
        ? (refreshesSoFar.get(lead.grant_id, lead.at_ms) as { n: number }).n + 1
        : null;
    const seq = insert.run(randomUUID(), lead.grant_id, request, n, lead.at_ms).lastInsertRowid;
    for (const r of group) link.run(r.id, seq, r.kind);
    made++;
  }
  return made;
}

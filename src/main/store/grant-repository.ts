/** The `grants` table: one login's tokens that belong together, live until the server refuses its refresh token. */
import { randomUUID } from 'node:crypto';
import type { GrantSummary, LoggedGrant } from '../../shared/model.ts';
import { TokenscopeError } from '../../shared/result.ts';
import { checkGrantType, checkId } from './arguments.ts';
import type { Connection } from './connection.ts';
import type { EventLog } from './event-log.ts';
import type { CreateGrantInput } from './inputs.ts';
import { toGrant, type GrantRow } from './rows.ts';

/** Grants read at a time when walking them. */
const GRANT_BATCH = 500;

export class GrantRepository {
  private readonly conn: Connection;
  private readonly events: EventLog;

  constructor(conn: Connection, events: EventLog) {
    this.conn = conn;
    this.events = events;
  }

  /** Starts a grant (one login: the access/refresh/ID tokens that belong together). Returns its id. */
  createGrant(input: CreateGrantInput): string {
    checkGrantType(input.grantType);
    const id = input.id === undefined ? randomUUID() : checkId(input.id, 'id');
    const now = this.conn.now();
    this.conn.write(() => {
      this.conn
        .sql(
          'INSERT INTO grants (id, profile_id, grant_type, issuer, client_id, scopes, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          id,
          input.profileId ?? null,
          input.grantType,
          input.issuer ?? null,
          input.clientId ?? null,
          (input.scopes ?? []).join(' '),
          input.createdAtMs ?? now,
          now,
        );
    });
    return id;
  }

  getGrantSummary(grantId: string): GrantSummary | null {
    const row = this.conn.sql('SELECT * FROM grants WHERE id = ?').get(grantId) as GrantRow | undefined;
    return row ? toGrant(row) : null;
  }

  hasGrant(id: string): boolean {
    return this.conn.sql('SELECT 1 FROM grants WHERE id = ?').get(id) !== undefined;
  }

  /** Links a grant that has no profile to one (an import that read the grant before its profile). */
  fillGrantProfile(grantId: string, profileId: string): void {
    this.conn.write(() => {
      this.conn.sql('UPDATE grants SET profile_id = ? WHERE id = ? AND profile_id IS NULL').run(profileId, grantId);
    });
  }

  /** The server refused the grant's refresh token (or it was revoked): no more refreshes. */
  markGrantDead(grantId: string, reason: string): void {
    this.conn.write(() => {
      const info = this.conn
        .sql("UPDATE grants SET state = 'dead', dead_reason = ?, updated_at_ms = ? WHERE id = ?")
        .run(reason.slice(0, 500), this.conn.now(), grantId);
      if (info.changes === 0) throw new TokenscopeError('ERR_NOT_FOUND', 'no such grant in the history');
      this.events.addEvent({ grantId, type: 'grant-dead', detail: { reason: reason.slice(0, 500) } });
    });
  }

  /** Import: sets a grant's state as a bundle recorded it (`updatedAtMs` null keeps the row's). */
  restoreGrantState(grantId: string, state: GrantSummary['state'], deadReason: string | null, updatedAtMs: number | null): void {
    this.conn
      .sql('UPDATE grants SET state = ?, dead_reason = ?, updated_at_ms = coalesce(?, updated_at_ms) WHERE id = ?')
      .run(state, state === 'dead' ? deadReason : null, updatedAtMs, grantId);
  }

  /** Walks grants in batches: the given ids (absent ones skipped), or every grant in the order they were created. */
  *eachGrant(ids?: Iterable<string>): Generator<GrantSummary[]> {
    if (ids !== undefined) {
      const one = this.conn.sql('SELECT * FROM grants WHERE id = ?');
      const list = [...ids];
      for (let i = 0; i < list.length; i += GRANT_BATCH)
        yield list
          .slice(i, i + GRANT_BATCH)
          .map((id) => one.get(id) as GrantRow | undefined)
          .filter((g) => g !== undefined)
          .map(toGrant);
      return;
    }
    let after = 0;
    for (;;) {
      const rows = this.conn
        .sql(`SELECT rowid, * FROM grants WHERE rowid > ? ORDER BY rowid LIMIT ${String(GRANT_BATCH)}`)
        .all(after) as (GrantRow & { rowid: number })[];
      if (rows.length === 0) return;
      yield rows.map(toGrant);
      after = rows[rows.length - 1]?.rowid ?? after;
    }
  }

  /** Grants with requests in the exchange log, the one with the latest request first, each with its tokens' subject. */
  listLoggedGrants(limit = 200): LoggedGrant[] {
    const rows = this.conn
      .sql(
        `SELECT g.*, x.n AS exchange_count, x.last_at_ms,
         (SELECT t.subject FROM tokens t WHERE t.grant_id = g.id AND t.subject IS NOT NULL ORDER BY t.seq LIMIT 1) AS subject
       FROM (SELECT grant_id, max(seq) AS last_seq, max(started_at_ms) AS last_at_ms, count(*) AS n
             FROM exchanges WHERE grant_id IS NOT NULL GROUP BY grant_id) x
       JOIN grants g ON g.id = x.grant_id
       ORDER BY x.last_seq DESC LIMIT ?`,
      )
      .all(limit ?? 200) as (GrantRow & { exchange_count: number; last_at_ms: number; subject: string | null })[];
    return rows.map((r) => ({
      ...toGrant(r),
      subject: r.subject,
      exchangeCount: r.exchange_count,
      lastExchangeAtMs: r.last_at_ms,
    }));
  }
}

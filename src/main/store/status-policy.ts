/**
 * How a token's status follows from its expiry and from the keys available here: the status a new row starts
 * with, the sweep that marks expired tokens, and the 'unreadable' status of rows whose key is not here.
 */
import type { TokenStatus } from '../../shared/model.ts';
import { TOKEN_STATUSES } from '../../shared/model.ts';
import type { Connection } from './connection.ts';
import type { EventLog } from './event-log.ts';
import type { TokenCounts } from './token-counts.ts';
import type { TokenRow } from './rows.ts';

/**
 * A saved token's status: the one an import carries, else expired or active by its expiry, or 'unknown' when it has
 * a lifetime but no start to count it from ('unreadable' is never stored from outside).
 */
export function initialStatus(
  requested: TokenStatus | undefined,
  expiresAtMs: number | null,
  nowMs: number,
  lifetimeS: number | null = null,
): TokenStatus {
  const status: TokenStatus =
    requested !== undefined && (TOKEN_STATUSES as readonly string[]).includes(requested)
      ? requested
      : expiresAtMs !== null && expiresAtMs <= nowMs
        ? 'expired'
        : expiresAtMs === null && lifetimeS !== null
          ? 'unknown'
          : 'active';
  return status === 'unreadable' ? 'active' : status;
}

/** The status a row had before its key went missing (what an export writes). */
export function statusBeforeUnreadable(row: Pick<TokenRow, 'status' | 'status_before'>): string {
  return row.status === 'unreadable' ? (row.status_before ?? 'active') : row.status;
}

const SWEEP_INTERVAL_MS = 5_000;

export class StatusPolicy {
  private readonly conn: Connection;
  private readonly events: EventLog;
  private readonly counts: TokenCounts;
  private lastSweepMs = 0;

  constructor(conn: Connection, events: EventLog, counts: TokenCounts) {
    this.conn = conn;
    this.events = events;
    this.counts = counts;
  }

  /** Marks active tokens past their expiry as 'expired' (cheap: a partial index on active expiries). At most every 5 s unless forced. */
  sweepExpired(force = false): number {
    const now = this.conn.now();
    if (!force && now - this.lastSweepMs < SWEEP_INTERVAL_MS) return 0;
    // An import holds the history's write transaction: the next list after it sweeps.
    if (this.conn.busy) return 0;
    this.lastSweepMs = now;
    return this.conn.write(() => {
      const n = this.conn
        .sql(
          // Pinned to the partial index: with sampled statistics the planner may otherwise walk every active row.
          "UPDATE tokens SET status = 'expired', updated_at_ms = ? WHERE seq IN (SELECT seq FROM tokens INDEXED BY tokens_active_expiry WHERE status = 'active' AND expires_at_ms <= ?)",
        )
        .run(now, now).changes;
      this.counts.move('active', 'expired', n);
      return n;
    });
  }

  /** Marks rows sealed with keys that cannot be unwrapped here as unreadable, and restores rows whose key is back. */
  applyKeyStatus(usable: readonly number[], failed: readonly number[]): void {
    this.conn.write(() => {
      const now = this.conn.now();
      const mark = this.conn.sql(
        "UPDATE tokens SET status_before = status, status = 'unreadable', updated_at_ms = ? WHERE key_id = ? AND status != 'unreadable'",
      );
      const restore = this.conn.sql(
        // Only unreadable rows can need restoring: start from them (usually none), not from every row of the key.
        "UPDATE tokens SET status = coalesce(status_before, 'active'), status_before = NULL, updated_at_ms = ? WHERE seq IN (SELECT seq FROM tokens INDEXED BY tokens_status WHERE status = 'unreadable') AND key_id = ?",
      );
      let changed = 0;
      for (const k of failed) {
        const n = mark.run(now, k).changes;
        changed += n;
        if (n > 0) this.events.addEvent({ type: 'decrypt-failed', detail: { keyId: k, tokens: n } });
      }
      for (const k of usable) changed += restore.run(now, k).changes;
      // Rare (a key lost or back): the rows tell the counts afresh.
      if (changed > 0) this.counts.recount();
    });
  }
}

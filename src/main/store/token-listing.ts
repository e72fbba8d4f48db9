/** The history list as the contract reads it: keyset pages in a sort (newest first by default), and per-status counts for a filter. */
import type { ListTokensQuery, StatusCounts, TokenPage, TokenPageWithCounts, TokenStatus } from '../../shared/model.ts';
import { TOKEN_STATUSES } from '../../shared/model.ts';
import { TokenscopeError } from '../../shared/result.ts';
import type { Connection } from './connection.ts';
import type { FtsIndex } from './fts-index.ts';
import { decodeCursor, encodeCursor, encodeExpiryCursor } from './page-cursor.ts';
import { SUMMARY_COLUMNS, toSummary, type TokenRow } from './rows.ts';
import type { TokenCounts } from './token-counts.ts';
import type { StatusPolicy } from './status-policy.ts';
import { hasTimeRange, tokenFilter, type TokenFilter, type TokenFilterQuery } from './token-query.ts';

/** A filtered count visits at most this many rows, so the first page stays fast at any history size. */
const COUNT_CAP = 5_000;

function emptyCounts(): Record<TokenStatus, number> {
  return { active: 0, expired: 0, revoked: 0, inactive: 0, superseded: 0, unreadable: 0, unknown: 0 };
}

/** What a listing reads through. */
export interface TokenListingDeps {
  readonly conn: Connection;
  readonly fts: FtsIndex;
  /** Exact lookups of a pasted value. */
  readonly tokens: { findExact(text: string): number | null };
  /** The kept per-status counts (the unfiltered chips). */
  readonly counts: TokenCounts;
  /** Sweeps expired tokens before a first page. */
  readonly status: StatusPolicy;
}

/**
 * Which index a page by expiry walks. A few rows (one exact match, a grant's tokens, a text search's or an expiry
 * window's matches) are found by their own index and sorted; active tokens walk the partial index of active expiries;
 * any other filter walks the expiry index in order and skips the rows it drops.
 */
function expiryWalk(query: ListTokensQuery, f: TokenFilter): { from: string; where: readonly string[] } {
  if (f.exact || f.text || query.grantId != null || query.expiringWithinMinutes != null) return { from: 'tokens t', where: [] };
  // The literal lets SQLite prove the partial index's condition (a bound parameter does not).
  if (query.status === 'active') return { from: 'tokens t INDEXED BY tokens_active_expiry', where: ["t.status = 'active'"] };
  return { from: 'tokens t INDEXED BY tokens_expires', where: [] };
}

export class TokenListing {
  private readonly deps: TokenListingDeps;

  constructor(deps: TokenListingDeps) {
    this.deps = deps;
  }

  private get conn(): Connection {
    return this.deps.conn;
  }

  /**
   * One page of the history in the query's sort (newest first unless told), keyset-paged so a page costs the same at
   * any depth and stays stable while tokens are added. The first page carries the per-status counts for the same
   * filter (status aside).
   */
  listTokens(query: ListTokensQuery = {}): TokenPageWithCounts {
    const limit = query.limit ?? 100;
    const sort = query.sort ?? '-received';
    const cursor = query.cursor ? decodeCursor(query.cursor, sort) : null;
    if (!cursor) this.deps.status.sweepExpired();
    const page =
      sort === 'expires' || sort === '-expires'
        ? this.byExpiry(query, sort, cursor && 'expiresAtMs' in cursor ? cursor : null, limit)
        : this.byReceived(query, sort, cursor && !('expiresAtMs' in cursor) ? cursor : null, limit);
    return cursor === null ? { ...page, counts: this.countByStatus(query) } : page;
  }

  private rows(from: string, where: readonly string[], params: readonly unknown[], order: string, limit: number): TokenRow[] {
    const sql = `SELECT ${SUMMARY_COLUMNS} FROM ${from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ?`;
    return this.conn.sql(sql).all(...params, limit) as TokenRow[];
  }

  /** In the order tokens entered the history: by seq, or by (created_at_ms, seq) for a time range. */
  private byReceived(
    query: ListTokensQuery,
    sort: 'received' | '-received',
    cursor: { readonly seq: number; readonly createdAtMs?: number } | null,
    limit: number,
  ): TokenPage {
    const f = tokenFilter({ ...this.deps, query, withStatus: true });
    const where = [...f.where];
    const params = [...f.params];
    // A time range without text walks the time index itself, newest first: a page costs a page wherever the range lies.
    const byTime = !f.text && hasTimeRange(query);
    // Oldest first walks the same indexes the other way.
    const [before, direction] = sort === 'received' ? ['>', 'ASC'] : ['<', 'DESC'];
    if (cursor !== null) {
      if (byTime) {
        if (cursor.createdAtMs === undefined)
          throw new TokenscopeError('ERR_CURSOR_MISMATCH', 'the page cursor belongs to a list without a time range');
        where.push(`(t.created_at_ms ${before} ? OR (t.created_at_ms = ? AND t.seq ${before} ?))`);
        params.push(cursor.createdAtMs, cursor.createdAtMs, cursor.seq);
      } else {
        where.push(`${f.order} ${before} ?`);
        params.push(cursor.seq);
      }
    }
    const from = byTime ? 'tokens t INDEXED BY tokens_created' : f.from;
    const order = byTime ? `t.created_at_ms ${direction}, t.seq ${direction}` : `${f.order} ${direction}`;
    const rows = this.rows(from, where, params, order, limit + 1);
    const pageRows = rows.slice(0, limit);
    const last = pageRows[pageRows.length - 1];
    return {
      items: pageRows.map(toSummary),
      nextCursor: rows.length > limit && last ? encodeCursor(last.seq, byTime ? last.created_at_ms : undefined, sort) : null,
    };
  }

  /**
   * By expiry time, soonest first (`-expires`: latest first), on the (expires_at_ms, seq) index, then the tokens with
   * no expiry known, newest first: two passes, each a keyset walk of its own part of the index.
   */
  private byExpiry(
    query: ListTokensQuery,
    sort: 'expires' | '-expires',
    cursor: { readonly seq: number; readonly expiresAtMs: number | null } | null,
    limit: number,
  ): TokenPage {
    const f = tokenFilter({ ...this.deps, query, withStatus: true, textAs: 'filter' });
    const { from, where: walkWhere } = expiryWalk(query, f);
    const direction = sort === 'expires' ? 'ASC' : 'DESC';
    const rows: TokenRow[] = [];
    if (cursor === null || cursor.expiresAtMs !== null) {
      const where = [...f.where, ...walkWhere, 't.expires_at_ms IS NOT NULL'];
      const params = [...f.params];
      if (cursor !== null) {
        where.push(`(t.expires_at_ms, t.seq) ${sort === 'expires' ? '>' : '<'} (?, ?)`);
        params.push(cursor.expiresAtMs, cursor.seq);
      }
      rows.push(...this.rows(from, where, params, `t.expires_at_ms ${direction}, t.seq ${direction}`, limit + 1));
    }
    if (rows.length <= limit) {
      const where = [...f.where, ...walkWhere, 't.expires_at_ms IS NULL'];
      const params = [...f.params];
      if (cursor !== null && cursor.expiresAtMs === null) {
        where.push('t.seq < ?');
        params.push(cursor.seq);
      }
      rows.push(...this.rows(from, where, params, 't.seq DESC', limit + 1 - rows.length));
    }
    const pageRows = rows.slice(0, limit);
    const last = pageRows[pageRows.length - 1];
    return {
      items: pageRows.map(toSummary),
      nextCursor: rows.length > limit && last ? encodeExpiryCursor(sort, last.seq, last.expires_at_ms) : null,
    };
  }

  /** Counts per status for a filter (its status ignored); the unfiltered counts are the kept ones. */
  countByStatus(query: TokenFilterQuery = {}): StatusCounts {
    const counts = emptyCounts();
    const f = tokenFilter({ ...this.deps, query, withStatus: false });
    const rows =
      f.where.length === 0
        ? [...this.deps.counts.all()].map(([status, n]) => ({ status, n }))
        : (this.conn
            .sql(
              // Any COUNT_CAP matches will do (no ORDER BY): the planner takes the cheapest index for the filter.
              `SELECT status, count(*) AS n FROM (SELECT t.status AS status FROM ${!f.text && hasTimeRange(query) ? 'tokens t INDEXED BY tokens_created' : f.from} WHERE ${f.where.join(' AND ')} LIMIT ?) GROUP BY status`,
            )
            .all(...f.params, COUNT_CAP + 1) as { status: string; n: number }[]);
    let total = 0;
    for (const r of rows) {
      if ((TOKEN_STATUSES as readonly string[]).includes(r.status)) counts[r.status as TokenStatus] += r.n;
      total += r.n;
    }
    return f.where.length > 0 && total > COUNT_CAP ? { ...counts, total, capped: true } : { ...counts, total };
  }
}

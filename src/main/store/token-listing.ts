/** The history list as the contract reads it: keyset pages, newest first, and per-status counts for a filter. */
import type { ListTokensQuery, StatusCounts, TokenPageWithCounts, TokenStatus } from '../../shared/model.ts';
import { TOKEN_STATUSES } from '../../shared/model.ts';
import { TokenscopeError } from '../../shared/result.ts';
import type { Connection } from './connection.ts';
import type { FtsIndex } from './fts-index.ts';
import { decodeCursor, encodeCursor } from './page-cursor.ts';
import { SUMMARY_COLUMNS, toSummary, type TokenRow } from './rows.ts';
import type { TokenCounts } from './token-counts.ts';
import type { StatusPolicy } from './status-policy.ts';
import { hasTimeRange, tokenFilter, type TokenFilterQuery } from './token-query.ts';

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

export class TokenListing {
  private readonly deps: TokenListingDeps;

  constructor(deps: TokenListingDeps) {
    this.deps = deps;
  }

  private get conn(): Connection {
    return this.deps.conn;
  }

  /**
   * One page of the history, newest first (by the order tokens entered it), keyset-paged so a page
   * costs the same at any depth and stays stable while tokens are added. The first page carries
   * the per-status counts for the same filter (status aside).
   */
  listTokens(query: ListTokensQuery = {}): TokenPageWithCounts {
    const limit = query.limit ?? 100;
    const cursor = query.cursor ? decodeCursor(query.cursor) : null;
    if (!cursor) this.deps.status.sweepExpired();
    const f = tokenFilter({ ...this.deps, query, withStatus: true });
    const where = [...f.where];
    const params = [...f.params];
    // A time range without text walks the time index itself, newest first: a page costs a page wherever the range lies.
    const byTime = !f.text && hasTimeRange(query);
    // Oldest first walks the same indexes the other way.
    const [before, direction] = query.order === 'oldest' ? ['>', 'ASC'] : ['<', 'DESC'];
    if (cursor !== null) {
      if (byTime) {
        if (cursor.createdAtMs === undefined)
          throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'the page cursor belongs to another query');
        where.push(`(t.created_at_ms ${before} ? OR (t.created_at_ms = ? AND t.seq ${before} ?))`);
        params.push(cursor.createdAtMs, cursor.createdAtMs, cursor.seq);
      } else {
        where.push(`${f.order} ${before} ?`);
        params.push(cursor.seq);
      }
    }
    const from = byTime ? 'tokens t INDEXED BY tokens_created' : f.from;
    const order = byTime ? `t.created_at_ms ${direction}, t.seq ${direction}` : `${f.order} ${direction}`;
    const sql = `SELECT ${SUMMARY_COLUMNS} FROM ${from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ?`;
    const rows = this.conn.sql(sql).all(...params, limit + 1) as TokenRow[];
    const pageRows = rows.slice(0, limit);
    const last = pageRows[pageRows.length - 1];
    const page: TokenPageWithCounts = {
      items: pageRows.map(toSummary),
      nextCursor: rows.length > limit && last ? encodeCursor(last.seq, byTime ? last.created_at_ms : undefined) : null,
    };
    return cursor === null ? { ...page, counts: this.countByStatus(query) } : page;
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

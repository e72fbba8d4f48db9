/** A token listing's filters (ListTokensQuery) → the FROM, WHERE and ORDER BY of one SQL query. */
import type { ListTokensQuery } from '../../shared/model.ts';
import type { Connection } from './connection.ts';
import { queryWords, type FtsIndex } from './fts-index.ts';
import { normalisedWords, wordMatches } from './search-terms.ts';
import { WORD_CHECK_SQL, wordCheckParam } from './word-check.ts';

export type TokenFilterQuery = Omit<ListTokensQuery, 'limit' | 'cursor'>;

/** The SQL of a filter: `tokens t` (or the FTS index joined to it) with its conditions, in `order` (a seq). */
export interface TokenFilter {
  readonly from: string;
  readonly where: readonly string[];
  readonly params: readonly unknown[];
  /** The column a page is ordered and keyset-paged by: `t.seq`, or `f.rowid` for a text search. */
  readonly order: string;
  /** True when the filter has a text search (the full-text index drives the query unless `textAs` is `filter`). */
  readonly text: boolean;
  /** True when a pasted value, hash or id matched one row exactly (`t.seq = ?`). */
  readonly exact: boolean;
}

/** What a filter is built from. */
export interface TokenQuery {
  readonly conn: Connection;
  readonly fts: FtsIndex;
  /** A pasted value, SHA-256 or id → the row's seq. */
  readonly tokens: { findExact(text: string): number | null };
  readonly query: TokenFilterQuery;
  /** Whether the query's status filters too (the per-status counts ignore it). */
  readonly withStatus: boolean;
  /**
   * How a text search joins: `drive` (default) walks the index in rowid (= seq) order; `filter` leaves `tokens t` as
   * the FROM (a listing walks another index of it) and keeps the matching rows by `t.seq IN (…)`.
   */
  readonly textAs?: 'drive' | 'filter';
}

/** Builds the SQL of a filter; ERR_INVALID_ARGUMENT for a bad filter value. */
export function tokenFilter({ conn, fts, tokens, query, withStatus, textAs = 'drive' }: TokenQuery): TokenFilter {
  const where: string[] = [];
  const params: unknown[] = [];
  const base = { from: 'tokens t', order: 't.seq', text: false, exact: false };
  const { check, ...textFilter } = searchFilter({ conn, fts, tokens }, query, where, params, textAs);
  addColumnFilters(conn, query, withStatus, where, params);
  if (check !== undefined) {
    // Last: the cheap conditions drop rows before their values are opened.
    where.push(WORD_CHECK_SQL);
    params.push(check);
  }
  return { ...base, ...textFilter, where, params };
}

/**
 * The text condition: an exact match of a pasted value, hash or id, else every query word must match a word of the
 * token or of its profile's name, through the keyed index (a token's profile is one of its index words). A word that
 * prefixes a common term (FtsIndex.isCommon) is, while another word is not, left out of the MATCH and checked on the
 * rows the others find (`check`: word-check.ts); when every word is common, all go to the MATCH.
 */
function searchFilter(
  { conn, fts, tokens }: Pick<TokenQuery, 'conn' | 'fts' | 'tokens'>,
  query: TokenFilterQuery,
  where: string[],
  params: unknown[],
  textAs: 'drive' | 'filter',
): Partial<Pick<TokenFilter, 'from' | 'order' | 'text' | 'exact'>> & { check?: string } {
  if (query.text === undefined || query.text === null || query.text.trim() === '') return {};
  const trimmed = query.text.trim();
  if (/^\S{16,}$/.test(trimmed)) {
    // A pasted token value, its SHA-256 or an id: look it up exactly as well as through the index.
    const exact = tokens.findExact(trimmed);
    if (exact !== null) {
      where.push('t.seq = ?');
      params.push(exact);
      return { exact: true };
    }
  }
  const words = queryWords(query.text);
  if (words.length === 0) {
    where.push('0');
    return {};
  }
  // Profiles are few: their names are matched here, in clear, as the list shows them.
  const profiles = (conn.sql('SELECT id, name FROM profiles').all() as { id: string; name: string }[]).map((p) => ({
    id: p.id,
    words: normalisedWords(p.name),
  }));
  const profilesOf = (w: string): string[] => profiles.filter((p) => p.words.some((pw) => wordMatches(w, pw))).map((p) => p.id);
  // Inside a write, the tokens it saved are searchable too.
  fts.flush();
  const common = words.filter((w) => fts.isCommon(w));
  let matched = common.length > 0 && common.length < words.length ? words.filter((w) => !common.includes(w)) : words;
  // Checking opens each row the other words find: only while they find few (else FTS5 merges the common doclists).
  if (matched !== words && candidates(conn, fts.match(matched, profilesOf)) > CHECKED_CANDIDATES) matched = words;
  const check = matched === words ? undefined : wordCheckParam(common, profilesOf);
  if (textAs === 'filter') {
    where.unshift('t.seq IN (SELECT rowid FROM token_terms WHERE token_terms MATCH ?)');
    params.unshift(fts.match(matched, profilesOf));
    return { text: true, check };
  }
  where.unshift('f.token_terms MATCH ?');
  params.unshift(fts.match(matched, profilesOf));
  // CROSS JOIN keeps the index as the outer loop, walked in rowid (= seq) order: a page costs a page.
  return { from: 'token_terms f CROSS JOIN tokens t ON t.seq = f.rowid', order: 'f.rowid', text: true, check };
}

/** A search checks its common words on the rows its other words find (word-check.ts) only up to this many rows. */
const CHECKED_CANDIDATES = 1000;

/** How many tokens an FTS5 query finds, counted up to CHECKED_CANDIDATES + 1. */
function candidates(conn: Connection, match: string): number {
  return conn
    .sql('SELECT count(*) FROM (SELECT rowid FROM token_terms WHERE token_terms MATCH ? LIMIT ?)')
    .pluck()
    .get(match, CHECKED_CANDIDATES + 1) as number;
}

function addColumnFilters(
  conn: Connection,
  query: TokenFilterQuery,
  withStatus: boolean,
  where: string[],
  params: unknown[],
): void {
  if (withStatus && query.status !== undefined && query.status !== null) {
    where.push('t.status = ?');
    params.push(query.status);
  }
  if (query.kind !== undefined && query.kind !== null) {
    where.push('t.kind = ?');
    params.push(query.kind);
  }
  if (query.profileId !== undefined && query.profileId !== null) {
    where.push('t.profile_id = ?');
    params.push(query.profileId);
  }
  if (query.grantId !== undefined && query.grantId !== null) {
    where.push('t.grant_id = ?');
    params.push(query.grantId);
  }
  if (query.expiringWithinMinutes !== undefined && query.expiringWithinMinutes !== null) {
    const minutes = query.expiringWithinMinutes;
    const now = conn.now();
    // Few tokens expire in any window: collect them through the partial index of active expiries.
    where.push(
      "t.seq IN (SELECT seq FROM tokens INDEXED BY tokens_active_expiry WHERE status = 'active' AND expires_at_ms > ? AND expires_at_ms <= ?)",
    );
    params.push(now, now + Math.round(minutes * 60_000));
  }
  const range: number[] = [];
  for (const key of ['fromMs', 'toMs'] as const) {
    const v = query[key];
    if (v === undefined || v === null) {
      range.push(key === 'fromMs' ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER);
      continue;
    }
    range.push(Math.round(v));
  }
  const [fromMs = 0, toMs = 0] = range;
  if (hasTimeRange(query)) {
    where.push('t.created_at_ms BETWEEN ? AND ?');
    params.push(fromMs, toMs);
  }
}

/** A creation-time range is part of the filter. */
export function hasTimeRange(query: TokenFilterQuery): boolean {
  return query.fromMs != null || query.toMs != null;
}

/**
 * The search index of tokens (`token_terms`, FTS5, rowid = tokens.seq): keyed terms of each token's words
 * (search-terms.ts), never the words themselves, and the free-text → FTS5 query rule.
 */
import { CommonTerms } from './common-terms.ts';
import type { Connection, WriteParticipant } from './connection.ts';
import { normalisedWords, profileWord, TermEncoder, tokenWords, type PartWordCache } from './search-terms.ts';

/** One token's words for the index (`id` tells a later token that reused the seq apart). */
export interface FtsRow {
  readonly seq: number;
  readonly id: string;
  readonly words: readonly string[];
}

/** The words of a free-text query (at most 16), normalised as the index's. */
export function queryWords(text: string): string[] {
  return [...new Set(normalisedWords(text))].slice(0, 16);
}

/** A long transaction (an import, a seed) writes its index rows in batches of this many. */
const FTS_BATCH = 1000;
/** A query word shorter than this (in UTF-8 bytes) prefixes too many words to be matched through the index alone. */
const SHORT_WORD_BYTES = 3;
/**
 * Index rows per INSERT statement, at most: FTS5 writes the terms of each statement as a segment of its own (it syncs at
 * every statement of a transaction), and fewer, larger segments are cheaper to write and to merge (measured with the
 * store's terms, 5,000 tokens: 50 rows a statement cost about 1.4 times as much index time a token as 1,000).
 */
const ROWS_PER_INSERT = FTS_BATCH;

export class FtsIndex implements WriteParticipant {
  private readonly conn: Connection;
  private readonly encoder: TermEncoder;
  /** The data key the terms are derived from (store_meta.search_key_id once the index is complete). */
  readonly keyId: number;
  /**
   * Index rows of tokens saved in the current `write`, by seq, written just before it commits: FTS5 flushes its
   * pending terms at every statement savepoint, so rows added between token inserts would each become a segment.
   */
  private readonly pending = new Map<number, FtsRow>();
  /**
   * Per open store.savepoint, the rows written to the index while it was open: if it rolls back, SQLite takes them
   * out of the index again, and those of tokens saved before it (still alive) must be written once more.
   */
  private readonly savepoints: FtsRow[][] = [];
  /** Normalised words of the short texts tokens share (tokenWords), forgotten on close. */
  private readonly wordCache: PartWordCache = new Map();
  /** Terms many tokens share: a query word that prefixes one is checked on rows, not matched through FTS5. */
  private readonly common: CommonTerms;

  constructor(conn: Connection, key: { readonly keyId: number; readonly key: Buffer }) {
    this.conn = conn;
    this.keyId = key.keyId;
    this.encoder = new TermEncoder(key.key);
    this.common = new CommonTerms(conn);
    conn.join(this);
  }

  /** The words a token is indexed by (tokenWords), the short texts tokens share normalised once. */
  wordsOf(
    columns: readonly (string | null)[],
    claims: Readonly<Record<string, unknown>> | null,
    profileId: string | null,
  ): string[] {
    return tokenWords(columns, claims, profileId, this.wordCache);
  }

  add(row: FtsRow): void {
    // A rolled-back savepoint can hand the same seq to a later token: the later row replaces it.
    this.pending.set(row.seq, row);
    if (!this.conn.inWrite || this.pending.size >= FTS_BATCH) this.flush();
  }

  private insert(rows: readonly FtsRow[]): void {
    const words = rows.map((r) => r.words);
    const terms = this.encoder.termsOf(words);
    this.common.count(words, (w) => this.encoder.queryPrefix(w));
    const values: unknown[] = [];
    rows.forEach((r, i) => values.push(r.seq, terms[i]));
    this.conn.insertMany('INSERT INTO token_terms (rowid, terms)', 2, values, ROWS_PER_INSERT);
  }

  /** Writes the pending rows (before a search, a delete or the commit). Skips tokens a rolled-back savepoint or a delete took away. */
  flush(): void {
    if (this.pending.size === 0) return;
    let from = Number.MAX_SAFE_INTEGER;
    for (const seq of this.pending.keys()) from = Math.min(from, seq);
    // One walk over the rows saved since (the pending ones are the newest) rather than a lookup per row.
    const alive = new Map<number, string>();
    for (const [seq, id] of this.conn.sql('SELECT seq, id FROM tokens WHERE seq >= ?').raw(true).all(from) as [number, string][])
      alive.set(seq, id);
    const rows = [...this.pending.values()].filter((r) => alive.get(r.seq) === r.id);
    this.pending.clear();
    this.insert(rows);
    this.savepoints.at(-1)?.push(...rows);
  }

  /** Indexes a token again (its words changed, e.g. its profile): the old entry goes, the new one is written with the write. */
  replace(row: FtsRow): void {
    this.conn.sql('DELETE FROM token_terms WHERE rowid = ?').run(row.seq);
    this.add(row);
  }

  /** Empties the index (inside a write). */
  clear(): void {
    this.pending.clear();
    this.common.clear();
    this.conn.sql("INSERT INTO token_terms (token_terms) VALUES ('delete-all')").run();
  }

  /**
   * Whether FTS5 would answer this query word slowly: it is a prefix of a term many tokens share (FTS5 merges the
   * doclists of every term a prefix query covers before its first row), or so short that it prefixes a great many
   * words. Such a word is checked on the rows the other words find (token-query.ts).
   */
  isCommon(word: string): boolean {
    return Buffer.byteLength(word, 'utf8') < SHORT_WORD_BYTES || this.common.hasPrefix(this.encoder.queryPrefix(word));
  }

  /**
   * The FTS5 query for query words (all of them must match): each word a quoted prefix of its term, or, for a word
   * that names profiles, one of those profiles' terms. No FTS syntax reaches SQLite from the user.
   */
  match(words: readonly string[], profilesOf: (word: string) => readonly string[] = () => []): string {
    return words
      .map((w) => {
        const own = `"${this.encoder.queryPrefix(w)}"*`;
        const profiles = profilesOf(w).map((id) => `"${this.encoder.queryPrefix(profileWord(id))}"`);
        return profiles.length === 0 ? own : `(${[own, ...profiles].join(' OR ')})`;
      })
      .join(' AND ');
  }

  mark(): number {
    this.savepoints.push([]);
    return this.savepoints.length;
  }

  rollbackTo(mark: number): void {
    // Queued again: the next flush writes those whose token is still there (the savepoint's own are gone).
    for (const row of this.savepoints.splice(mark - 1).flat()) if (!this.pending.has(row.seq)) this.pending.set(row.seq, row);
  }

  release(mark: number): void {
    const written = this.savepoints.splice(mark - 1).flat();
    this.savepoints.at(-1)?.push(...written);
  }

  beforeCommit(): void {
    this.flush();
  }

  afterWrite(): void {
    this.pending.clear();
    this.savepoints.length = 0;
  }

  close(): void {
    this.pending.clear();
    this.wordCache.clear();
    this.common.close();
    this.encoder.clear();
  }
}

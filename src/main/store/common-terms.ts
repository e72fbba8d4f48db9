/**
 * The search index's common terms (`search_common_terms`): the keyed terms of words that many tokens share
 * (`example`, `com`, `https`, a scope). FTS5 answers a prefix query (`"term"*`) by merging the whole doclist of every
 * term with that prefix before its first row, so a query word that is a prefix of a common term costs a scan of most
 * of the index (140 ms for `example` at 1M tokens) while an uncommon one costs a page. The search asks this table
 * which query words are such (token-query.ts) and checks those on the few rows the other words find instead.
 * The table holds terms only (no plaintext, as the index); it only grows (a term stays common after its tokens go,
 * which only makes a search take the checking path). A term becomes common when about COMMON_DOCS tokens saved by
 * one process have its word (counted on a sample), or (migration 9) when the index already held it in that many tokens.
 */
import type { Connection } from './connection.ts';

/** Tokens one process saves with a word before the word's term is kept as common (about: they are sampled). */
const COMMON_DOCS = 1000;
/** One saved token in this many is counted: a word in COMMON_DOCS tokens is counted about COMMON_DOCS / 16 times. */
const SAMPLE_EVERY = 16;
/** Counted tokens with a term before it is kept: 50, a fifth below COMMON_DOCS / SAMPLE_EVERY for the sample's spread. */
const COMMON_COUNTED = Math.floor((COMMON_DOCS / SAMPLE_EVERY) * 0.8);
/** Terms counted at most at once: past it, those counted only once or twice are forgotten (singletons are most). */
const MAX_COUNTED = 100_000;

export class CommonTerms {
  private readonly conn: Connection;
  /** Counted tokens with each term since this store opened; -1 once the term is kept. Terms only, no words. */
  private readonly seen = new Map<string, number>();
  /** Tokens indexed since this store opened (every SAMPLE_EVERY-th is counted, from a random start). */
  private indexed = Math.floor(Math.random() * SAMPLE_EVERY);

  constructor(conn: Connection) {
    this.conn = conn;
  }

  /**
   * Counts the words of tokens being indexed (`words` per token), one token in SAMPLE_EVERY, each distinct word once,
   * and keeps the terms that reach COMMON_COUNTED. `termOf` is the word's term (the encoder has it cached: the words
   * were just encoded). Which terms are kept only decides how a search runs, never what it finds.
   */
  count(words: readonly (readonly string[])[], termOf: (word: string) => string): void {
    const { seen } = this;
    let promoted: string[] | null = null;
    for (const token of words) {
      if (this.indexed++ % SAMPLE_EVERY !== 0) continue;
      for (const w of new Set(token)) {
        const term = termOf(w);
        const n = seen.get(term);
        if (n === -1) continue;
        const next = (n ?? 0) + 1;
        if (next < COMMON_COUNTED) {
          seen.set(term, next);
          continue;
        }
        seen.set(term, -1);
        (promoted ??= []).push(term);
      }
    }
    if (promoted !== null) {
      const insert = this.conn.sql('INSERT OR IGNORE INTO search_common_terms (term) VALUES (?)');
      for (const term of promoted) insert.run(term);
    }
    if (seen.size > MAX_COUNTED) for (const [term, n] of seen) if (n >= 0 && n <= 2) seen.delete(term);
  }

  /** Whether a common term starts with `prefix` (a query word's term prefix). */
  hasPrefix(prefix: string): boolean {
    // The terms are base32 (a–z, 2–7): every term with the prefix sorts below prefix + '~'.
    return (
      this.conn.sql('SELECT 1 FROM search_common_terms WHERE term >= ? AND term < ? LIMIT 1').get(prefix, `${prefix}~`) !==
      undefined
    );
  }

  /** Forgets every common term (the index is emptied, inside a write). */
  clear(): void {
    this.seen.clear();
    this.conn.sql('DELETE FROM search_common_terms').run();
  }

  close(): void {
    this.seen.clear();
  }
}

/**
 * The search index's common terms (`search_common_terms`): the keyed terms of words that many tokens share
 * (`example`, `com`, `https`, a scope). FTS5 answers a prefix query (`"term"*`) by merging the whole doclist of every
 * term with that prefix before its first row, so a query word that is a prefix of a common term costs a scan of most
 * of the index (140 ms for `example` at 1M tokens) while an uncommon one costs a page. The search asks this table
 * which query words are such (token-query.ts) and checks those on the few rows the other words find instead.
 * The table holds terms only (no plaintext, as the index); it only grows (a term stays common after its tokens go,
 * which only makes a search take the checking path). A term becomes common when COMMON_DOCS tokens saved by one
 * process have its word, or (migration 9) when the index already held it in that many tokens.
 */
import type { Connection } from './connection.ts';

/** Tokens one process saves with a word before the word's term is kept as common. */
export const COMMON_DOCS = 1000;
/** Words counted at most at once: past it, those seen only once or twice are forgotten (singletons are most words). */
const MAX_COUNTED = 200_000;

export class CommonTerms {
  private readonly conn: Connection;
  /** Tokens saved with each word since this store opened; -1 once the word's term is kept. */
  private readonly seen = new Map<string, number>();

  constructor(conn: Connection) {
    this.conn = conn;
  }

  /**
   * Counts the words of tokens being indexed (`words` per token) and keeps the terms of those that reach
   * COMMON_DOCS. `termOf` is the word's term (the encoder has it cached: the words were just encoded).
   */
  count(words: readonly (readonly string[])[], termOf: (word: string) => string): void {
    const { seen } = this;
    let promoted: string[] | null = null;
    for (const token of words) {
      for (const w of token) {
        const n = seen.get(w);
        if (n === -1) continue;
        const next = (n ?? 0) + 1;
        if (next < COMMON_DOCS) {
          seen.set(w, next);
          continue;
        }
        seen.set(w, -1);
        (promoted ??= []).push(termOf(w));
      }
    }
    if (promoted !== null) {
      const insert = this.conn.sql('INSERT OR IGNORE INTO search_common_terms (term) VALUES (?)');
      for (const term of promoted) insert.run(term);
    }
    if (seen.size > MAX_COUNTED) for (const [w, n] of seen) if (n >= 0 && n <= 2) seen.delete(w);
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

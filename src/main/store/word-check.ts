/**
 * The search's check of query words on rows (token-query.ts): a word FTS5 would answer slowly (it prefixes a common
 * term: common-terms.ts) is left out of the MATCH and checked on the rows the other words find, by the SQL function
 * `tokenscope_has_words`, which opens each such row's sealed value and derives its index words again
 * (search-terms.ts tokenHasWords). Same answer as the index, at the cost of opening the rows the other words find.
 */
import type { Connection } from './connection.ts';
import { checkedWord, tokenHasWords, type CheckedWord } from './search-terms.ts';
import type { TokenRow } from './rows.ts';

/** The row columns a token's index words come from, as the check reads them. */
export type WordCheckRow = Pick<
  TokenRow,
  'id' | 'value_enc' | 'issuer' | 'subject' | 'client_id' | 'scopes' | 'preview' | 'profile_id'
>;

/** The condition on `tokens t`; its one parameter is `wordCheckParam`. */
export const WORD_CHECK_SQL =
  'tokenscope_has_words(t.id, t.value_enc, t.issuer, t.subject, t.client_id, t.scopes, t.preview, t.profile_id, ?) = 1';

/** The parameter of WORD_CHECK_SQL for these query words (each with the profiles whose name it matches). */
export function wordCheckParam(words: readonly string[], profilesOf: (word: string) => readonly string[]): string {
  return JSON.stringify(words.map((w) => [w, profilesOf(w)]));
}

/** Parsed parameters, by their text (a search runs its page and its counts with the same one). */
const PARSED_CACHE = 16;

/**
 * Registers `tokenscope_has_words` on the connection. `wordsOf(row, false)` derives a row's index words from its
 * columns alone (they come first in tokenWords, so they are among the words the index keeps); `wordsOf(row, true)`
 * all of them, the sealed value opened for its claims: only when the columns do not already match every word.
 */
export function registerWordCheck(conn: Connection, wordsOf: (row: WordCheckRow, withClaims: boolean) => string[]): void {
  const parsed = new Map<string, CheckedWord[]>();
  const checkedOf = (param: string): CheckedWord[] => {
    let found = parsed.get(param);
    if (found === undefined) {
      found = (JSON.parse(param) as [string, string[]][]).map(([w, ids]) => checkedWord(w, ids));
      if (parsed.size >= PARSED_CACHE) parsed.clear();
      parsed.set(param, found);
    }
    return found;
  };
  const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  conn.db.function(
    'tokenscope_has_words',
    { deterministic: false },
    (
      id: unknown,
      valueEnc: unknown,
      issuer: unknown,
      subject: unknown,
      clientId: unknown,
      scopes: unknown,
      preview: unknown,
      profileId: unknown,
      param: unknown,
    ) => {
      const row: WordCheckRow = {
        id: text(id) ?? '',
        value_enc: Buffer.isBuffer(valueEnc) ? valueEnc : null,
        issuer: text(issuer),
        subject: text(subject),
        client_id: text(clientId),
        scopes: text(scopes) ?? '',
        preview: text(preview) ?? '',
        profile_id: text(profileId),
      };
      const checked = checkedOf(text(param) ?? '[]');
      if (tokenHasWords(wordsOf(row, false), row.profile_id, checked)) return 1;
      return tokenHasWords(wordsOf(row, true), row.profile_id, checked) ? 1 : 0;
    },
  );
}

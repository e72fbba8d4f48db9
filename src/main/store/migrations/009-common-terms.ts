/**
 * Migration 9: `search_common_terms`, the keyed terms of the words many tokens share (common-terms.ts), so a search
 * knows which query words FTS5 would answer by merging a huge doclist. Filled once from the index as it stands: the
 * terms found in at least 1,000 tokens (the vocabulary's `doc` count). Terms only, no plaintext, as the index.
 */
import type { Migration } from './index.ts';

export const migration009: Migration = {
  version: 9,
  name: 'common search terms',
  up(db) {
    db.exec(`
      CREATE TABLE search_common_terms (term TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
      CREATE VIRTUAL TABLE temp.token_terms_vocab_009 USING fts5vocab (main, token_terms, row);
      INSERT INTO search_common_terms (term) SELECT term FROM temp.token_terms_vocab_009 WHERE doc >= 1000;
      DROP TABLE temp.token_terms_vocab_009;
    `);
  },
};

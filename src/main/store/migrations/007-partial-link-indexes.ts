/**
 * Migration 7: a cheaper save. Most tokens belong to no profile or grant (pasted, imported, client credentials): the
 * profile and grant indexes now hold only the tokens that do (partial indexes, `IS NOT NULL`), so saving one of the
 * others writes two index entries fewer. Every query by a profile or grant (`profile_id = ?`, `grant_id = ?`, and
 * the foreign keys' SET NULL) still uses them: `x = ?` implies `x IS NOT NULL`. Rows are not touched.
 */
import type { Migration } from './index.ts';

export const migration007: Migration = {
  version: 7,
  name: 'partial-link-indexes',
  up(db) {
    db.exec(`
      DROP INDEX IF EXISTS tokens_profile;
      CREATE INDEX tokens_profile ON tokens (profile_id, seq, status) WHERE profile_id IS NOT NULL;
      DROP INDEX IF EXISTS tokens_grant;
      CREATE INDEX tokens_grant ON tokens (grant_id, seq) WHERE grant_id IS NOT NULL;
    `);
  },
};

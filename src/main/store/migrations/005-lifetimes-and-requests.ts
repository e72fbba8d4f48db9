/**
 * Migration 5: what a token response did not settle and what its request asked for. A token may keep a lifetime
 * whose start is unknown (`lifetime_s`: an imported `expires_in` with no time to count from; status 'unknown'), and
 * an issuance keeps the scopes its request asked for, the scopes the server said it granted (NULL: it did not say),
 * the `prompt` the authorization request carried, and whether an automatic refresh made it. Existing rows keep
 * their data and get NULL/0 ("not recorded").
 */
import type { Migration } from './index.ts';

export const migration005: Migration = {
  version: 5,
  name: 'lifetimes and requests',
  up(db) {
    db.exec(`
      ALTER TABLE tokens ADD COLUMN lifetime_s INTEGER;
      ALTER TABLE issuances ADD COLUMN requested_scope TEXT;
      ALTER TABLE issuances ADD COLUMN granted_scope TEXT;
      ALTER TABLE issuances ADD COLUMN prompt TEXT;
      ALTER TABLE issuances ADD COLUMN automatic INTEGER NOT NULL DEFAULT 0;
    `);
  },
};

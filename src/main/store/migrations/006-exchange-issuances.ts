/**
 * Migration 6: a token exchange (RFC 8693) issuance names the token it exchanged (the subject token), the actor
 * token when one was sent, and the `issued_token_type` the server answered. Older rows keep NULL: not an exchange.
 */
import type { Migration } from './index.ts';

export const migration006: Migration = {
  version: 6,
  name: 'exchange-issuances',
  up(db) {
    db.exec(`
      ALTER TABLE issuances ADD COLUMN subject_token_id TEXT;
      ALTER TABLE issuances ADD COLUMN actor_token_id TEXT;
      ALTER TABLE issuances ADD COLUMN issued_token_type TEXT;
      CREATE INDEX issuances_subject ON issuances (subject_token_id) WHERE subject_token_id IS NOT NULL;
    `);
  },
};

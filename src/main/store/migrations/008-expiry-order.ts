/**
 * Migration 8: the index a list sorted by expiry walks. Migration 3 rebuilt `tokens` and left out the old
 * `tokens_expires` (expires_at_ms); sorting by Expires pages on (expires_at_ms, seq), so that is the index, in that
 * order: a sorted page costs a page at any history size, and tokens with no expiry (NULL) sit together for their own
 * pass, newest first. Rows are untouched.
 */
import type { Migration } from './index.ts';

export const migration008: Migration = {
  version: 8,
  name: 'expiry order',
  up(db) {
    db.exec(`
      DROP INDEX IF EXISTS tokens_expires;
      CREATE INDEX tokens_expires ON tokens (expires_at_ms, seq);
    `);
  },
};

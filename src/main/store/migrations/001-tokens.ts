/** Migration 1: the tokens table of the first release. */
import type { Migration } from './index.ts';

export const migration001: Migration = {
  version: 1,
  name: 'tokens',
  up(db) {
    db.exec(`
      CREATE TABLE tokens (
        id            TEXT PRIMARY KEY,
        kind          TEXT NOT NULL,
        format        TEXT NOT NULL,
        hash          TEXT NOT NULL UNIQUE,
        value_enc     BLOB,
        preview       TEXT NOT NULL,
        issuer        TEXT,
        subject       TEXT,
        client_id     TEXT,
        scopes        TEXT NOT NULL DEFAULT '',
        issued_at_ms  INTEGER,
        expires_at_ms INTEGER,
        status        TEXT NOT NULL DEFAULT 'active',
        created_at_ms INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX tokens_created ON tokens (created_at_ms DESC, id DESC);
    `);
  },
};

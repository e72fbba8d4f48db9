/**
 * Migration 3: nothing readable on disk but what the list needs, and a cheaper insert.
 * - `header_json`, `claims_json` and `jti` are dropped: they are read from the sealed value when a token is shown.
 * - The 64-hex UNIQUE `hash` index becomes `hash_key` (the first 8 bytes of the SHA-256 as an INTEGER, not
 *   unique: a lookup compares the full hash); ids made from now on are time-ordered (UUIDv7).
 * - Only the indexes a listing filter needs; the count triggers go (the store keeps the counts per transaction).
 * - The plaintext FTS5 index is dropped (secure_delete zeroes its pages); `token_terms` holds keyed terms only and
 *   is filled by the store once the data key is loaded (`store_meta.search_key_id` says with which key).
 */
import type { Migration } from './index.ts';
import { hashKeyOf } from '../envelope.ts';

export const migration003: Migration = {
  version: 3,
  name: 'sealed-index',
  up(db) {
    db.function('tokenscope_hash_key', { deterministic: true, safeIntegers: true }, (h: unknown) =>
      hashKeyOf(typeof h === 'string' ? h : ''),
    );
    db.exec(`
      DROP TRIGGER IF EXISTS tokens_fts_delete;
      DROP TRIGGER IF EXISTS tokens_count_insert;
      DROP TRIGGER IF EXISTS tokens_count_delete;
      DROP TRIGGER IF EXISTS tokens_count_update;
      DROP TABLE IF EXISTS tokens_fts;

      CREATE TABLE tokens_v3 (
        seq           INTEGER PRIMARY KEY,
        id            TEXT NOT NULL,
        hash_key      INTEGER NOT NULL,
        hash          TEXT NOT NULL,
        kind          TEXT NOT NULL,
        format        TEXT NOT NULL,
        value_enc     BLOB,
        key_id        INTEGER,
        preview       TEXT NOT NULL,
        issuer        TEXT,
        subject       TEXT,
        client_id     TEXT,
        scopes        TEXT NOT NULL DEFAULT '',
        issued_at_ms  INTEGER,
        expires_at_ms INTEGER,
        status        TEXT NOT NULL DEFAULT 'active',
        status_before TEXT,
        grant_id      TEXT REFERENCES grants (id) ON DELETE SET NULL,
        profile_id    TEXT REFERENCES profiles (id) ON DELETE SET NULL,
        source        TEXT NOT NULL DEFAULT 'unknown',
        created_at_ms INTEGER NOT NULL,
        updated_at_ms INTEGER NOT NULL
      ) STRICT;
      INSERT INTO tokens_v3 (seq, id, hash_key, hash, kind, format, value_enc, key_id, preview, issuer, subject, client_id,
                             scopes, issued_at_ms, expires_at_ms, status, status_before, grant_id, profile_id, source,
                             created_at_ms, updated_at_ms)
        SELECT seq, id, tokenscope_hash_key(hash), hash, kind, format, value_enc, key_id, preview, issuer, subject, client_id,
               scopes, issued_at_ms, expires_at_ms, status, status_before, grant_id, profile_id, source,
               created_at_ms, updated_at_ms
        FROM tokens ORDER BY seq;
      DROP TABLE tokens;
      ALTER TABLE tokens_v3 RENAME TO tokens;

      -- id: time-ordered from now on, so this index grows at its end.
      CREATE UNIQUE INDEX tokens_id ON tokens (id);
      CREATE INDEX tokens_hash_key ON tokens (hash_key);
      -- (x, seq, status): a page of a filter walks one index in seq order, and its capped count never reads the rows.
      CREATE INDEX tokens_status ON tokens (status, seq);
      CREATE INDEX tokens_kind ON tokens (kind, seq, status);
      CREATE INDEX tokens_profile ON tokens (profile_id, seq, status);
      CREATE INDEX tokens_grant ON tokens (grant_id, seq);
      CREATE INDEX tokens_active_expiry ON tokens (expires_at_ms) WHERE status = 'active';
      CREATE INDEX tokens_created ON tokens (created_at_ms, seq);

      -- Keyed terms only (see search-terms.ts); rowid = tokens.seq. No positions: a query is an AND of word prefixes.
      CREATE VIRTUAL TABLE token_terms USING fts5 (
        terms, content = '', contentless_delete = 1, detail = 'none', tokenize = 'ascii'
      );
      CREATE TRIGGER token_terms_delete AFTER DELETE ON tokens BEGIN
        DELETE FROM token_terms WHERE rowid = old.seq;
      END;

      CREATE TABLE store_meta (key TEXT PRIMARY KEY, value ANY) STRICT;

      -- The counts stay a table (exact and O(1) for the unfiltered chips), kept by the store instead of a trigger.
      DELETE FROM token_status_counts;
      INSERT INTO token_status_counts (status, n) SELECT status, count(*) FROM tokens GROUP BY status;
    `);
  },
};

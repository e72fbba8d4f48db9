/**
 * Migration 2: the full history. Rebuilds `tokens` with an INTEGER `seq` key (a stable rowid for
 * FTS5 and keyset paging, which VACUUM cannot renumber), and adds data keys, profiles, grants,
 * events, the HTTP exchange log, the FTS5 index and per-status counts. Every v1 row is kept.
 */
import type { Migration } from './index.ts';

export const migration002: Migration = {
  version: 2,
  name: 'history',
  up(db) {
    db.exec(`
      CREATE TABLE data_keys (
        id            INTEGER PRIMARY KEY,
        wrapped       BLOB NOT NULL,
        backend       TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE profiles (
        id            TEXT PRIMARY KEY,
        name          TEXT NOT NULL,
        settings_json TEXT NOT NULL DEFAULT '{}',
        secrets_enc   BLOB,
        created_at_ms INTEGER NOT NULL,
        updated_at_ms INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE grants (
        id            TEXT PRIMARY KEY,
        profile_id    TEXT REFERENCES profiles (id) ON DELETE SET NULL,
        grant_type    TEXT NOT NULL,
        issuer        TEXT,
        client_id     TEXT,
        scopes        TEXT NOT NULL DEFAULT '',
        state         TEXT NOT NULL DEFAULT 'live',
        dead_reason   TEXT,
        created_at_ms INTEGER NOT NULL,
        updated_at_ms INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX grants_profile ON grants (profile_id);

      CREATE TABLE tokens_v2 (
        seq           INTEGER PRIMARY KEY,
        id            TEXT NOT NULL UNIQUE,
        kind          TEXT NOT NULL,
        format        TEXT NOT NULL,
        hash          TEXT NOT NULL UNIQUE,
        value_enc     BLOB,
        key_id        INTEGER,
        preview       TEXT NOT NULL,
        issuer        TEXT,
        subject       TEXT,
        client_id     TEXT,
        jti           TEXT,
        scopes        TEXT NOT NULL DEFAULT '',
        issued_at_ms  INTEGER,
        expires_at_ms INTEGER,
        status        TEXT NOT NULL DEFAULT 'active',
        status_before TEXT,
        grant_id      TEXT REFERENCES grants (id) ON DELETE SET NULL,
        profile_id    TEXT REFERENCES profiles (id) ON DELETE SET NULL,
        source        TEXT NOT NULL DEFAULT 'unknown',
        header_json   TEXT,
        claims_json   TEXT,
        created_at_ms INTEGER NOT NULL,
        updated_at_ms INTEGER NOT NULL
      ) STRICT;
      INSERT INTO tokens_v2 (id, kind, format, hash, value_enc, preview, issuer, subject, client_id, scopes,
                             issued_at_ms, expires_at_ms, status, created_at_ms, updated_at_ms)
        SELECT id, kind, format, hash, value_enc, preview, issuer, subject, client_id, scopes,
               issued_at_ms, expires_at_ms, status, created_at_ms, created_at_ms
        FROM tokens ORDER BY created_at_ms, id;
      DROP TABLE tokens;
      ALTER TABLE tokens_v2 RENAME TO tokens;
      -- (x, seq, status): a page of a filter walks one index in seq order, and its capped count never reads the rows.
      CREATE INDEX tokens_status ON tokens (status, seq);
      CREATE INDEX tokens_kind ON tokens (kind, seq, status);
      CREATE INDEX tokens_profile ON tokens (profile_id, seq, status);
      CREATE INDEX tokens_grant ON tokens (grant_id, seq);
      CREATE INDEX tokens_expires ON tokens (expires_at_ms);
      CREATE INDEX tokens_active_expiry ON tokens (expires_at_ms) WHERE status = 'active';
      CREATE INDEX tokens_created ON tokens (created_at_ms, seq);
      CREATE INDEX tokens_key ON tokens (key_id) WHERE key_id IS NOT NULL;

      -- Contentless FTS5 (the text lives in tokens); rowid = tokens.seq.
      CREATE VIRTUAL TABLE tokens_fts USING fts5 (
        issuer, subject, client_id, jti, scopes, claims,
        content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
      );
      INSERT INTO tokens_fts (rowid, issuer, subject, client_id, jti, scopes, claims)
        SELECT seq, coalesce(issuer, ''), coalesce(subject, ''), coalesce(client_id, ''), '', scopes, '' FROM tokens;
      CREATE TRIGGER tokens_fts_delete AFTER DELETE ON tokens BEGIN
        DELETE FROM tokens_fts WHERE rowid = old.seq;
      END;

      -- Per-status counts for the unfiltered filter chips, kept exact by triggers.
      CREATE TABLE token_status_counts (status TEXT PRIMARY KEY, n INTEGER NOT NULL) STRICT;
      INSERT INTO token_status_counts (status, n) SELECT status, count(*) FROM tokens GROUP BY status;
      CREATE TRIGGER tokens_count_insert AFTER INSERT ON tokens BEGIN
        INSERT INTO token_status_counts (status, n) VALUES (new.status, 1)
          ON CONFLICT (status) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER tokens_count_delete AFTER DELETE ON tokens BEGIN
        UPDATE token_status_counts SET n = n - 1 WHERE status = old.status;
      END;
      CREATE TRIGGER tokens_count_update AFTER UPDATE OF status ON tokens WHEN old.status IS NOT new.status BEGIN
        UPDATE token_status_counts SET n = n - 1 WHERE status = old.status;
        INSERT INTO token_status_counts (status, n) VALUES (new.status, 1)
          ON CONFLICT (status) DO UPDATE SET n = n + 1;
      END;

      CREATE TABLE events (
        seq          INTEGER PRIMARY KEY,
        id           TEXT NOT NULL UNIQUE,
        token_id     TEXT,
        grant_id     TEXT,
        type         TEXT NOT NULL,
        detail_json  TEXT NOT NULL DEFAULT '{}',
        at_ms        INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX events_token ON events (token_id, seq) WHERE token_id IS NOT NULL;
      CREATE INDEX events_grant ON events (grant_id, seq) WHERE grant_id IS NOT NULL;

      CREATE TABLE exchanges (
        seq           INTEGER PRIMARY KEY,
        id            TEXT NOT NULL UNIQUE,
        grant_id      TEXT,
        flow_id       TEXT,
        token_id      TEXT,
        method        TEXT NOT NULL,
        url           TEXT NOT NULL,
        status        INTEGER,
        duration_ms   INTEGER,
        started_at_ms INTEGER NOT NULL,
        payload_enc   BLOB NOT NULL
      ) STRICT;
      CREATE INDEX exchanges_grant ON exchanges (grant_id, seq) WHERE grant_id IS NOT NULL;
      CREATE INDEX exchanges_flow ON exchanges (flow_id, seq) WHERE flow_id IS NOT NULL;
      CREATE INDEX exchanges_token ON exchanges (token_id, seq) WHERE token_id IS NOT NULL;
    `);
  },
};

/** The `tokens` table: saving (deduplicated by value hash, sealed at rest), reading, status changes, deleting, walking. */
import type { TokenStatus, TokenSummary } from '../../shared/model.ts';
import { TokenscopeError } from '../../shared/result.ts';
import { checkColumn, checkId, checkKind, checkSettableStatus } from './arguments.ts';
import type { Connection } from './connection.ts';
import type { Keyring } from './envelope.ts';
import { hashKeyOf, tokenDigest } from './envelope.ts';
import { maskValue } from '../../shared/mask.ts';
import type { EventLog } from './event-log.ts';
import type { FtsIndex } from './fts-index.ts';
import { uuidv7 } from './ids.ts';
import type { SaveTokenInput, SaveTokenOutcome } from './inputs.ts';
import { insertTokenRow } from './token-insert.ts';
import { SUMMARY_COLUMNS, toSummary, unreadablePreview, type TokenRow } from './rows.ts';
import type { TokenCounts } from './token-counts.ts';
import { initialStatus } from './status-policy.ts';
import { checkTokenValue, tokenFacts, type TokenFacts } from './token-facts.ts';
import { tokenFilter, type TokenFilterQuery } from './token-query.ts';
import { registerWordCheck } from './word-check.ts';

/** Which tokens `eachToken` walks: the given ids, or those matching a filter (default: all). */
export interface TokenSelection {
  readonly ids?: readonly string[];
  readonly filter?: TokenFilterQuery;
}

/** What a token's detail reads from its sealed value: header, claims and jti (none of them is kept in clear). */
export interface SealedFacts {
  readonly header: Record<string, unknown> | null;
  readonly claims: Record<string, unknown> | null;
  readonly jti: string | null;
}

/** The columns of a row the search index reads besides the value. */
const INDEX_COLUMNS = ['id', 'value_enc', 'issuer', 'subject', 'client_id', 'scopes', 'preview', 'profile_id'] as const;
type IndexRow = Pick<TokenRow, (typeof INDEX_COLUMNS)[number] | 'seq'>;

/** The words of a token the search index holds. */
function wordsOf(row: Omit<IndexRow, 'seq' | 'id' | 'value_enc'>, facts: TokenFacts | null, fts: FtsIndex): string[] {
  return fts.wordsOf([row.issuer, row.subject, row.client_id, row.scopes, row.preview], facts?.claims ?? null, row.profile_id);
}

export class TokenRepository {
  private readonly conn: Connection;
  private readonly keyring: Keyring;
  private readonly fts: FtsIndex;
  private readonly events: EventLog;
  private readonly counts: TokenCounts;

  constructor(conn: Connection, keyring: Keyring, fts: FtsIndex, events: EventLog, counts: TokenCounts) {
    this.conn = conn;
    this.keyring = keyring;
    this.fts = fts;
    this.events = events;
    this.counts = counts;
    registerWordCheck(conn, (row, withClaims) =>
      withClaims ? this.indexRow({ ...row, seq: 0 }).words : wordsOf(row, null, fts),
    );
  }

  /** The row with this SHA-256 (hex): looked up by its short key, then compared in full. */
  private byHash<T extends { hash: string }>(columns: string, hash: string): T | undefined {
    const rows = this.conn.sql(`SELECT ${columns}, hash FROM tokens WHERE hash_key = ?`).all(hashKeyOf(hash)) as T[];
    return rows.find((r) => r.hash === hash);
  }

  /**
   * Saves a token (deduplicated by the SHA-256 of its value). Claims fill in whatever the caller left out.
   * A token already present keeps its row; a missing grant/profile link is filled in, and an unreadable
   * row (key lost) is sealed again with the current key: this is how such tokens are re-obtained.
   */
  saveToken(input: SaveTokenInput): SaveTokenOutcome {
    const value = checkTokenValue(input.value);
    checkKind(input.kind);
    const facts = tokenFacts(value, input.strict === true);
    const digest = tokenDigest(value);
    const now = this.conn.now();
    const { conn, keyring } = this;
    return conn.write(() => {
      const candidates = conn
        .sql('SELECT seq, id, status, status_before, key_id, hash, profile_id FROM tokens WHERE hash_key = ?')
        .all(digest.key) as {
        seq: number;
        profile_id: string | null;
        id: string;
        status: string;
        status_before: string | null;
        key_id: number | null;
        hash: string;
      }[];
      const existing = candidates.find((r) => r.hash === digest.hash);
      if (existing) {
        conn
          .sql('UPDATE tokens SET grant_id = coalesce(grant_id, ?), profile_id = coalesce(profile_id, ?) WHERE id = ?')
          .run(input.grantId ?? null, input.profileId ?? null, existing.id);
        // Its profile is one of its index words.
        if (existing.profile_id === null && input.profileId) this.reindex([existing.seq]);
        if (
          existing.status === 'unreadable' ||
          (existing.key_id !== null && existing.key_id !== keyring.current && !this.canRead(existing.id))
        ) {
          conn
            .sql(
              `UPDATE tokens SET value_enc = ?, key_id = ?, status = coalesce(status_before, 'active'), status_before = NULL, updated_at_ms = ? WHERE id = ?`,
            )
            .run(keyring.seal(value, `token:${existing.id}`), keyring.current, now, existing.id);
          if (existing.status === 'unreadable') this.counts.move('unreadable', existing.status_before ?? 'active');
        }
        return { id: existing.id, created: false };
      }
      const id = input.id === undefined ? uuidv7() : checkId(input.id, 'id');
      // An opaque refresh token says nothing about itself: its grant knows the issuer and client. Read only then: that
      // the grant and the profile exist is checked by the INSERT's foreign keys (token-insert.ts), not by a lookup per save.
      const grantFacts = input.grantId && ((input.issuer ?? facts.issuer) == null || (input.clientId ?? facts.clientId) == null);
      const grant = grantFacts
        ? (conn.sql('SELECT issuer, client_id FROM grants WHERE id = ?').get(input.grantId) as
            { issuer: string | null; client_id: string | null } | undefined)
        : undefined;
      if (grantFacts && !grant) throw new TokenscopeError('ERR_NOT_FOUND', 'no such grant in the history');
      const expiresAtMs = input.expiresAtMs !== undefined ? input.expiresAtMs : facts.expiresAtMs;
      const scopes = (input.scopes ?? facts.scopes).filter((s) => s !== '').join(' ');
      const issuer = input.issuer ?? facts.issuer ?? grant?.issuer ?? null;
      const subject = input.subject ?? facts.subject;
      const clientId = input.clientId ?? facts.clientId ?? grant?.client_id ?? null;
      const preview = maskValue(value, digest.hash);
      const lifetimeS = expiresAtMs === null ? (input.lifetimeS ?? null) : null;
      const status = initialStatus(input.status, expiresAtMs, now, lifetimeS);
      // Positional parameters: binding 20 named ones from an object costs more than the rest of the call's JS.
      const info = insertTokenRow(conn, input, [
        id,
        digest.key,
        digest.hash,
        input.kind,
        input.format || (facts.isJwt ? 'jwt' : 'opaque'),
        keyring.seal(value, `token:${id}`),
        keyring.current,
        preview,
        issuer,
        subject,
        clientId,
        scopes,
        input.issuedAtMs !== undefined ? input.issuedAtMs : facts.issuedAtMs,
        expiresAtMs,
        lifetimeS,
        status,
        input.grantId ?? null,
        input.profileId ?? null,
        input.source || 'unknown',
        input.createdAtMs ?? now,
        now,
      ]);
      this.counts.change(status, 1);
      this.fts.add({
        seq: Number(info.lastInsertRowid),
        id,
        words: wordsOf(
          { issuer, subject, client_id: clientId, scopes, preview, profile_id: input.profileId ?? null },
          facts,
          this.fts,
        ),
      });
      return { id, created: true };
    });
  }

  /** The index words of a row, its sealed value opened for the claims (none when it cannot be opened here). */
  private indexRow(row: IndexRow): { seq: number; id: string; words: string[] } {
    const value = this.valueOfRow(row);
    let facts: TokenFacts | null;
    try {
      facts = value === null ? null : tokenFacts(value);
    } catch {
      facts = null;
    }
    return { seq: row.seq, id: row.id, words: wordsOf(row, facts, this.fts) };
  }

  /** Indexes these tokens again (their profile changed). */
  reindex(seqs: readonly number[]): void {
    if (seqs.length === 0) return;
    this.conn.write(() => {
      const stmt = this.conn.sql(`SELECT seq, ${INDEX_COLUMNS.join(', ')} FROM tokens WHERE seq = ?`);
      for (const seq of seqs) {
        const row = stmt.get(seq) as IndexRow | undefined;
        if (row) this.fts.replace(this.indexRow(row));
      }
    });
  }

  /**
   * Fills the search index from the rows (a history migrated from schema 2, or one whose current data key changed):
   * each readable value is opened to read its claims; an unreadable row is indexed by its plaintext columns.
   */
  rebuildSearchIndex(): number {
    return this.conn.write(() => {
      this.fts.clear();
      let n = 0;
      for (const rows of this.eachToken({}, 1000, INDEX_COLUMNS)) {
        for (const row of rows) {
          this.fts.add(this.indexRow(row));
          n++;
        }
      }
      this.conn
        .sql(
          "INSERT INTO store_meta (key, value) VALUES ('search_key_id', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .run(this.fts.keyId);
      return n;
    });
  }

  /**
   * Previews written by versions whose mask kept characters of the value (`eyJh…wxyz`) are rewritten with today's
   * mask, once per history (a `store_meta` mark), and their rows re-indexed. An unreadable value gets a mask made from
   * what the row knows without it (its size and hash). Returns how many were rewritten.
   */
  repairPreviews(): number {
    const done = this.conn.sql("SELECT value FROM store_meta WHERE key = 'previews_masked'").get();
    if (done !== undefined) return 0;
    return this.conn.write(() => {
      const rows = this.conn.sql("SELECT seq, id, hash, value_enc FROM tokens WHERE preview NOT LIKE '«secret %'").all() as {
        seq: number;
        id: string;
        hash: string;
        value_enc: Buffer | null;
      }[];
      const update = this.conn.sql('UPDATE tokens SET preview = ? WHERE seq = ?');
      for (const row of rows) {
        const value = this.valueOfRow(row);
        update.run(value === null ? unreadablePreview(row) : maskValue(value), row.seq);
      }
      this.reindex(rows.map((r) => r.seq));
      this.conn.sql("INSERT OR REPLACE INTO store_meta (key, value) VALUES ('previews_masked', 1)").run();
      return rows.length;
    });
  }

  /** Whether the search index was built with the current data key (else `rebuildSearchIndex`). */
  searchIndexCurrent(): boolean {
    const row = this.conn.sql("SELECT value FROM store_meta WHERE key = 'search_key_id'").get() as { value: number } | undefined;
    return row?.value === this.fts.keyId;
  }

  /** Marks the (empty) index of a new history as built with the current key. */
  markSearchIndexCurrent(): void {
    this.conn
      .sql(
        "INSERT INTO store_meta (key, value) VALUES ('search_key_id', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      )
      .run(this.fts.keyId);
  }

  /** Header, claims and jti read from the sealed value; all null when the value is not a JWT or cannot be opened here. */
  sealedFacts(id: string): SealedFacts {
    let value: string;
    try {
      value = this.getTokenValue(id);
    } catch {
      return { header: null, claims: null, jti: null };
    }
    const facts = tokenFacts(value);
    return {
      header: facts.header ? { ...facts.header } : null,
      claims: facts.claims ? { ...facts.claims } : null,
      jti: facts.jti,
    };
  }

  /** The value of the token decrypts with a key available here. */
  canRead(id: string): boolean {
    try {
      this.getTokenValue(id);
      return true;
    } catch {
      return false;
    }
  }

  /** The plain value. ERR_NOT_FOUND, or ERR_DECRYPT_FAILED when the key that sealed it is not available here. */
  getTokenValue(id: string): string {
    const row = this.conn.sql('SELECT value_enc FROM tokens WHERE id = ?').get(id) as { value_enc: Buffer | null } | undefined;
    if (!row) throw new TokenscopeError('ERR_NOT_FOUND', 'no such token in the history');
    if (!row.value_enc) throw new TokenscopeError('ERR_DECRYPT_FAILED', 'this token has no stored value: re-obtain it');
    return this.keyring.openText(row.value_enc, `token:${id}`);
  }

  /** The plain value of a row, or null when it cannot be decrypted here. */
  valueOfRow(row: Pick<TokenRow, 'id' | 'value_enc'>): string | null {
    if (!row.value_enc) return null;
    try {
      return this.keyring.openText(row.value_enc, `token:${row.id}`);
    } catch {
      return null;
    }
  }

  /** The id of the token with this exact value, if the history has it. */
  findTokenByValue(value: string): string | null {
    return this.byHash<{ id: string; hash: string }>('id', tokenDigest(value).hash)?.id ?? null;
  }

  /** The id of the token with this SHA-256 (hex) of its value, if the history has it. */
  findTokenByHash(hash: string): string | null {
    return this.byHash<{ id: string; hash: string }>('id', hash.toLowerCase())?.id ?? null;
  }

  /** The seq of the token with this value, SHA-256 (hex) or id, if the history has it (a pasted search). */
  findExact(text: string): number | null {
    const byValue = this.byHash<{ seq: number; hash: string }>('seq', tokenDigest(text).hash);
    if (byValue) return byValue.seq;
    if (/^[0-9a-fA-F]{64}$/.test(text)) {
      const byHash = this.byHash<{ seq: number; hash: string }>('seq', text.toLowerCase());
      if (byHash) return byHash.seq;
    }
    const byId = this.conn.sql('SELECT seq FROM tokens WHERE id = ?').get(text) as { seq: number } | undefined;
    return byId?.seq ?? null;
  }

  hasToken(id: string): boolean {
    return this.conn.sql('SELECT 1 FROM tokens WHERE id = ?').get(id) !== undefined;
  }

  /** Sets a token's status (refresh rotated it: 'superseded'; revoked; introspection said inactive). */
  setTokenStatus(id: string, status: TokenStatus): void {
    checkSettableStatus(status);
    this.conn.write(() => {
      const row = this.conn.sql('SELECT status FROM tokens WHERE id = ?').get(id) as { status: string } | undefined;
      if (!row) throw new TokenscopeError('ERR_NOT_FOUND', 'no such token in the history');
      // An unreadable row keeps that status until its key is back; the new status waits in status_before.
      const column = row.status === 'unreadable' ? 'status_before' : 'status';
      this.conn.sql(`UPDATE tokens SET ${column} = ?, updated_at_ms = ? WHERE id = ?`).run(status, this.conn.now(), id);
      if (column === 'status') this.counts.move(row.status, status);
    });
  }

  /** Fills in a token's missing grant and profile links (an import that read the token before them). */
  fillLinks(id: string, grantId: string | null, profileId: string | null): void {
    this.conn.write(() => {
      const row = this.conn.sql('SELECT seq, profile_id FROM tokens WHERE id = ?').get(id) as
        { seq: number; profile_id: string | null } | undefined;
      if (!row) return;
      this.conn
        .sql('UPDATE tokens SET grant_id = coalesce(grant_id, ?), profile_id = coalesce(profile_id, ?) WHERE id = ?')
        .run(grantId, profileId, id);
      // Its profile is one of its index words.
      if (row.profile_id === null && profileId !== null) this.reindex([row.seq]);
    });
  }

  /** The grant of each of these tokens that has one. One query for a batch. */
  grantIdsOf(ids: readonly string[]): Map<string, string> {
    const rows = this.conn
      .sql('SELECT id, grant_id FROM tokens WHERE id IN (SELECT value FROM json_each(?)) AND grant_id IS NOT NULL')
      .raw(true)
      .all(JSON.stringify(ids)) as [string, string][];
    return new Map(rows);
  }

  /** Links a token to a profile (attach: a pasted or imported token), and to a grant when it has none yet. */
  setTokenProfile(id: string, profileId: string, grantId: string | null): void {
    this.conn.write(() => {
      const changed = this.conn
        .sql('UPDATE tokens SET profile_id = ?, grant_id = coalesce(grant_id, ?), updated_at_ms = ? WHERE id = ?')
        .run(profileId, grantId, this.conn.now(), id).changes;
      if (changed === 0) throw new TokenscopeError('ERR_NOT_FOUND', 'no such token in the history');
    });
  }

  getTokenRow(id: string): TokenRow | undefined {
    return this.conn.sql('SELECT * FROM tokens t WHERE t.id = ?').get(id) as TokenRow | undefined;
  }

  getTokenSummary(id: string): TokenSummary | null {
    const row = this.conn.sql(`SELECT ${SUMMARY_COLUMNS} FROM tokens t WHERE t.id = ?`).get(id) as TokenRow | undefined;
    return row ? toSummary(row) : null;
  }

  /** Every token of a grant, newest first. */
  getGrantTokens(grantId: string): TokenSummary[] {
    const rows = this.conn
      .sql(`SELECT ${SUMMARY_COLUMNS} FROM tokens t WHERE t.grant_id = ? ORDER BY t.seq DESC`)
      .all(grantId) as TokenRow[];
    return rows.map(toSummary);
  }

  /** Deletes tokens (a `deleted` event keeps a trace without the value). Returns how many were deleted. */
  deleteTokens(ids: readonly string[]): number {
    return this.conn.write(() => {
      // The index learns of tokens saved in this write before their rows go (its delete trigger finds them).
      this.fts.flush();
      let n = 0;
      const select = this.conn.sql('SELECT id, kind, preview, grant_id, status FROM tokens WHERE id = ?');
      const del = this.conn.sql('DELETE FROM tokens WHERE id = ?');
      for (const id of ids) {
        const row = select.get(id) as
          { id: string; kind: string; preview: string; grant_id: string | null; status: string } | undefined;
        if (!row) continue;
        del.run(id);
        this.counts.change(row.status, -1);
        this.events.addEvent({
          tokenId: id,
          grantId: row.grant_id,
          type: 'deleted',
          detail: { kind: row.kind, preview: row.preview },
        });
        n++;
      }
      return n;
    });
  }

  /** Deletes tokens that expired more than `days` days ago (a scan: no listing needs an index of every expiry). */
  purgeExpired(days: number): number {
    const before = this.conn.now() - days * 86_400_000;
    return this.conn.write(() => {
      const ids = (this.conn.sql('SELECT id FROM tokens WHERE expires_at_ms < ?').all(before) as { id: string }[]).map(
        (r) => r.id,
      );
      return this.deleteTokens(ids);
    });
  }

  /**
   * Wipes the history (tokens, grants, events, exchanges; profiles too when asked), then VACUUMs and
   * truncates the WAL so that freed pages do not keep secrets.
   */
  wipe(options: { readonly profiles?: boolean } = {}): number {
    const db = this.conn.db;
    const n = this.conn.write(() => {
      const count = (this.conn.sql('SELECT count(*) AS n FROM tokens').get() as { n: number }).n;
      // Events held for this write go first (as if written at once), then everything.
      this.events.flush();
      db.exec('DELETE FROM tokens; DELETE FROM events; DELETE FROM exchanges; DELETE FROM grants; DELETE FROM issuances');
      this.fts.clear();
      this.counts.recount();
      if (options.profiles) db.exec('DELETE FROM profiles');
      return count;
    });
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
    return n;
  }

  /** How many tokens the history holds: O(1) from the kept counts, not a scan of a million rows. */
  count(): number {
    return this.counts.total();
  }

  /** How many tokens cannot be decrypted with the keys here. */
  unreadableCount(): number {
    return this.counts.get('unreadable');
  }

  /**
   * Walks every token matching a filter (or the given ids) in batches, oldest first, without holding a statement open.
   * `columns` (default: all) reads only those columns of each row (and `seq`).
   */
  *eachToken<K extends keyof TokenRow = keyof TokenRow>(
    selection: TokenSelection = {},
    batch = 500,
    columns?: readonly K[],
  ): Generator<Pick<TokenRow, K | 'seq'>[]> {
    type Row = Pick<TokenRow, K | 'seq'>;
    const list = columns
      ? ['seq', ...columns.filter((c) => c !== 'seq')]
          .map((c) => {
            checkColumn(c);
            return `t.${c}`;
          })
          .join(', ')
      : 't.*';
    if (selection.ids) {
      const stmt = this.conn.sql(`SELECT ${list} FROM tokens t WHERE t.id = ?`);
      for (let i = 0; i < selection.ids.length; i += batch) {
        yield selection.ids
          .slice(i, i + batch)
          .map((id) => stmt.get(id) as Row | undefined)
          .filter((r): r is Row => r !== undefined);
      }
      return;
    }
    const f = tokenFilter({ conn: this.conn, fts: this.fts, tokens: this, query: selection.filter ?? {}, withStatus: true });
    let after = 0;
    for (;;) {
      const where = [...f.where, `${f.order} > ?`];
      const rows = this.conn
        .sql(`SELECT ${list} FROM ${f.from} WHERE ${where.join(' AND ')} ORDER BY ${f.order} ASC LIMIT ?`)
        .all(...f.params, after, batch) as Row[];
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1]?.seq ?? after;
      if (rows.length < batch) return;
    }
  }
}

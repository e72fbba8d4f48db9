/** The `tokens` table: saving (deduplicated by value hash, sealed at rest), reading, status changes, deleting, walking. */
import { randomUUID } from 'node:crypto';
import type { TokenStatus, TokenSummary } from '../../shared/model.ts';
import { TokenscopeError } from '../../shared/result.ts';
import { checkColumn, checkId, checkKind, checkSettableStatus } from './arguments.ts';
import type { Connection } from './connection.ts';
import type { Keyring } from './envelope.ts';
import { tokenHash } from './envelope.ts';
import { maskValue } from '../../shared/mask.ts';
import type { EventLog } from './event-log.ts';
import type { FtsIndex } from './fts-index.ts';
import type { SaveTokenInput, SaveTokenOutcome } from './inputs.ts';
import { SUMMARY_COLUMNS, toSummary, type TokenRow } from './rows.ts';
import { initialStatus } from './status-policy.ts';
import { checkTokenValue, claimText, tokenFacts } from './token-facts.ts';
import { tokenFilter, type TokenFilterQuery } from './token-query.ts';

/** Which tokens `eachToken` walks: the given ids, or those matching a filter (default: all). */
export interface TokenSelection {
  readonly ids?: readonly string[];
  readonly filter?: TokenFilterQuery;
}

export class TokenRepository {
  private readonly conn: Connection;
  private readonly keyring: Keyring;
  private readonly fts: FtsIndex;
  private readonly events: EventLog;

  constructor(conn: Connection, keyring: Keyring, fts: FtsIndex, events: EventLog) {
    this.conn = conn;
    this.keyring = keyring;
    this.fts = fts;
    this.events = events;
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
    const hash = tokenHash(value);
    const now = this.conn.now();
    const { conn, keyring } = this;
    return conn.write(() => {
      const existing = conn.sql('SELECT id, status, key_id FROM tokens WHERE hash = ?').get(hash) as
        { id: string; status: string; key_id: number | null } | undefined;
      if (existing) {
        conn
          .sql('UPDATE tokens SET grant_id = coalesce(grant_id, ?), profile_id = coalesce(profile_id, ?) WHERE id = ?')
          .run(input.grantId ?? null, input.profileId ?? null, existing.id);
        if (
          existing.status === 'unreadable' ||
          (existing.key_id !== null && existing.key_id !== keyring.current && !this.canRead(existing.id))
        ) {
          conn
            .sql(
              `UPDATE tokens SET value_enc = ?, key_id = ?, status = coalesce(status_before, 'active'), status_before = NULL, updated_at_ms = ? WHERE id = ?`,
            )
            .run(keyring.seal(value, `token:${existing.id}`), keyring.current, now, existing.id);
        }
        return { id: existing.id, created: false };
      }
      const id = input.id === undefined ? randomUUID() : checkId(input.id, 'id');
      // An opaque refresh token says nothing about itself: its grant knows the issuer and client.
      const grant = input.grantId
        ? (conn.sql('SELECT issuer, client_id FROM grants WHERE id = ?').get(input.grantId) as
            { issuer: string | null; client_id: string | null } | undefined)
        : undefined;
      if (input.grantId && !grant) throw new TokenscopeError('ERR_NOT_FOUND', 'no such grant in the history');
      if (input.profileId && !conn.sql('SELECT 1 FROM profiles WHERE id = ?').get(input.profileId)) {
        throw new TokenscopeError('ERR_NOT_FOUND', 'no such profile');
      }
      const expiresAtMs = input.expiresAtMs !== undefined ? input.expiresAtMs : facts.expiresAtMs;
      const scopes = (input.scopes ?? facts.scopes).filter((s) => s !== '').join(' ');
      const issuer = input.issuer ?? facts.issuer ?? grant?.issuer ?? null;
      const subject = input.subject ?? facts.subject;
      const clientId = input.clientId ?? facts.clientId ?? grant?.client_id ?? null;
      // Positional parameters: binding 22 named ones from an object costs more than the rest of the call's JS.
      const info = conn
        .sql(
          `INSERT INTO tokens (id, kind, format, hash, value_enc, key_id, preview, issuer, subject, client_id, jti, scopes,
             issued_at_ms, expires_at_ms, status, grant_id, profile_id, source, header_json, claims_json, created_at_ms, updated_at_ms)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          input.kind,
          input.format || (facts.isJwt ? 'jwt' : 'opaque'),
          hash,
          keyring.seal(value, `token:${id}`),
          keyring.current,
          maskValue(value),
          issuer,
          subject,
          clientId,
          facts.jti,
          scopes,
          input.issuedAtMs !== undefined ? input.issuedAtMs : facts.issuedAtMs,
          expiresAtMs,
          initialStatus(input.status, expiresAtMs, now),
          input.grantId ?? null,
          input.profileId ?? null,
          input.source || 'unknown',
          facts.headerJson,
          facts.claimsJson,
          input.createdAtMs ?? now,
          now,
        );
      this.fts.add({
        seq: Number(info.lastInsertRowid),
        id,
        issuer: issuer ?? '',
        subject: subject ?? '',
        clientId: clientId ?? '',
        jti: facts.jti ?? '',
        scopes,
        claims: claimText(facts.claims),
      });
      return { id, created: true };
    });
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
    const row = this.conn.sql('SELECT id FROM tokens WHERE hash = ?').get(tokenHash(value)) as { id: string } | undefined;
    return row?.id ?? null;
  }

  /** The id of the token with this SHA-256 (hex) of its value, if the history has it. */
  findTokenByHash(hash: string): string | null {
    const row = this.conn.sql('SELECT id FROM tokens WHERE hash = ?').get(hash.toLowerCase()) as { id: string } | undefined;
    return row?.id ?? null;
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
    });
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
      const select = this.conn.sql('SELECT id, kind, preview, grant_id FROM tokens WHERE id = ?');
      const del = this.conn.sql('DELETE FROM tokens WHERE id = ?');
      for (const id of ids) {
        const row = select.get(id) as { id: string; kind: string; preview: string; grant_id: string | null } | undefined;
        if (!row) continue;
        del.run(id);
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

  /** Deletes tokens that expired more than `days` days ago. */
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
      db.exec(`
        DELETE FROM tokens; DELETE FROM events; DELETE FROM exchanges; DELETE FROM grants; DELETE FROM issuances;
        INSERT INTO tokens_fts (tokens_fts) VALUES ('delete-all');
        DELETE FROM token_status_counts;
      `);
      if (options.profiles) db.exec('DELETE FROM profiles');
      return count;
    });
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
    return n;
  }

  /** How many tokens the history holds: O(1) from the trigger-kept counts, not a scan of a million rows. */
  count(): number {
    return (this.conn.sql('SELECT coalesce(sum(n), 0) AS n FROM token_status_counts').get() as { n: number }).n;
  }

  /** How many tokens cannot be decrypted with the keys here. */
  unreadableCount(): number {
    return (
      (this.conn.sql("SELECT n FROM token_status_counts WHERE status = 'unreadable'").get() as { n: number } | undefined)?.n ?? 0
    );
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
    const f = tokenFilter({ conn: this.conn, fts: this.fts, query: selection.filter ?? {}, withStatus: true });
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

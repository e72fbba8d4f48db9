/**
 * The token history: one SQLite database (WAL, synchronous=FULL, IMMEDIATE write transactions) whose
 * secret values (tokens, profile secrets, HTTP exchanges) are sealed with envelope encryption.
 * Methods are synchronous (better-sqlite3); only opening (the key provider) is async.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type {
  EventsQuery,
  EventType,
  GrantDetail,
  GrantSummary,
  LoggedGrant,
  ListTokensQuery,
  StatusCounts,
  StorageStatus,
  TokenDetail,
  TokenEvent,
  TokenKind,
  TokenPageWithCounts,
  TokenStatus,
  TokenSummary,
} from '../../shared/model.ts';
import { EVENT_TYPES, TOKEN_KINDS, TOKEN_STATUSES } from '../../shared/model.ts';
import { TokenscopeError } from '../../shared/result.ts';
import type { KeyProvider, KeyProviderInfo, Platform } from '../platform.ts';
import { databasePath, openDatabase, sqliteVersion } from './database.ts';
import { Keyring } from './envelope.ts';
import { maskValue, tokenHash } from './envelope.ts';
import { acquireLock, type StoreLock } from './lock.ts';
import { LATEST_VERSION } from './migrations/index.ts';
import { checkTokenValue, claimText, tokenFacts } from './token-facts.ts';

// ── what callers pass in ──

export interface SaveTokenInput {
  /** The token value itself (access, refresh or ID token). */
  readonly value: string;
  readonly kind: TokenKind;
  /** Format id of FORMATS.md the token came in, or 'jwt' / 'opaque' for a bare token. */
  readonly format: string;
  readonly grantId?: string | null;
  readonly profileId?: string | null;
  /** Left out: taken from the JWT's claims when the value is a JWT. */
  readonly issuer?: string | null;
  readonly subject?: string | null;
  readonly clientId?: string | null;
  readonly scopes?: readonly string[];
  readonly issuedAtMs?: number | null;
  readonly expiresAtMs?: number | null;
  /** Where it came from: 'authorization_code', 'refresh', 'client_credentials', 'paste', 'import', ... */
  readonly source: string;
  /** Import only: keep the original id, status and times of a bundle record. */
  readonly id?: string;
  readonly status?: TokenStatus;
  readonly createdAtMs?: number;
  /** Import: a value that looks like a JWT but does not decode is refused (ERR_MALFORMED_JWT) instead of kept as opaque. */
  readonly strict?: boolean;
}

export interface SaveTokenOutcome {
  readonly id: string;
  /** False when a token with the same value (hash) was already in the history. */
  readonly created: boolean;
}

export interface CreateGrantInput {
  readonly profileId?: string | null;
  /** 'authorization_code', 'client_credentials', 'device_code', 'refresh_token', 'imported', ... */
  readonly grantType: string;
  readonly issuer?: string | null;
  readonly clientId?: string | null;
  readonly scopes?: readonly string[];
  /** Import only. */
  readonly id?: string;
  readonly createdAtMs?: number;
}

export interface SaveProfileInput {
  /** Left out: a new profile. */
  readonly id?: string;
  readonly name: string;
  /** Non-secret settings (issuer, client id, scopes, redirect port...): stored as plain JSON. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Client secrets, private keys...: encrypted at rest. */
  readonly secrets: Readonly<Record<string, unknown>>;
}

export interface ProfileRecord {
  readonly id: string;
  readonly name: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly secrets: Readonly<Record<string, unknown>>;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

export interface ProfileListItem {
  readonly id: string;
  readonly name: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly hasSecrets: boolean;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

export interface AddEventInput {
  readonly tokenId?: string | null;
  readonly grantId?: string | null;
  readonly type: EventType;
  /** Non-secret facts only. */
  readonly detail?: Readonly<Record<string, unknown>>;
  /** Import only. */
  readonly id?: string;
  readonly atMs?: number;
}

/** One HTTP request/response of a flow. Callers mask secrets before; the store also encrypts headers and bodies. */
export interface ExchangeInput {
  readonly grantId?: string | null;
  readonly flowId?: string | null;
  readonly tokenId?: string | null;
  readonly method: string;
  readonly url: string;
  /** HTTP status, null when no response came (network error). */
  readonly status: number | null;
  readonly requestHeaders: Readonly<Record<string, string>>;
  readonly requestBody: string | null;
  readonly responseHeaders: Readonly<Record<string, string>>;
  readonly responseBody: string | null;
  readonly durationMs: number | null;
  readonly startedAtMs: number;
}

export interface ExchangeRecord extends ExchangeInput {
  readonly id: string;
}

export interface ExchangeQuery {
  readonly grantId?: string;
  readonly flowId?: string;
  readonly tokenId?: string;
  /** 1..1000, default 200, oldest first (the order they happened). */
  readonly limit?: number;
}

export interface StoreOptions {
  /** Take the lock file (default: yes for a data dir, no for ':memory:'). */
  readonly lock?: boolean;
}

// ── rows ──

/** One row of the full-text index (rowid = tokens.seq; `id` tells a later token that reused the seq apart). */
interface FtsRow {
  readonly seq: number;
  readonly id: string;
  readonly issuer: string;
  readonly subject: string;
  readonly clientId: string;
  readonly jti: string;
  readonly scopes: string;
  readonly claims: string;
}

interface TokenRow {
  seq: number;
  id: string;
  kind: string;
  format: string;
  hash: string;
  value_enc: Buffer | null;
  key_id: number | null;
  preview: string;
  issuer: string | null;
  subject: string | null;
  client_id: string | null;
  jti: string | null;
  scopes: string;
  issued_at_ms: number | null;
  expires_at_ms: number | null;
  status: string;
  status_before: string | null;
  grant_id: string | null;
  profile_id: string | null;
  source: string;
  header_json: string | null;
  claims_json: string | null;
  created_at_ms: number;
  updated_at_ms: number;
}

interface GrantRow {
  id: string;
  profile_id: string | null;
  grant_type: string;
  issuer: string | null;
  client_id: string | null;
  scopes: string;
  state: string;
  dead_reason: string | null;
  created_at_ms: number;
  updated_at_ms: number;
}

interface EventRow {
  id: string;
  token_id: string | null;
  grant_id: string | null;
  type: string;
  detail_json: string;
  at_ms: number;
}

interface ProfileRow {
  id: string;
  name: string;
  settings_json: string;
  secrets_enc: Buffer | null;
  created_at_ms: number;
  updated_at_ms: number;
}

const SUMMARY_COLUMNS =
  't.seq, t.id, t.kind, t.format, t.preview, t.issuer, t.subject, t.client_id, t.scopes, t.issued_at_ms, t.expires_at_ms, t.status, t.grant_id, t.profile_id, t.created_at_ms';

export function toSummary(
  row: Pick<
    TokenRow,
    | 'id'
    | 'kind'
    | 'format'
    | 'preview'
    | 'issuer'
    | 'subject'
    | 'client_id'
    | 'scopes'
    | 'issued_at_ms'
    | 'expires_at_ms'
    | 'status'
    | 'grant_id'
    | 'profile_id'
    | 'created_at_ms'
  >,
): TokenSummary {
  return {
    id: row.id,
    kind: (TOKEN_KINDS as readonly string[]).includes(row.kind) ? (row.kind as TokenKind) : 'unknown',
    format: row.format,
    issuer: row.issuer,
    subject: row.subject,
    clientId: row.client_id,
    scopes: row.scopes === '' ? [] : row.scopes.split(' '),
    issuedAtMs: row.issued_at_ms,
    expiresAtMs: row.expires_at_ms,
    status: row.status as TokenStatus,
    grantId: row.grant_id,
    profileId: row.profile_id,
    createdAtMs: row.created_at_ms,
    preview: row.preview,
  };
}

function toGrant(row: GrantRow): GrantSummary {
  return {
    id: row.id,
    profileId: row.profile_id,
    grantType: row.grant_type,
    issuer: row.issuer,
    clientId: row.client_id,
    scopes: row.scopes === '' ? [] : row.scopes.split(' '),
    state: row.state === 'dead' ? 'dead' : 'live',
    deadReason: row.dead_reason,
    createdAtMs: row.created_at_ms,
    updatedAtMs: row.updated_at_ms,
  };
}

function parseObject(json: string | null): Record<string, unknown> | null {
  if (json === null) return null;
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function toEvent(row: EventRow): TokenEvent {
  return {
    id: row.id,
    tokenId: row.token_id,
    grantId: row.grant_id,
    type: row.type as EventType,
    detail: parseObject(row.detail_json) ?? {},
    atMs: row.at_ms,
  };
}

/** Keyset cursor: the `seq` of the last row of a page (base64url JSON, opaque to callers). */
export function encodeCursor(seq: number, createdAtMs?: number): string {
  return Buffer.from(JSON.stringify(createdAtMs === undefined ? { s: seq } : { s: seq, c: createdAtMs })).toString('base64url');
}

export interface PageCursor {
  readonly seq: number;
  /** Set for time-range listings, which page by (createdAtMs, seq). */
  readonly createdAtMs?: number;
}

export function decodeCursor(cursor: string): PageCursor {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { s?: unknown; c?: unknown } | null;
    if (parsed && Number.isSafeInteger(parsed.s) && (parsed.s as number) > 0) {
      if (parsed.c === undefined) return { seq: parsed.s as number };
      if (Number.isSafeInteger(parsed.c)) return { seq: parsed.s as number, createdAtMs: parsed.c as number };
    }
  } catch {
    // fall through to the typed error
  }
  throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'the page cursor is not one this app produced');
}

/** Free text → an FTS5 query: every word a quoted prefix phrase (no FTS syntax reaches SQLite from the user). */
export function ftsQuery(text: string): string | null {
  const words = text
    .split(/\s+/)
    .map((w) => w.replace(/[^\p{L}\p{N}]+/gu, ' ').trim())
    .filter((w) => w !== '')
    .slice(0, 16);
  if (words.length === 0) return null;
  return words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(' ');
}

function checkId(id: unknown, what: string): string {
  if (typeof id !== 'string' || id === '' || id.length > 200)
    throw new TokenscopeError('ERR_INVALID_ARGUMENT', `${what} must be a non-empty string`);
  return id;
}

function checkLimit(limit: number | undefined, fallback: number, max: number): number {
  const n = limit ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new TokenscopeError('ERR_INVALID_ARGUMENT', `limit must be an integer from 1 to ${String(max)}`);
  return n;
}

function emptyCounts(): Record<TokenStatus, number> {
  return { active: 0, expired: 0, revoked: 0, inactive: 0, superseded: 0, unreadable: 0 };
}

const SWEEP_INTERVAL_MS = 5_000;
/** A filtered count visits at most this many rows, so the first page stays fast at any history size. */
export const COUNT_CAP = 5_000;

export class Store {
  readonly db: Database.Database;
  readonly keyInfo: KeyProviderInfo;
  readonly dataDir: string;
  private readonly keyring: Keyring;
  private readonly lock: StoreLock | null;
  private readonly now: () => number;
  private lastSweepMs = 0;
  private closed = false;

  /** True when the history lives in memory only (':memory:', the session-only protection mode). */
  get inMemory(): boolean {
    return this.dataDir === ':memory:';
  }

  /** Seals a blob kept outside the database (the demo issuer's state) with the current data key. */
  sealBlob(plain: string, context: string): Buffer {
    return this.keyring.seal(plain, `blob:${context}`);
  }

  /** Opens a sealBlob result; ERR_DECRYPT_FAILED when the key is not here or the bytes or context differ. */
  openBlob(sealed: Uint8Array, context: string): string {
    return this.keyring.openText(sealed, `blob:${context}`);
  }

  /** Use `openStore`. */
  constructor(
    db: Database.Database,
    keyring: Keyring,
    keyInfo: KeyProviderInfo,
    lock: StoreLock | null,
    dataDir: string,
    now: () => number,
  ) {
    this.db = db;
    this.keyring = keyring;
    this.keyInfo = keyInfo;
    this.lock = lock;
    this.dataDir = dataDir;
    this.now = now;
  }

  private readonly statements = new Map<string, Database.Statement>();

  /** A prepared statement, cached: preparing costs more than running against this schema. */
  sql(source: string): Database.Statement {
    let stmt = this.statements.get(source);
    if (!stmt) {
      stmt = this.db.prepare(source);
      this.statements.set(source, stmt);
    }
    return stmt;
  }

  /** Runs `fn` in one IMMEDIATE write transaction (all or nothing). Nested calls join the outer one. */
  write<T>(fn: () => T): T {
    if (this.inWrite || this.db.inTransaction) return fn();
    this.inWrite = true;
    try {
      return this.db
        .transaction(() => {
          const result = fn();
          this.flushFts();
          return result;
        })
        .immediate();
    } finally {
      this.inWrite = false;
      this.pendingFts.clear();
    }
  }

  /**
   * Full-text rows of tokens saved in the current `write`, by seq, written just before it commits.
   * Why: every INSERT into `tokens` runs the status-count trigger under a statement journal, and each
   * statement savepoint makes FTS5 flush its pending terms to disk; rows added between token inserts
   * became one tiny segment per token (plus the merges), about half the cost of a save.
   */
  private readonly pendingFts = new Map<number, FtsRow>();
  /** Inside the transaction of a `write` (its full-text rows wait for the commit). */
  private inWrite = false;
  /** A long transaction (an import, a seed) writes its full-text rows in batches of this many. */
  private static readonly FTS_BATCH = 1000;

  private addFts(row: FtsRow): void {
    if (!this.inWrite) {
      this.insertFts(row);
      return;
    }
    // A rolled-back savepoint can hand the same seq to a later token: the later row replaces it.
    this.pendingFts.set(row.seq, row);
    if (this.pendingFts.size >= Store.FTS_BATCH) this.flushFts();
  }

  private insertFts(row: FtsRow): void {
    this.sql('INSERT INTO tokens_fts (rowid, issuer, subject, client_id, jti, scopes, claims) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      row.seq,
      row.issuer,
      row.subject,
      row.clientId,
      row.jti,
      row.scopes,
      row.claims,
    );
  }

  /** Writes the pending full-text rows (before a search or the commit). Skips tokens a rolled-back savepoint or a delete took away. */
  private flushFts(): void {
    if (this.pendingFts.size === 0) return;
    let from = Number.MAX_SAFE_INTEGER;
    for (const seq of this.pendingFts.keys()) from = Math.min(from, seq);
    // One walk over the rows saved since (the pending ones are the newest) rather than a lookup per row.
    const alive = new Map<number, string>();
    for (const [seq, id] of this.sql('SELECT seq, id FROM tokens WHERE seq >= ?').raw(true).all(from) as [number, string][])
      alive.set(seq, id);
    for (const row of this.pendingFts.values()) if (alive.get(row.seq) === row.id) this.insertFts(row);
    this.pendingFts.clear();
  }

  // ── tokens ──

  /**
   * Saves a token (deduplicated by the SHA-256 of its value). Claims fill in whatever the caller left out.
   * A token already present keeps its row; a missing grant/profile link is filled in, and an unreadable
   * row (key lost) is sealed again with the current key: this is how such tokens are re-obtained.
   */
  saveToken(input: SaveTokenInput): SaveTokenOutcome {
    const value = checkTokenValue(input.value);
    if (!(TOKEN_KINDS as readonly string[]).includes(input.kind))
      throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'unknown token kind');
    const facts = tokenFacts(value, input.strict === true);
    const hash = tokenHash(value);
    const now = this.now();
    return this.write(() => {
      const existing = this.sql('SELECT id, status, key_id FROM tokens WHERE hash = ?').get(hash) as
        { id: string; status: string; key_id: number | null } | undefined;
      if (existing) {
        this.sql('UPDATE tokens SET grant_id = coalesce(grant_id, ?), profile_id = coalesce(profile_id, ?) WHERE id = ?').run(
          input.grantId ?? null,
          input.profileId ?? null,
          existing.id,
        );
        if (
          existing.status === 'unreadable' ||
          (existing.key_id !== null && existing.key_id !== this.keyring.current && !this.canRead(existing.id))
        ) {
          this.sql(
            `UPDATE tokens SET value_enc = ?, key_id = ?, status = coalesce(status_before, 'active'), status_before = NULL, updated_at_ms = ? WHERE id = ?`,
          ).run(this.keyring.seal(value, `token:${existing.id}`), this.keyring.current, now, existing.id);
        }
        return { id: existing.id, created: false };
      }
      const id = input.id === undefined ? randomUUID() : checkId(input.id, 'id');
      // An opaque refresh token says nothing about itself: its grant knows the issuer and client.
      const grant = input.grantId
        ? (this.sql('SELECT issuer, client_id FROM grants WHERE id = ?').get(input.grantId) as
            { issuer: string | null; client_id: string | null } | undefined)
        : undefined;
      if (input.grantId && !grant) throw new TokenscopeError('ERR_NOT_FOUND', 'no such grant in the history');
      if (input.profileId && !this.sql('SELECT 1 FROM profiles WHERE id = ?').get(input.profileId)) {
        throw new TokenscopeError('ERR_NOT_FOUND', 'no such profile');
      }
      const expiresAtMs = input.expiresAtMs !== undefined ? input.expiresAtMs : facts.expiresAtMs;
      const status: TokenStatus =
        input.status !== undefined && (TOKEN_STATUSES as readonly string[]).includes(input.status)
          ? input.status
          : expiresAtMs !== null && expiresAtMs <= now
            ? 'expired'
            : 'active';
      const scopes = (input.scopes ?? facts.scopes).filter((s) => s !== '').join(' ');
      const row = {
        id,
        kind: input.kind,
        format: input.format || (facts.isJwt ? 'jwt' : 'opaque'),
        hash,
        value_enc: this.keyring.seal(value, `token:${id}`),
        key_id: this.keyring.current,
        preview: maskValue(value),
        issuer: input.issuer ?? facts.issuer ?? grant?.issuer ?? null,
        subject: input.subject ?? facts.subject,
        client_id: input.clientId ?? facts.clientId ?? grant?.client_id ?? null,
        jti: facts.jti,
        scopes,
        issued_at_ms: input.issuedAtMs !== undefined ? input.issuedAtMs : facts.issuedAtMs,
        expires_at_ms: expiresAtMs,
        status: status === 'unreadable' ? 'active' : status,
        grant_id: input.grantId ?? null,
        profile_id: input.profileId ?? null,
        source: input.source || 'unknown',
        header_json: facts.headerJson,
        claims_json: facts.claimsJson,
        created_at_ms: input.createdAtMs ?? now,
        updated_at_ms: now,
      };
      // Positional parameters: binding 22 named ones from an object costs more than the rest of the call's JS.
      const info = this.sql(
        `INSERT INTO tokens (id, kind, format, hash, value_enc, key_id, preview, issuer, subject, client_id, jti, scopes,
             issued_at_ms, expires_at_ms, status, grant_id, profile_id, source, header_json, claims_json, created_at_ms, updated_at_ms)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        row.id,
        row.kind,
        row.format,
        row.hash,
        row.value_enc,
        row.key_id,
        row.preview,
        row.issuer,
        row.subject,
        row.client_id,
        row.jti,
        row.scopes,
        row.issued_at_ms,
        row.expires_at_ms,
        row.status,
        row.grant_id,
        row.profile_id,
        row.source,
        row.header_json,
        row.claims_json,
        row.created_at_ms,
        row.updated_at_ms,
      );
      this.addFts({
        seq: Number(info.lastInsertRowid),
        id,
        issuer: row.issuer ?? '',
        subject: row.subject ?? '',
        clientId: row.client_id ?? '',
        jti: row.jti ?? '',
        scopes,
        claims: claimText(facts.claims),
      });
      return { id, created: true };
    });
  }

  private canRead(id: string): boolean {
    try {
      this.getTokenValue(id);
      return true;
    } catch {
      return false;
    }
  }

  /** The plain value. ERR_NOT_FOUND, or ERR_DECRYPT_FAILED when the key that sealed it is not available here. */
  getTokenValue(id: string): string {
    const row = this.sql('SELECT value_enc FROM tokens WHERE id = ?').get(checkId(id, 'id')) as
      { value_enc: Buffer | null } | undefined;
    if (!row) throw new TokenscopeError('ERR_NOT_FOUND', 'no such token in the history');
    if (!row.value_enc) throw new TokenscopeError('ERR_DECRYPT_FAILED', 'this token has no stored value: re-obtain it');
    return this.keyring.openText(row.value_enc, `token:${id}`);
  }

  /** The id of the token with this exact value, if the history has it. */
  findTokenByValue(value: string): string | null {
    const row = this.sql('SELECT id FROM tokens WHERE hash = ?').get(tokenHash(value)) as { id: string } | undefined;
    return row?.id ?? null;
  }

  findTokenByHash(hash: string): string | null {
    const row = this.sql('SELECT id FROM tokens WHERE hash = ?').get(hash.toLowerCase()) as { id: string } | undefined;
    return row?.id ?? null;
  }

  /** Sets a token's status (refresh rotated it: 'superseded'; revoked; introspection said inactive). */
  setTokenStatus(id: string, status: TokenStatus): void {
    if (!(TOKEN_STATUSES as readonly string[]).includes(status) || status === 'unreadable') {
      throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'unknown or reserved token status');
    }
    this.write(() => {
      const row = this.sql('SELECT status FROM tokens WHERE id = ?').get(checkId(id, 'id')) as { status: string } | undefined;
      if (!row) throw new TokenscopeError('ERR_NOT_FOUND', 'no such token in the history');
      if (row.status === 'unreadable') {
        this.sql('UPDATE tokens SET status_before = ?, updated_at_ms = ? WHERE id = ?').run(status, this.now(), id);
      } else {
        this.sql('UPDATE tokens SET status = ?, updated_at_ms = ? WHERE id = ?').run(status, this.now(), id);
      }
    });
  }

  getTokenSummary(id: string): TokenSummary | null {
    const row = this.sql(`SELECT ${SUMMARY_COLUMNS} FROM tokens t WHERE t.id = ?`).get(checkId(id, 'id')) as TokenRow | undefined;
    return row ? toSummary(row) : null;
  }

  /** Summary, decoded header/claims and events; never the value (only its masked preview). ERR_NOT_FOUND. */
  getToken(id: string): TokenDetail {
    const row = this.sql('SELECT * FROM tokens t WHERE t.id = ?').get(checkId(id, 'id')) as TokenRow | undefined;
    if (!row) throw new TokenscopeError('ERR_NOT_FOUND', 'no such token in the history');
    return {
      summary: toSummary(row),
      jti: row.jti,
      source: row.source,
      hash: row.hash,
      header: parseObject(row.header_json),
      claims: parseObject(row.claims_json),
      readable: row.status !== 'unreadable' && this.canRead(id),
      updatedAtMs: row.updated_at_ms,
      events: this.getEvents({ tokenId: id }),
    };
  }

  /** Every token of a grant, newest first. */
  getGrantTokens(grantId: string): TokenSummary[] {
    const rows = this.sql(`SELECT ${SUMMARY_COLUMNS} FROM tokens t WHERE t.grant_id = ? ORDER BY t.seq DESC`).all(
      checkId(grantId, 'grantId'),
    ) as TokenRow[];
    return rows.map(toSummary);
  }

  /** Deletes tokens (a `deleted` event keeps a trace without the value). Returns how many were deleted. */
  deleteTokens(ids: readonly string[]): number {
    const list: unknown = ids;
    if (!Array.isArray(list)) throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'ids must be an array');
    return this.write(() => {
      // The index learns of tokens saved in this write before their rows go (its delete trigger finds them).
      this.flushFts();
      let n = 0;
      const select = this.sql('SELECT id, kind, preview, grant_id FROM tokens WHERE id = ?');
      const del = this.sql('DELETE FROM tokens WHERE id = ?');
      for (const id of ids) {
        const row = select.get(checkId(id, 'id')) as
          { id: string; kind: string; preview: string; grant_id: string | null } | undefined;
        if (!row) continue;
        del.run(id);
        this.addEvent({ tokenId: id, grantId: row.grant_id, type: 'deleted', detail: { kind: row.kind, preview: row.preview } });
        n++;
      }
      return n;
    });
  }

  /** Deletes tokens that expired more than `days` days ago. */
  purgeExpired(days: number): number {
    if (!Number.isFinite(days) || days < 0)
      throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'days must be a number of days, 0 or more');
    const before = this.now() - days * 86_400_000;
    return this.write(() => {
      const ids = (this.sql('SELECT id FROM tokens WHERE expires_at_ms < ?').all(before) as { id: string }[]).map((r) => r.id);
      return this.deleteTokens(ids);
    });
  }

  /**
   * Wipes the history (tokens, grants, events, exchanges; profiles too when asked), then VACUUMs and
   * truncates the WAL so that freed pages do not keep secrets.
   */
  wipe(options: { readonly profiles?: boolean } = {}): number {
    const n = this.write(() => {
      const count = (this.sql('SELECT count(*) AS n FROM tokens').get() as { n: number }).n;
      this.db.exec(`
        DELETE FROM tokens; DELETE FROM events; DELETE FROM exchanges; DELETE FROM grants;
        INSERT INTO tokens_fts (tokens_fts) VALUES ('delete-all');
        DELETE FROM token_status_counts;
      `);
      if (options.profiles) this.db.exec('DELETE FROM profiles');
      return count;
    });
    this.db.exec('VACUUM');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return n;
  }

  /** Marks active tokens past their expiry as 'expired' (cheap: a partial index on active expiries). */
  sweepExpired(force = false): number {
    const now = this.now();
    if (!force && now - this.lastSweepMs < SWEEP_INTERVAL_MS) return 0;
    this.lastSweepMs = now;
    return this.write(
      () =>
        this.sql(
          // Pinned to the partial index: with sampled statistics the planner may otherwise walk every active row.
          "UPDATE tokens SET status = 'expired', updated_at_ms = ? WHERE seq IN (SELECT seq FROM tokens INDEXED BY tokens_active_expiry WHERE status = 'active' AND expires_at_ms <= ?)",
        ).run(now, now).changes,
    );
  }

  /** How many tokens the history holds: O(1) from the trigger-kept counts, not a scan of a million rows. */
  count(): number {
    return (this.sql('SELECT coalesce(sum(n), 0) AS n FROM token_status_counts').get() as { n: number }).n;
  }

  private filterSql(
    query: ListTokensQuery,
    withStatus: boolean,
  ): { from: string; where: string[]; params: unknown[]; order: string; text: boolean } {
    const where: string[] = [];
    const params: unknown[] = [];
    let from = 'tokens t';
    let order = 't.seq';
    let text = false;
    if (query.text !== undefined && query.text !== null && query.text.trim() !== '') {
      if (typeof query.text !== 'string' || query.text.length > 1000)
        throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'text must be a string of at most 1000 characters');
      const fts = ftsQuery(query.text);
      const trimmed = query.text.trim();
      if (/^\S{16,}$/.test(trimmed)) {
        // A pasted token value, its SHA-256 or an id: look it up exactly as well as through the index.
        const exact = this.sql('SELECT seq FROM tokens WHERE hash = ? OR hash = ? OR id = ?').get(
          tokenHash(trimmed),
          trimmed.toLowerCase(),
          trimmed,
        ) as { seq: number } | undefined;
        if (exact) {
          where.push('t.seq = ?');
          params.push(exact.seq);
          return this.restFilters(query, withStatus, from, where, params, order, text);
        }
      }
      if (fts === null) {
        where.push('0');
      } else {
        // Inside a write, the tokens it saved are searchable too.
        this.flushFts();
        // CROSS JOIN keeps the FTS index as the outer loop, walked in rowid (= seq) order: a page costs a page.
        from = 'tokens_fts f CROSS JOIN tokens t ON t.seq = f.rowid';
        where.push('f.tokens_fts MATCH ?');
        params.push(fts);
        order = 'f.rowid';
        text = true;
      }
    }
    return this.restFilters(query, withStatus, from, where, params, order, text);
  }

  private restFilters(
    query: ListTokensQuery,
    withStatus: boolean,
    from: string,
    where: string[],
    params: unknown[],
    order: string,
    text: boolean,
  ): { from: string; where: string[]; params: unknown[]; order: string; text: boolean } {
    if (withStatus && query.status !== undefined && query.status !== null) {
      if (!(TOKEN_STATUSES as readonly string[]).includes(query.status))
        throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'unknown status');
      where.push('t.status = ?');
      params.push(query.status);
    }
    if (query.kind !== undefined && query.kind !== null) {
      if (!(TOKEN_KINDS as readonly string[]).includes(query.kind))
        throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'unknown kind');
      where.push('t.kind = ?');
      params.push(query.kind);
    }
    if (query.profileId !== undefined && query.profileId !== null) {
      where.push('t.profile_id = ?');
      params.push(checkId(query.profileId, 'profileId'));
    }
    if (query.grantId !== undefined && query.grantId !== null) {
      where.push('t.grant_id = ?');
      params.push(checkId(query.grantId, 'grantId'));
    }
    if (query.expiringWithinMinutes !== undefined && query.expiringWithinMinutes !== null) {
      const m = query.expiringWithinMinutes;
      if (typeof m !== 'number' || !Number.isFinite(m) || m < 0)
        throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'expiringWithinMinutes must be 0 or more');
      const now = this.now();
      // Few tokens expire in any window: collect them through the partial index of active expiries.
      where.push(
        "t.seq IN (SELECT seq FROM tokens INDEXED BY tokens_active_expiry WHERE status = 'active' AND expires_at_ms > ? AND expires_at_ms <= ?)",
      );
      params.push(now, now + Math.round(m * 60_000));
    }
    const range: number[] = [];
    for (const key of ['fromMs', 'toMs'] as const) {
      const v = query[key];
      if (v === undefined || v === null) {
        range.push(key === 'fromMs' ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER);
        continue;
      }
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new TokenscopeError('ERR_INVALID_ARGUMENT', `${key} must be epoch milliseconds`);
      range.push(Math.round(v));
    }
    const [fromMs = 0, toMs = 0] = range;
    if (query.fromMs != null || query.toMs != null) {
      where.push('t.created_at_ms BETWEEN ? AND ?');
      params.push(fromMs, toMs);
    }
    return { from, where, params, order, text };
  }

  /**
   * One page of the history, newest first (by the order tokens entered it), keyset-paged so a page
   * costs the same at any depth and stays stable while tokens are added. The first page carries
   * the per-status counts for the same filter (status aside).
   */
  listTokens(query: ListTokensQuery = {}): TokenPageWithCounts {
    if (query === null || typeof query !== 'object')
      throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'the query must be an object');
    const limit = checkLimit(query.limit, 100, 500);
    const cursor = query.cursor ? decodeCursor(query.cursor) : null;
    if (!cursor) this.sweepExpired();
    const f = this.filterSql(query, true);
    const where = [...f.where];
    const params = [...f.params];
    // A time range without text walks the time index itself, newest first: a page costs a page wherever the range lies.
    const byTime = !f.text && (query.fromMs != null || query.toMs != null);
    if (cursor !== null) {
      if (byTime) {
        if (cursor.createdAtMs === undefined)
          throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'the page cursor belongs to another query');
        where.push('(t.created_at_ms < ? OR (t.created_at_ms = ? AND t.seq < ?))');
        params.push(cursor.createdAtMs, cursor.createdAtMs, cursor.seq);
      } else {
        where.push(`${f.order} < ?`);
        params.push(cursor.seq);
      }
    }
    const from = byTime ? 'tokens t INDEXED BY tokens_created' : f.from;
    const order = byTime ? 't.created_at_ms DESC, t.seq DESC' : `${f.order} DESC`;
    const sql = `SELECT ${SUMMARY_COLUMNS} FROM ${from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ?`;
    const rows = this.sql(sql).all(...params, limit + 1) as TokenRow[];
    const pageRows = rows.slice(0, limit);
    const last = pageRows[pageRows.length - 1];
    const page: TokenPageWithCounts = {
      items: pageRows.map(toSummary),
      nextCursor: rows.length > limit && last ? encodeCursor(last.seq, byTime ? last.created_at_ms : undefined) : null,
    };
    return cursor === null ? { ...page, counts: this.countByStatus(query) } : page;
  }

  /** Counts per status for a filter (its status ignored); the unfiltered counts come from a trigger-kept table. */
  countByStatus(query: Omit<ListTokensQuery, 'limit' | 'cursor'> = {}): StatusCounts {
    const counts = emptyCounts();
    const f = this.filterSql(query, false);
    const rows =
      f.where.length === 0
        ? (this.sql('SELECT status, n FROM token_status_counts').all() as { status: string; n: number }[])
        : (this.sql(
            // Any COUNT_CAP matches will do (no ORDER BY): the planner takes the cheapest index for the filter.
            `SELECT status, count(*) AS n FROM (SELECT t.status AS status FROM ${f.from} WHERE ${f.where.join(' AND ')} LIMIT ?) GROUP BY status`,
          ).all(...f.params, COUNT_CAP + 1) as { status: string; n: number }[]);
    let total = 0;
    for (const r of rows) {
      if ((TOKEN_STATUSES as readonly string[]).includes(r.status)) counts[r.status as TokenStatus] += r.n;
      total += r.n;
    }
    return f.where.length > 0 && total > COUNT_CAP ? { ...counts, total, capped: true } : { ...counts, total };
  }

  /**
   * Walks every token matching a filter (or the given ids) in batches, oldest first, without holding a statement open.
   * `columns` (default: all) reads only those columns of each row (and `seq`).
   */
  *eachToken<K extends keyof TokenRow = keyof TokenRow>(
    selection: { readonly ids?: readonly string[]; readonly filter?: Omit<ListTokensQuery, 'limit' | 'cursor'> } = {},
    batch = 500,
    columns?: readonly K[],
  ): Generator<Pick<TokenRow, K | 'seq'>[]> {
    type Row = Pick<TokenRow, K | 'seq'>;
    const list = columns
      ? ['seq', ...columns.filter((c) => c !== 'seq')]
          .map((c) => {
            if (!/^[a-z_]+$/.test(c)) throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'not a column of tokens');
            return `t.${c}`;
          })
          .join(', ')
      : 't.*';
    if (selection.ids) {
      const stmt = this.sql(`SELECT ${list} FROM tokens t WHERE t.id = ?`);
      for (let i = 0; i < selection.ids.length; i += batch) {
        yield selection.ids
          .slice(i, i + batch)
          .map((id) => stmt.get(checkId(id, 'id')) as Row | undefined)
          .filter((r): r is Row => r !== undefined);
      }
      return;
    }
    const f = this.filterSql(selection.filter ?? {}, true);
    let after = 0;
    for (;;) {
      const where = [...f.where, `${f.order} > ?`];
      const rows = this.sql(`SELECT ${list} FROM ${f.from} WHERE ${where.join(' AND ')} ORDER BY ${f.order} ASC LIMIT ?`).all(
        ...f.params,
        after,
        batch,
      ) as Row[];
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1]?.seq ?? after;
      if (rows.length < batch) return;
    }
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

  // ── grants ──

  /** Starts a grant (one login: the access/refresh/ID tokens that belong together). Returns its id. */
  createGrant(input: CreateGrantInput): string {
    if (typeof input.grantType !== 'string' || input.grantType === '')
      throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'grantType is required');
    const id = input.id === undefined ? randomUUID() : checkId(input.id, 'id');
    const now = this.now();
    this.write(() => {
      this.sql(
        'INSERT INTO grants (id, profile_id, grant_type, issuer, client_id, scopes, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(
        id,
        input.profileId ?? null,
        input.grantType,
        input.issuer ?? null,
        input.clientId ?? null,
        (input.scopes ?? []).join(' '),
        input.createdAtMs ?? now,
        now,
      );
    });
    return id;
  }

  getGrantSummary(grantId: string): GrantSummary | null {
    const row = this.sql('SELECT * FROM grants WHERE id = ?').get(checkId(grantId, 'grantId')) as GrantRow | undefined;
    return row ? toGrant(row) : null;
  }

  /** The grant, its tokens and its events. ERR_NOT_FOUND. */
  getGrant(grantId: string): GrantDetail {
    const grant = this.getGrantSummary(grantId);
    if (!grant) throw new TokenscopeError('ERR_NOT_FOUND', 'no such grant in the history');
    return { grant, tokens: this.getGrantTokens(grantId), events: this.getEvents({ grantId }) };
  }

  /** The server refused the grant's refresh token (or it was revoked): no more refreshes. */
  markGrantDead(grantId: string, reason: string): void {
    this.write(() => {
      const info = this.sql("UPDATE grants SET state = 'dead', dead_reason = ?, updated_at_ms = ? WHERE id = ?").run(
        reason.slice(0, 500),
        this.now(),
        checkId(grantId, 'grantId'),
      );
      if (info.changes === 0) throw new TokenscopeError('ERR_NOT_FOUND', 'no such grant in the history');
      this.addEvent({ grantId, type: 'grant-dead', detail: { reason: reason.slice(0, 500) } });
    });
  }

  /** Grants with requests in the exchange log, the one with the latest request first, each with its tokens' subject. */
  listLoggedGrants(limit = 200): LoggedGrant[] {
    const rows = this.sql(
      `SELECT g.*, x.n AS exchange_count, x.last_at_ms,
         (SELECT t.subject FROM tokens t WHERE t.grant_id = g.id AND t.subject IS NOT NULL ORDER BY t.seq LIMIT 1) AS subject
       FROM (SELECT grant_id, max(seq) AS last_seq, max(started_at_ms) AS last_at_ms, count(*) AS n
             FROM exchanges WHERE grant_id IS NOT NULL GROUP BY grant_id) x
       JOIN grants g ON g.id = x.grant_id
       ORDER BY x.last_seq DESC LIMIT ?`,
    ).all(checkLimit(limit, 200, 1000)) as (GrantRow & { exchange_count: number; last_at_ms: number; subject: string | null })[];
    return rows.map((r) => ({
      ...toGrant(r),
      subject: r.subject,
      exchangeCount: r.exchange_count,
      lastExchangeAtMs: r.last_at_ms,
    }));
  }

  // ── profiles ──

  /** Creates or replaces a profile; `secrets` are sealed, `settings` stay plain. Returns its id. */
  saveProfile(input: SaveProfileInput): string {
    if (typeof input.name !== 'string' || input.name.trim() === '')
      throw new TokenscopeError('ERR_PROFILE_INVALID', 'a profile needs a name');
    if (!input.settings || typeof input.settings !== 'object' || !input.secrets || typeof input.secrets !== 'object') {
      throw new TokenscopeError('ERR_PROFILE_INVALID', 'settings and secrets must be objects');
    }
    const id = input.id === undefined ? randomUUID() : checkId(input.id, 'id');
    const now = this.now();
    const secrets =
      Object.keys(input.secrets).length === 0 ? null : this.keyring.seal(JSON.stringify(input.secrets), `profile:${id}`);
    this.write(() => {
      this.sql(
        `INSERT INTO profiles (id, name, settings_json, secrets_enc, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET name = excluded.name, settings_json = excluded.settings_json,
             secrets_enc = excluded.secrets_enc, updated_at_ms = excluded.updated_at_ms`,
      ).run(id, input.name, JSON.stringify(input.settings), secrets, now, now);
    });
    return id;
  }

  /** The profile with its secrets decrypted; null when absent; ERR_DECRYPT_FAILED when its secrets cannot be read here. */
  getProfile(id: string): ProfileRecord | null {
    const row = this.sql('SELECT * FROM profiles WHERE id = ?').get(checkId(id, 'id')) as ProfileRow | undefined;
    if (!row) return null;
    const secrets = row.secrets_enc ? parseObject(this.keyring.openText(row.secrets_enc, `profile:${id}`)) : {};
    return {
      id: row.id,
      name: row.name,
      settings: parseObject(row.settings_json) ?? {},
      secrets: secrets ?? {},
      createdAtMs: row.created_at_ms,
      updatedAtMs: row.updated_at_ms,
    };
  }

  /** Every profile without its secrets, by name. */
  listProfiles(): ProfileListItem[] {
    const rows = this.sql('SELECT * FROM profiles ORDER BY name COLLATE NOCASE, id').all() as ProfileRow[];
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      settings: parseObject(row.settings_json) ?? {},
      hasSecrets: row.secrets_enc !== null,
      createdAtMs: row.created_at_ms,
      updatedAtMs: row.updated_at_ms,
    }));
  }

  /** Deletes a profile; its tokens and grants stay (their profile link is cleared). False when absent. */
  deleteProfile(id: string): boolean {
    return this.write(() => this.sql('DELETE FROM profiles WHERE id = ?').run(checkId(id, 'id')).changes > 0);
  }

  /** Deletes profile `fromId` after pointing its tokens and grants at `intoId` (one profile standing for another). */
  mergeProfileInto(fromId: string, intoId: string): void {
    checkId(fromId, 'id');
    checkId(intoId, 'id');
    this.write(() => {
      this.sql('UPDATE tokens SET profile_id = ? WHERE profile_id = ?').run(intoId, fromId);
      this.sql('UPDATE grants SET profile_id = ? WHERE profile_id = ?').run(intoId, fromId);
      this.sql('DELETE FROM profiles WHERE id = ?').run(fromId);
    });
  }

  // ── events ──

  /** Records what happened to a token or grant. `detail` must hold no secrets. Returns the event id. */
  addEvent(input: AddEventInput): string {
    if (!(EVENT_TYPES as readonly string[]).includes(input.type))
      throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'unknown event type');
    const id = input.id ?? randomUUID();
    this.write(() => {
      this.sql('INSERT INTO events (id, token_id, grant_id, type, detail_json, at_ms) VALUES (?, ?, ?, ?, ?, ?)').run(
        id,
        input.tokenId ?? null,
        input.grantId ?? null,
        input.type,
        JSON.stringify(input.detail ?? {}),
        input.atMs ?? this.now(),
      );
    });
    return id;
  }

  /** Events of a token or a grant (or the latest of all), newest first. */
  getEvents(query: EventsQuery = {}): TokenEvent[] {
    const limit = checkLimit(query.limit, 200, 1000);
    let rows: EventRow[];
    if (query.tokenId !== undefined) {
      rows = this.sql('SELECT * FROM events WHERE token_id = ? ORDER BY seq DESC LIMIT ?').all(
        checkId(query.tokenId, 'tokenId'),
        limit,
      ) as EventRow[];
    } else if (query.grantId !== undefined) {
      rows = this.sql('SELECT * FROM events WHERE grant_id = ? ORDER BY seq DESC LIMIT ?').all(
        checkId(query.grantId, 'grantId'),
        limit,
      ) as EventRow[];
    } else {
      rows = this.sql('SELECT * FROM events ORDER BY seq DESC LIMIT ?').all(limit) as EventRow[];
    }
    return rows.map(toEvent);
  }

  // ── HTTP exchange log ──

  /** Logs one HTTP exchange of a flow. Headers and bodies are sealed at rest (callers still mask secrets). */
  addExchange(input: ExchangeInput): string {
    const id = randomUUID();
    const payload = JSON.stringify({
      requestHeaders: input.requestHeaders,
      requestBody: input.requestBody,
      responseHeaders: input.responseHeaders,
      responseBody: input.responseBody,
    });
    this.write(() => {
      this.sql(
        `INSERT INTO exchanges (id, grant_id, flow_id, token_id, method, url, status, duration_ms, started_at_ms, payload_enc)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        id,
        input.grantId ?? null,
        input.flowId ?? null,
        input.tokenId ?? null,
        input.method,
        input.url,
        input.status,
        input.durationMs,
        input.startedAtMs,
        this.keyring.seal(payload, `exchange:${id}`),
      );
    });
    return id;
  }

  /** Exchanges of a grant, flow or token in the order they happened. Unreadable payloads come back empty with status kept. */
  listExchanges(query: ExchangeQuery): ExchangeRecord[] {
    const limit = checkLimit(query.limit, 200, 1000);
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [key, col] of [
      ['grantId', 'grant_id'],
      ['flowId', 'flow_id'],
      ['tokenId', 'token_id'],
    ] as const) {
      const v = query[key];
      if (v === undefined) continue;
      where.push(`${col} = ?`);
      params.push(checkId(v, key));
    }
    if (where.length === 0) throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'give a grantId, flowId or tokenId');
    const rows = this.sql(`SELECT * FROM exchanges WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`).all(...params, limit) as {
      id: string;
      grant_id: string | null;
      flow_id: string | null;
      token_id: string | null;
      method: string;
      url: string;
      status: number | null;
      duration_ms: number | null;
      started_at_ms: number;
      payload_enc: Buffer;
    }[];
    return rows.map((r) => {
      let payload: Partial<Pick<ExchangeInput, 'requestHeaders' | 'requestBody' | 'responseHeaders' | 'responseBody'>> = {};
      try {
        payload = JSON.parse(this.keyring.openText(r.payload_enc, `exchange:${r.id}`)) as typeof payload;
      } catch {
        // the key that sealed it is not available here: keep the metadata
      }
      return {
        id: r.id,
        grantId: r.grant_id,
        flowId: r.flow_id,
        tokenId: r.token_id,
        method: r.method,
        url: r.url,
        status: r.status,
        durationMs: r.duration_ms,
        startedAtMs: r.started_at_ms,
        requestHeaders: payload.requestHeaders ?? {},
        requestBody: payload.requestBody ?? null,
        responseHeaders: payload.responseHeaders ?? {},
        responseBody: payload.responseBody ?? null,
      };
    });
  }

  // ── status and life cycle ──

  storageStatus(): StorageStatus {
    return {
      keyBackend: this.keyInfo.backend,
      strong: this.keyInfo.strong,
      unreadableCount:
        (this.sql("SELECT n FROM token_status_counts WHERE status = 'unreadable'").get() as { n: number } | undefined)?.n ?? 0,
      tokenCount: this.count(),
      schemaVersion: this.db.pragma('user_version', { simple: true }) as number,
      sqliteVersion: sqliteVersion(this.db),
      databasePath: databasePath(this.dataDir),
    };
  }

  /** Marks rows sealed with keys that cannot be unwrapped here as unreadable, and restores rows whose key is back. */
  applyKeyStatus(usable: readonly number[], failed: readonly number[]): void {
    this.write(() => {
      const now = this.now();
      const mark = this.sql(
        "UPDATE tokens SET status_before = status, status = 'unreadable', updated_at_ms = ? WHERE key_id = ? AND status != 'unreadable'",
      );
      const restore = this.sql(
        // Only unreadable rows can need restoring: start from them (usually none), not from every row of the key.
        "UPDATE tokens SET status = coalesce(status_before, 'active'), status_before = NULL, updated_at_ms = ? WHERE seq IN (SELECT seq FROM tokens INDEXED BY tokens_status WHERE status = 'unreadable') AND key_id = ?",
      );
      for (const k of failed) {
        const n = mark.run(now, k).changes;
        if (n > 0) this.addEvent({ type: 'decrypt-failed', detail: { keyId: k, tokens: n } });
      }
      for (const k of usable) restore.run(now, k);
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.statements.clear();
      this.db.pragma('optimize');
      // A clean close checkpoints and removes the -wal/-shm files.
      this.db.close();
    } finally {
      this.keyring.clear();
      this.lock?.release();
    }
  }
}

/**
 * Opens the history of a Platform: takes the lock file (ERR_STORE_LOCKED when another process holds
 * it), checks SQLite (ERR_SQLITE_TOO_OLD), migrates, and loads the data keys through the Platform's
 * KeyProvider. A wrong or lost key does not fail the open: the rows it sealed become `unreadable`.
 */
export async function openStore(
  platform: Pick<Platform, 'dataDir' | 'mode' | 'keyProvider' | 'now'>,
  options: StoreOptions = {},
): Promise<Store> {
  const provider: KeyProvider = await platform.keyProvider();
  return openStoreWith(platform.dataDir, provider, { mode: platform.mode, now: () => platform.now(), ...options });
}

export async function openStoreWith(
  dataDir: string,
  provider: KeyProvider,
  options: StoreOptions & { readonly mode?: string; readonly now?: () => number } = {},
): Promise<Store> {
  const memory = dataDir === ':memory:';
  const lock = (options.lock ?? !memory) && !memory ? acquireLock(dataDir, options.mode ?? 'cli') : null;
  let db: Database.Database | undefined;
  try {
    db = openDatabase(dataDir);
    const now = options.now ?? Date.now;
    const keyring = new Keyring();
    const status = await keyring.load(db, provider, now());
    const store = new Store(db, keyring, provider.info, lock, dataDir, now);
    store.applyKeyStatus(status.usable, status.failed);
    store.sweepExpired(true);
    return store;
  } catch (e) {
    db?.close();
    lock?.release();
    throw e;
  }
}

export { LATEST_VERSION };

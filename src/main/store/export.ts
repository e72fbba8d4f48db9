/**
 * Exports the history to a file, streaming (a batch of rows at a time, never the whole history in
 * memory): the Tokenscope bundle (lossless), any format id of FORMATS.md, CSV, .env, or the bundle
 * encrypted with a passphrase as a JWE (PBES2-HS512+A256KW / A256GCM, written as a stream).
 * The file is written 0600 under a temporary name and renamed when complete.
 */
import { createCipheriv, pbkdf2Sync, randomBytes } from 'node:crypto';
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ExportRequest, ExportResult, Redaction } from '../../shared/model.ts';
import { REDACTIONS } from '../../shared/model.ts';
import { TokenscopeError } from '../../shared/result.ts';
import { maskValue } from './envelope.ts';
import { fromCanonical, isFormatId, type CanonicalRecord, type FormatId } from './format-bridge.ts';
import type { Store } from './store.ts';

export const BUNDLE_KIND = 'tokenscope.bundle';
export const BUNDLE_VERSION = 1;
export const JWE_ALG = 'PBES2-HS512+A256KW';
export const JWE_ENC = 'A256GCM';
export const JWE_CTY = 'application/vnd.tokenscope.bundle+json';
/** PBKDF2-HMAC-SHA512 iterations for the encrypted bundle (OWASP 2023 guidance). */
export const PBES2_COUNT = 210_000;
export const MIN_PASSPHRASE_LENGTH = 8;

/** The row shape the exporters read (a `tokens` row). */
interface Row {
  seq: number;
  id: string;
  kind: string;
  format: string;
  hash: string;
  value_enc: Buffer | null;
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
  created_at_ms: number;
}

/** The columns of `Row`: the exporters never read a token's header or claims JSON. */
const EXPORT_COLUMNS = [
  'seq',
  'id',
  'kind',
  'format',
  'hash',
  'value_enc',
  'preview',
  'issuer',
  'subject',
  'client_id',
  'jti',
  'scopes',
  'issued_at_ms',
  'expires_at_ms',
  'status',
  'status_before',
  'grant_id',
  'profile_id',
  'source',
  'created_at_ms',
] as const satisfies readonly (keyof Row)[];
/** Rows read at a time. */
const EXPORT_BATCH = 200;

/** A token as the bundle holds it. Exactly one of value / valueMasked is set unless redact is 'hash' or the value is unreadable. */
export interface BundleToken {
  readonly id: string;
  readonly kind: string;
  readonly format: string;
  readonly hash: string;
  readonly value?: string;
  readonly valueMasked?: string;
  readonly unreadable?: true;
  readonly issuer: string | null;
  readonly subject: string | null;
  readonly clientId: string | null;
  readonly scopes: readonly string[];
  readonly issuedAtMs: number | null;
  readonly expiresAtMs: number | null;
  readonly status: string;
  readonly grantId: string | null;
  readonly profileId: string | null;
  readonly source: string;
  readonly createdAtMs: number;
}

export function fileExtension(format: string, encrypt: boolean): string {
  if (format === 'bundle') return encrypt ? 'tokenscope.jwe' : 'tokenscope.json';
  if (format === 'csv') return 'csv';
  if (format === 'env') return 'env';
  return 'json';
}

export function suggestedFileName(format: string, encrypt: boolean, nowMs: number): string {
  const stamp = new Date(nowMs)
    .toISOString()
    .replace(/[:.]/g, '-')
    .replace(/-\d{3}Z$/, 'Z');
  const base = format === 'bundle' ? 'tokenscope-history' : `tokenscope-${format.replace(/[^A-Za-z0-9.-]/g, '_')}`;
  return `${base}-${stamp}.${fileExtension(format, encrypt)}`;
}

/** Checks an export request; ERR_INVALID_ARGUMENT / ERR_UNKNOWN_FORMAT. */
export function checkExportRequest(req: ExportRequest): void {
  if (!req || typeof req !== 'object') throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'the export request must be an object');
  if (!(REDACTIONS as readonly string[]).includes(req.redact))
    throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'redact must be full, masked or hash');
  if (req.format !== 'bundle' && req.format !== 'csv' && req.format !== 'env' && !isFormatId(req.format)) {
    throw new TokenscopeError('ERR_UNKNOWN_FORMAT', `unknown export format "${req.format.slice(0, 60)}"`);
  }
  if (req.encrypt) {
    if (req.format !== 'bundle') throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'only the bundle can be encrypted');
    if (typeof req.passphrase !== 'string' || req.passphrase.length < MIN_PASSPHRASE_LENGTH) {
      throw new TokenscopeError(
        'ERR_INVALID_ARGUMENT',
        `an encrypted bundle needs a passphrase of at least ${String(MIN_PASSPHRASE_LENGTH)} characters`,
      );
    }
  }
  if (req.ids !== undefined && (!Array.isArray(req.ids) || req.ids.some((id) => typeof id !== 'string'))) {
    throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'ids must be an array of token ids');
  }
}

// ── output sinks ──

interface Sink {
  write(text: string): Promise<void>;
  end(): Promise<void>;
}

/** Bytes a file sink gathers before one write to the file. */
const FILE_CHUNK = 64 * 1024;

/**
 * A sink that copies what is written into one reusable buffer and hands it to the file with
 * fs.writeSync when full. Writers pass one record at a time: no batch-sized string or Buffer is
 * ever built, so the heap does not grow by the garbage of a large export before V8 collects it.
 */
function fileSink(fd: number): Sink & { readonly bytes: number; wipe(): void } {
  const chunk = Buffer.allocUnsafe(FILE_CHUNK);
  let used = 0;
  let bytes = 0;
  const writeAll = (data: Uint8Array): void => {
    for (let off = 0; off < data.length;) off += writeSync(fd, data, off, data.length - off);
    bytes += data.length;
  };
  const flush = (): void => {
    if (used > 0) writeAll(chunk.subarray(0, used));
    used = 0;
  };
  return {
    get bytes() {
      return bytes;
    },
    async write(text) {
      // A UTF-16 unit is at most 3 bytes of UTF-8: text that may not fit flushes the chunk first.
      if (text.length * 3 <= FILE_CHUNK - used) {
        used += chunk.write(text, used);
        return;
      }
      flush();
      if (text.length * 3 <= FILE_CHUNK) used += chunk.write(text, used);
      else writeAll(Buffer.from(text, 'utf8'));
      // Let the event loop run between two chunks (IPC, the HTTP bridge, timers), as a stream's drain did.
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
    end() {
      flush();
      return Promise.resolve();
    },
    /** The chunk held token values: zero it rather than leave them to the garbage collector. */
    wipe() {
      chunk.fill(0);
    },
  };
}

function b64u(buf: Uint8Array): string {
  return Buffer.from(buf).toString('base64url');
}

/**
 * A sink that encrypts what is written into a JWE compact serialization, as a stream:
 * header . wrapped CEK . iv . ciphertext . tag. Any JWE library decrypts it (tests use jose).
 */
function jweSink(inner: Sink, passphrase: string): Sink {
  const p2s = randomBytes(16);
  const header = b64u(
    Buffer.from(JSON.stringify({ alg: JWE_ALG, enc: JWE_ENC, cty: JWE_CTY, p2s: b64u(p2s), p2c: PBES2_COUNT })),
  );
  // RFC 7518 §4.8.1.1: salt = UTF8(alg) || 0x00 || p2s.
  const kek = pbkdf2Sync(
    Buffer.from(passphrase, 'utf8'),
    Buffer.concat([Buffer.from(JWE_ALG), Buffer.from([0]), p2s]),
    PBES2_COUNT,
    32,
    'sha512',
  );
  const cek = randomBytes(32);
  const wrap = createCipheriv('id-aes256-wrap', kek, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
  const wrapped = Buffer.concat([wrap.update(cek), wrap.final()]);
  kek.fill(0);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', cek, iv);
  cek.fill(0);
  cipher.setAAD(Buffer.from(header, 'ascii'));
  let pending: Buffer = Buffer.alloc(0);
  let started = false;
  const emit = async (bytes: Buffer, final: boolean): Promise<void> => {
    pending = pending.length === 0 ? bytes : Buffer.concat([pending, bytes]);
    const usable = final ? pending.length : pending.length - (pending.length % 3);
    if (usable > 0) {
      await inner.write(pending.subarray(0, usable).toString('base64url'));
      pending = pending.subarray(usable);
    }
  };
  return {
    async write(text) {
      if (!started) {
        started = true;
        await inner.write(`${header}.${b64u(wrapped)}.${b64u(iv)}.`);
      }
      await emit(cipher.update(text, 'utf8'), false);
    },
    async end() {
      if (!started) {
        started = true;
        await inner.write(`${header}.${b64u(wrapped)}.${b64u(iv)}.`);
      }
      await emit(cipher.final(), true);
      await inner.write(`.${b64u(cipher.getAuthTag())}`);
      await inner.end();
    },
  };
}

// ── redaction ──

function redactValue(value: string | null, redact: Redaction): { value?: string; valueMasked?: string } {
  if (value === null || redact === 'hash') return {};
  return redact === 'full' ? { value } : { valueMasked: maskValue(value) };
}

function redactSecrets(secrets: Readonly<Record<string, unknown>>, redact: Redaction): Record<string, unknown> | undefined {
  if (redact === 'hash') return undefined;
  if (redact === 'full') return { ...secrets };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(secrets)) out[k] = typeof v === 'string' ? maskValue(v) : '…';
  return out;
}

function bundleToken(store: Store, row: Row, redact: Redaction): BundleToken {
  const value = store.valueOfRow(row);
  return {
    id: row.id,
    kind: row.kind,
    format: row.format,
    hash: row.hash,
    ...redactValue(value, redact),
    ...(value === null ? { unreadable: true as const } : {}),
    issuer: row.issuer,
    subject: row.subject,
    clientId: row.client_id,
    scopes: row.scopes === '' ? [] : row.scopes.split(' '),
    issuedAtMs: row.issued_at_ms,
    expiresAtMs: row.expires_at_ms,
    status: row.status === 'unreadable' ? (row.status_before ?? 'active') : row.status,
    grantId: row.grant_id,
    profileId: row.profile_id,
    source: row.source,
    createdAtMs: row.created_at_ms,
  };
}

// ── writers per format ──

async function writeBundle(store: Store, req: ExportRequest, sink: Sink, nowMs: number): Promise<number> {
  await sink.write(
    `{"kind":${JSON.stringify(BUNDLE_KIND)},"version":${String(BUNDLE_VERSION)},"exportedAtMs":${String(nowMs)},"redact":${JSON.stringify(req.redact)},\n"tokens":[`,
  );
  const whole = req.ids === undefined && req.filter === undefined;
  const grantIds = new Set<string>();
  const profileIds = new Set<string>();
  const tokenIds: string[] = [];
  let n = 0;
  for (const batch of store.eachToken(selection(req), EXPORT_BATCH, EXPORT_COLUMNS) as Iterable<Row[]>) {
    // One record at a time: the sink gathers them into its chunk (a decrypted value lives as long as its record).
    for (const row of batch) {
      await sink.write(`${n === 0 ? '\n' : ',\n'}${JSON.stringify(bundleToken(store, row, req.redact))}`);
      n++;
      if (!whole) {
        tokenIds.push(row.id);
        if (row.grant_id) grantIds.add(row.grant_id);
        if (row.profile_id) profileIds.add(row.profile_id);
      }
    }
  }
  await sink.write('\n],\n"grants":[');
  type GrantRow = {
    rowid: number;
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
  };
  // Grants in batches too: a long history has tens of thousands of them.
  function* grantBatches(): Generator<GrantRow[]> {
    if (!whole) {
      const one = store.sql('SELECT rowid, * FROM grants WHERE id = ?');
      const ids = [...grantIds];
      for (let i = 0; i < ids.length; i += 500)
        yield ids
          .slice(i, i + 500)
          .map((id) => one.get(id) as GrantRow | undefined)
          .filter((g) => g !== undefined);
      return;
    }
    let after = 0;
    for (;;) {
      const rows = store.sql('SELECT rowid, * FROM grants WHERE rowid > ? ORDER BY rowid LIMIT 500').all(after) as GrantRow[];
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1]?.rowid ?? after;
    }
  }
  let first = true;
  for (const batch of grantBatches()) {
    for (const g of batch) {
      if (g.profile_id) profileIds.add(g.profile_id);
      await sink.write(
        `${first ? '\n' : ',\n'}${JSON.stringify({
          id: g.id,
          profileId: g.profile_id,
          grantType: g.grant_type,
          issuer: g.issuer,
          clientId: g.client_id,
          scopes: g.scopes === '' ? [] : g.scopes.split(' '),
          state: g.state,
          deadReason: g.dead_reason,
          createdAtMs: g.created_at_ms,
          updatedAtMs: g.updated_at_ms,
        })}`,
      );
      first = false;
    }
  }
  await sink.write('\n],\n"profiles":[');
  first = true;
  const profileList = whole ? store.listProfiles().map((p) => p.id) : [...profileIds];
  for (const id of profileList) {
    let profile;
    try {
      profile = store.getProfile(id);
    } catch {
      profile = null;
      const meta = store.listProfiles().find((p) => p.id === id);
      if (meta)
        await sink.write(
          `${first ? '\n' : ',\n'}${JSON.stringify({ id: meta.id, name: meta.name, settings: meta.settings, createdAtMs: meta.createdAtMs, updatedAtMs: meta.updatedAtMs, unreadable: true })}`,
        );
      first = false;
    }
    if (!profile) continue;
    const secrets = redactSecrets(profile.secrets, req.redact);
    await sink.write(
      `${first ? '\n' : ',\n'}${JSON.stringify({
        id: profile.id,
        name: profile.name,
        settings: profile.settings,
        ...(secrets === undefined ? {} : { secrets }),
        createdAtMs: profile.createdAtMs,
        updatedAtMs: profile.updatedAtMs,
      })}`,
    );
    first = false;
  }
  await sink.write('\n],\n"events":[');
  first = true;
  const writeEvents = async (
    rows: { id: string; token_id: string | null; grant_id: string | null; type: string; detail_json: string; at_ms: number }[],
  ): Promise<void> => {
    for (const e of rows) {
      await sink.write(
        `${first ? '\n' : ',\n'}{"id":${JSON.stringify(e.id)},"tokenId":${JSON.stringify(e.token_id)},"grantId":${JSON.stringify(e.grant_id)},"type":${JSON.stringify(e.type)},"detail":${e.detail_json},"atMs":${String(e.at_ms)}}`,
      );
      first = false;
    }
  };
  type EventRow = {
    seq: number;
    id: string;
    token_id: string | null;
    grant_id: string | null;
    type: string;
    detail_json: string;
    at_ms: number;
  };
  if (whole) {
    let after = 0;
    for (;;) {
      const rows = store.sql('SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT 1000').all(after) as EventRow[];
      if (rows.length === 0) break;
      await writeEvents(rows);
      after = rows[rows.length - 1]?.seq ?? after;
    }
  } else {
    const byToken = store.sql('SELECT * FROM events WHERE token_id = ? ORDER BY seq');
    const byGrant = store.sql('SELECT * FROM events WHERE grant_id = ? AND token_id IS NULL ORDER BY seq');
    for (const id of tokenIds) await writeEvents(byToken.all(id) as EventRow[]);
    for (const id of grantIds) await writeEvents(byGrant.all(id) as EventRow[]);
  }
  await sink.write('\n]}\n');
  return n;
}

function selection(req: ExportRequest): { ids?: readonly string[]; filter?: ExportRequest['filter'] } {
  if (req.ids !== undefined) return { ids: req.ids };
  if (req.filter !== undefined) return { filter: req.filter };
  return {};
}

/** Groups consecutive rows of one grant into token responses: a new group starts when a kind repeats. */
function* responseGroups(batches: Iterable<Row[]>): Generator<Row[]> {
  let group: Row[] = [];
  for (const batch of batches) {
    for (const row of batch) {
      const prev = group[0];
      const sameGrant = prev !== undefined && row.grant_id !== null && row.grant_id === prev.grant_id;
      if (prev !== undefined && (!sameGrant || group.some((r) => r.kind === row.kind))) {
        yield group;
        group = [];
      }
      group.push(row);
    }
  }
  if (group.length > 0) yield group;
}

function canonicalOf(store: Store, group: readonly Row[], redact: Redaction): CanonicalRecord {
  const byKind = (kind: string): Row | undefined => group.find((r) => r.kind === kind);
  const access = byKind('access_token');
  const refresh = byKind('refresh_token');
  const id = byKind('id_token');
  const lead = access ?? refresh ?? id ?? group[0];
  const grant = lead?.grant_id ? store.getGrantSummary(lead.grant_id) : null;
  const val = (row: Row | undefined): string | undefined => {
    if (!row || redact === 'hash') return undefined;
    const v = store.valueOfRow(row);
    if (v === null) return undefined;
    return redact === 'full' ? v : maskValue(v);
  };
  const record: Record<string, unknown> = {};
  const set = (k: keyof CanonicalRecord, v: unknown): void => {
    if (v !== undefined && v !== null) record[k] = v;
  };
  set('accessToken', val(access));
  set('refreshToken', val(refresh));
  set('idToken', val(id));
  if (redact === 'hash') {
    set('accessTokenHash', access?.hash);
    set('refreshTokenHash', refresh?.hash);
  }
  if (access) set('tokenType', 'Bearer');
  if (lead) {
    const scopes = lead.scopes === '' ? undefined : lead.scopes.split(' ');
    set('scopes', scopes);
    set('issuedAtMs', lead.issued_at_ms ?? lead.created_at_ms);
    set('expiresAtMs', lead.expires_at_ms);
    if (lead.expires_at_ms !== null) {
      set('expiresInS', Math.max(0, Math.round((lead.expires_at_ms - (lead.issued_at_ms ?? lead.created_at_ms)) / 1000)));
    }
    set('subject', lead.subject ?? id?.subject);
    set('clientId', lead.client_id ?? grant?.clientId);
  }
  if (refresh?.expires_at_ms !== null && refresh?.expires_at_ms !== undefined) set('refreshExpiresAtMs', refresh.expires_at_ms);
  if (grant && grant.grantType !== 'imported' && grant.grantType !== 'paste') set('grantType', grant.grantType);
  return record;
}

async function writeFormat(store: Store, req: ExportRequest, format: FormatId, sink: Sink, lost: Set<string>): Promise<number> {
  await sink.write('[');
  let n = 0;
  let records = 0;
  for (const group of responseGroups(store.eachToken(selection(req), EXPORT_BATCH, EXPORT_COLUMNS) as Iterable<Row[]>)) {
    const { output, findings } = fromCanonical(canonicalOf(store, group, req.redact), format);
    for (const f of findings) if (f.code === 'NOT_REPRESENTABLE' && f.concept !== undefined) lost.add(f.concept);
    await sink.write(`${records === 0 ? '\n' : ',\n'}${JSON.stringify(output)}`);
    records++;
    n += group.length;
  }
  await sink.write(records === 0 ? ']\n' : '\n]\n');
  return n;
}

export const CSV_COLUMNS = [
  'id',
  'kind',
  'format',
  'status',
  'issuer',
  'subject',
  'client_id',
  'scopes',
  'issued_at',
  'expires_at',
  'created_at',
  'grant_id',
  'profile_id',
  'source',
  'hash',
] as const;

export function csvField(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  // A leading = + - @ would be a formula in a spreadsheet: quote and prefix it.
  const guarded = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n']/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

async function writeCsv(store: Store, req: ExportRequest, sink: Sink): Promise<number> {
  const withValue = req.includeValues === true && req.redact !== 'hash';
  await sink.write(`${[...CSV_COLUMNS, ...(withValue ? ['value'] : [])].join(',')}\r\n`);
  let n = 0;
  for (const batch of store.eachToken(selection(req), EXPORT_BATCH, EXPORT_COLUMNS) as Iterable<Row[]>) {
    for (const r of batch) {
      const cells: (string | number | null)[] = [
        r.id,
        r.kind,
        r.format,
        r.status,
        r.issuer,
        r.subject,
        r.client_id,
        r.scopes,
        iso(r.issued_at_ms),
        iso(r.expires_at_ms),
        iso(r.created_at_ms),
        r.grant_id,
        r.profile_id,
        r.source,
        r.hash,
      ];
      if (withValue) {
        const v = store.valueOfRow(r);
        cells.push(v === null ? null : req.redact === 'full' ? v : maskValue(v));
      }
      await sink.write(`${cells.map(csvField).join(',')}\r\n`);
      n++;
    }
  }
  return n;
}

function envQuote(v: string): string {
  return v.includes("'") ? `"${v.replace(/[\\"$`]/g, (c) => `\\${c}`)}"` : `'${v}'`;
}

async function writeEnv(store: Store, req: ExportRequest, sink: Sink, nowMs: number): Promise<number> {
  await sink.write(`# Tokenscope export ${new Date(nowMs).toISOString()} (redact=${req.redact})\n`);
  const seen = new Map<string, number>();
  let n = 0;
  for (const batch of store.eachToken(selection(req), EXPORT_BATCH, EXPORT_COLUMNS) as Iterable<Row[]>) {
    for (const r of batch) {
      const base = r.kind === 'unknown' ? 'TOKEN' : r.kind.toUpperCase();
      const k = (seen.get(base) ?? 0) + 1;
      seen.set(base, k);
      const name = k === 1 ? base : `${base}_${String(k)}`;
      const v = store.valueOfRow(r);
      const value = req.redact === 'hash' || v === null ? r.hash : req.redact === 'full' ? v : maskValue(v);
      const about = [
        r.id,
        r.issuer ? `iss=${r.issuer}` : '',
        r.subject ? `sub=${r.subject}` : '',
        r.expires_at_ms ? `exp=${iso(r.expires_at_ms) ?? ''}` : '',
        `status=${r.status}`,
      ]
        .filter(Boolean)
        .join(' ')
        .replace(/[\r\n]/g, ' ');
      await sink.write(
        `# ${about}${req.redact === 'hash' || v === null ? ' (sha256 of the value)' : ''}\n${name}=${envQuote(value)}\n`,
      );
      n++;
    }
  }
  return n;
}

/**
 * Writes the export to `path` (0600; a temporary name until complete, so a failure leaves no partial
 * file). Returns what was written. The caller chose `path` (dialog, --out, or the data dir in serve).
 */
export async function exportToFile(store: Store, req: ExportRequest, path: string, nowMs: number): Promise<ExportResult> {
  checkExportRequest(req);
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`);
  let fd: number;
  try {
    fd = openSync(tmp, 'wx', 0o600);
  } catch (e) {
    throw new TokenscopeError('ERR_EXPORT', `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const file = fileSink(fd);
  const sink = req.encrypt ? jweSink(file, req.passphrase ?? '') : file;
  let count: number;
  const lost = new Set<string>();
  let open = true;
  try {
    if (req.format === 'bundle') count = await writeBundle(store, req, sink, nowMs);
    else if (req.format === 'csv') count = await writeCsv(store, req, sink);
    else if (req.format === 'env') count = await writeEnv(store, req, sink, nowMs);
    else count = await writeFormat(store, req, req.format as FormatId, sink, lost);
    await sink.end();
    open = false;
    closeSync(fd);
    renameSync(tmp, path);
  } catch (e) {
    if (open) closeSync(fd);
    rmSync(tmp, { force: true });
    if (e instanceof TokenscopeError) throw e;
    throw new TokenscopeError('ERR_EXPORT', `the export to ${path} failed: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  } finally {
    file.wipe();
  }
  const bytes = file.bytes;
  store.addEvent({
    type: 'exported',
    detail: { format: req.format, redact: req.redact, encrypted: req.encrypt === true, tokens: count },
  });
  return {
    path,
    format: req.format,
    redact: req.redact,
    encrypted: req.encrypt === true,
    tokenCount: count,
    bytes,
    ...(lost.size > 0 ? { notRepresentable: [...lost].sort() } : {}),
  };
}

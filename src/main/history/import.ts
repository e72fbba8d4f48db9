/**
 * Imports a file into the history: a Tokenscope bundle (plain, or encrypted as a JWE with a
 * passphrase), any of the six formats of FORMATS.md (one object or an array), or JSON lines.
 * Deduplicates by value hash, reports every record that was not simply imported, and is all or
 * nothing (one transaction) unless asked to skip bad records.
 */
import { compactDecrypt } from 'jose';
import type { ImportRecordReport, ImportReport, TokenKind, TokenStatus } from '../../shared/model.ts';
import { TOKEN_KINDS, TOKEN_STATUSES } from '../../shared/model.ts';
import { TokenscopeError } from '../../shared/result.ts';
import { isMasked } from '../../shared/mask.ts';
import { toAppError } from '../errors.ts';
import { BUNDLE_KIND } from './export-bundle.ts';
import { JWE_ALG, JWE_ENC } from './export-sinks.ts';
import { detectFormat, isFormatId, toCanonical, type CanonicalRecord, type FormatId } from './format-bridge.ts';
import { saveCanonicalRecord } from './record-save.ts';
import { tokenHash } from '../store/envelope.ts';
import type { Store } from '../store/store.ts';

/** Larger files are refused before they are read (ERR_FILE_TOO_LARGE). */
export const MAX_IMPORT_BYTES = 128 * 1024 * 1024;
const MAX_REPORTED = 1000;
const MAX_PBES2_COUNT = 2_000_000;

/** Canonical concepts the history keeps; everything else a record carries is reported as dropped. */

export interface ImportInput {
  readonly content: string;
  readonly passphrase?: string;
  readonly skipBad?: boolean;
  /** A format id to read every record as, instead of detecting it per record. */
  readonly format?: string;
  /** Told how far the import is: at the start, about every 1 % (at least every 1,000 records), and at the end. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Calls `report` for record `done` of `total` when it is a progress step (see ImportInput.onProgress). */
function progressSteps(total: number, report: ((done: number, total: number) => void) | undefined): (done: number) => void {
  if (!report) return () => undefined;
  const step = Math.max(1, Math.min(1000, Math.ceil(total / 100)));
  report(0, total);
  return (done) => {
    if (done === total || done % step === 0) report(done, total);
  };
}

class Rollback extends Error {}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Decrypts an encrypted bundle; ERR_WRONG_PASSPHRASE for a missing or wrong passphrase or a damaged file. */
export async function decryptBundle(jwe: string, passphrase: string | undefined): Promise<string> {
  if (typeof passphrase !== 'string' || passphrase === '') {
    throw new TokenscopeError('ERR_WRONG_PASSPHRASE', 'this bundle is encrypted: give its passphrase', {
      passphraseMissing: true,
    });
  }
  try {
    const { plaintext } = await compactDecrypt(jwe, new TextEncoder().encode(passphrase), {
      keyManagementAlgorithms: [JWE_ALG],
      contentEncryptionAlgorithms: [JWE_ENC],
      maxPBES2Count: MAX_PBES2_COUNT,
    });
    return new TextDecoder('utf-8', { fatal: true }).decode(plaintext);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ERR_JWE_INVALID' || code === 'ERR_JOSE_NOT_SUPPORTED' || code === 'ERR_JOSE_ALG_NOT_ALLOWED') {
      throw new TokenscopeError('ERR_IMPORT', 'the encrypted bundle is damaged or uses algorithms Tokenscope does not write');
    }
    throw new TokenscopeError('ERR_WRONG_PASSPHRASE', 'wrong passphrase, or the encrypted bundle is damaged');
  }
}

const JWE_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

type Parsed =
  | { readonly kind: 'bundle'; readonly bundle: Record<string, unknown>; readonly encrypted: boolean }
  | {
      readonly kind: 'records';
      readonly records: readonly { readonly index: number; readonly value: unknown; readonly error?: string }[];
      readonly jsonl: boolean;
    };

/** Reads the file's text into a bundle or a list of records; ERR_INVALID_JSON when it is neither JSON nor JSON lines. */
export async function parseImport(content: string, passphrase: string | undefined): Promise<Parsed> {
  if (typeof content !== 'string') throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'content must be text');
  if (content.length > MAX_IMPORT_BYTES) throw new TokenscopeError('ERR_FILE_TOO_LARGE', 'the file is larger than 128 MiB');
  const text = content.replace(/^\uFEFF/, '').trim();
  if (text === '') throw new TokenscopeError('ERR_EMPTY_INPUT', 'the file is empty');
  if (JWE_COMPACT.test(text)) {
    const plain = await decryptBundle(text, passphrase);
    let parsed: unknown;
    try {
      parsed = JSON.parse(plain);
    } catch {
      throw new TokenscopeError('ERR_INVALID_JSON', 'the decrypted bundle is not JSON');
    }
    if (!isObject(parsed) || parsed['kind'] !== BUNDLE_KIND)
      throw new TokenscopeError('ERR_IMPORT', 'the decrypted file is not a Tokenscope bundle');
    return { kind: 'bundle', bundle: parsed, encrypted: true };
  }
  let whole: unknown;
  let wholeOk = true;
  try {
    whole = JSON.parse(text);
  } catch {
    wholeOk = false;
  }
  if (wholeOk) {
    if (isObject(whole) && whole['kind'] === BUNDLE_KIND) return { kind: 'bundle', bundle: whole, encrypted: false };
    if (Array.isArray(whole))
      return { kind: 'records', records: (whole as unknown[]).map((value, index) => ({ index, value })), jsonl: false };
    return { kind: 'records', records: [{ index: 0, value: whole }], jsonl: false };
  }
  // JSON lines: every non-empty line one JSON value. The first line must parse, else the file is not JSON at all
  // (a truncated bundle or array fails here, as a whole).
  const lines = text.split(/\r?\n/);
  const records: { index: number; value: unknown; error?: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    try {
      records.push({ index: i, value: JSON.parse(line) as unknown });
    } catch {
      if (records.length === 0)
        throw new TokenscopeError('ERR_INVALID_JSON', 'the file is neither JSON nor JSON lines (truncated or not JSON)');
      records.push({ index: i, value: undefined, error: 'line is not JSON (truncated?)' });
    }
  }
  if (records.length < 2 && !records.some((r) => r.error === undefined && isObject(r.value))) {
    throw new TokenscopeError('ERR_INVALID_JSON', 'the file is neither JSON nor JSON lines');
  }
  return { kind: 'records', records, jsonl: true };
}

interface Counter {
  imported: number;
  duplicates: number;
  rejected: number;
  records: ImportRecordReport[];
}

function note(c: Counter, r: ImportRecordReport): void {
  if (r.outcome === 'imported') c.imported++;
  else if (r.outcome === 'duplicate') c.duplicates++;
  else c.rejected++;
  // One row per record (up to the cap), so the report's table and its counts tell the same story.
  if (c.records.length < MAX_REPORTED) c.records.push(r);
}

function reject(index: number, e: unknown): ImportRecordReport {
  const error = toAppError(e);
  return { index, outcome: 'rejected', code: error.code === 'ERR_INTERNAL' ? 'ERR_IMPORT' : error.code, message: error.message };
}

// ── format records ──

function importFormatRecord(store: Store, index: number, value: unknown, forced: FormatId | null): ImportRecordReport {
  if (!isObject(value)) throw new TokenscopeError('ERR_UNKNOWN_FORMAT', 'the record is not a JSON object');
  const format = forced ?? detectFormat(value);
  if (format === null) throw new TokenscopeError('ERR_UNKNOWN_FORMAT', 'the record matches none of the known token formats');
  const { record } = toCanonical(value, format);
  return saveCanonical(store, index, record, format);
}

function saveCanonical(store: Store, index: number, record: CanonicalRecord, format: FormatId): ImportRecordReport {
  const saved = saveCanonicalRecord(store, record, format, { source: 'import', strict: true, event: 'imported' });
  if (saved.created === 0) return { index, outcome: 'duplicate', tokenIds: saved.ids };
  return {
    index,
    outcome: 'imported',
    tokenIds: saved.ids,
    ...(saved.dropped.length > 0 ? { dropped: saved.dropped } : {}),
    ...(saved.fieldNotes.length > 0 ? { fieldNotes: saved.fieldNotes } : {}),
  };
}

// ── bundle ──

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
function strArray(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
function list(bundle: Record<string, unknown>, key: string): unknown[] {
  const v = bundle[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new TokenscopeError('ERR_IMPORT', `the bundle's "${key}" is not an array`);
  return v;
}

function importBundle(
  store: Store,
  bundle: Record<string, unknown>,
  c: Counter,
  skipBad: boolean,
  onProgress: ImportInput['onProgress'],
): void {
  if (bundle['version'] !== 1) throw new TokenscopeError('ERR_IMPORT', 'this bundle version is not supported');
  // Profiles, then grants (tokens point at them), then tokens, then events. Only tokens count as records.
  for (const p of list(bundle, 'profiles')) {
    if (!isObject(p) || typeof p['id'] !== 'string' || store.hasProfile(p['id'])) continue;
    if (p['unreadable'] === true) continue;
    const secrets = isObject(p['secrets']) ? p['secrets'] : {};
    const masked = Object.values(secrets).some((v) => typeof v === 'string' && isMasked(v));
    store.saveProfile({
      id: p['id'],
      name: str(p['name']) ?? 'imported profile',
      settings: isObject(p['settings']) ? p['settings'] : {},
      secrets: masked ? {} : secrets,
    });
  }
  for (const g of list(bundle, 'grants')) {
    if (!isObject(g) || typeof g['id'] !== 'string' || store.hasGrant(g['id'])) continue;
    const profileId = str(g['profileId']);
    store.createGrant({
      id: g['id'],
      grantType: str(g['grantType']) ?? 'imported',
      profileId: profileId && store.hasProfile(profileId) ? profileId : null,
      issuer: str(g['issuer']),
      clientId: str(g['clientId']),
      scopes: strArray(g['scopes']),
      createdAtMs: num(g['createdAtMs']) ?? Date.now(),
    });
    store.restoreGrantState(g['id'], g['state'] === 'dead' ? 'dead' : 'live', str(g['deadReason']), num(g['updatedAtMs']));
  }
  const tokens = list(bundle, 'tokens');
  const progress = progressSteps(tokens.length, onProgress);
  const grantsTouched = new Set<string>();
  for (let index = 0; index < tokens.length; index++) {
    const t = tokens[index];
    try {
      const report = store.savepoint(() => importBundleToken(store, index, t));
      const grantId = isObject(t) ? str(t['grantId']) : null;
      if (report.outcome === 'imported' && grantId !== null && store.hasGrant(grantId)) grantsTouched.add(grantId);
      note(c, report);
    } catch (e) {
      note(c, reject(index, e));
      if (!skipBad && c.rejected > MAX_REPORTED) throw new Rollback();
    }
    progress(index + 1);
  }
  // A bundle records tokens, not responses: their issuances are derived as for an older history (same grant, same time).
  store.deriveIssuances([...grantsTouched]);
  for (const e of list(bundle, 'events')) {
    if (!isObject(e) || typeof e['id'] !== 'string' || store.hasEvent(e['id'])) continue;
    const type = str(e['type']);
    try {
      store.addEvent({
        id: e['id'],
        tokenId: str(e['tokenId']),
        grantId: str(e['grantId']),
        type: type as never,
        detail: isObject(e['detail']) ? e['detail'] : {},
        atMs: num(e['atMs']) ?? Date.now(),
      });
    } catch {
      // an event type this version does not know: the tokens matter, the trace is best effort
    }
  }
}

function importBundleToken(store: Store, index: number, t: unknown): ImportRecordReport {
  if (!isObject(t)) throw new TokenscopeError('ERR_IMPORT', 'the token record is not an object');
  const value = t['value'];
  const hash = str(t['hash']);
  if (value === undefined) {
    if (hash && store.findTokenByHash(hash))
      return { index, outcome: 'duplicate', tokenIds: [store.findTokenByHash(hash) ?? ''] };
    throw new TokenscopeError(
      'ERR_NOT_A_TOKEN',
      t['unreadable'] === true
        ? 'the value was unreadable where it was exported'
        : 'the value was redacted in this bundle (masked or hash only)',
    );
  }
  const kind = str(t['kind']);
  if (!kind || !(TOKEN_KINDS as readonly string[]).includes(kind)) throw new TokenscopeError('ERR_IMPORT', 'unknown token kind');
  const status = str(t['status']);
  const grantId = str(t['grantId']);
  const profileId = str(t['profileId']);
  const id = str(t['id']);
  if (id && store.hasToken(id) && typeof value === 'string' && !store.findTokenByValue(value)) {
    throw new TokenscopeError('ERR_IMPORT', 'another token with this id is already in the history');
  }
  if (hash && typeof value === 'string' && hash !== tokenHash(value)) {
    throw new TokenscopeError('ERR_IMPORT', 'the value does not match the hash recorded with it (damaged record)');
  }
  const saved = store.saveToken({
    value: value as string,
    kind: kind as TokenKind,
    format: str(t['format']) ?? 'opaque',
    ...(id ? { id } : {}),
    grantId: grantId && store.hasGrant(grantId) ? grantId : null,
    profileId: profileId && store.hasProfile(profileId) ? profileId : null,
    issuer: str(t['issuer']),
    subject: str(t['subject']),
    clientId: str(t['clientId']),
    scopes: strArray(t['scopes']),
    issuedAtMs: num(t['issuedAtMs']),
    expiresAtMs: num(t['expiresAtMs']),
    lifetimeS: num(t['lifetimeS']),
    source: str(t['source']) ?? 'import',
    ...(status && (TOKEN_STATUSES as readonly string[]).includes(status) ? { status: status as TokenStatus } : {}),
    ...(num(t['createdAtMs']) !== null ? { createdAtMs: num(t['createdAtMs']) as number } : {}),
    strict: true,
  });
  if (saved.created && (grantId === null || !store.hasGrant(grantId)))
    store.recordIssuance({
      grantId: null,
      request: 'import',
      receivedAtMs: num(t['issuedAtMs']) ?? undefined,
      tokens: [{ id: saved.id, kind: kind as TokenKind }],
    });
  return { index, outcome: saved.created ? 'imported' : 'duplicate', tokenIds: [saved.id] };
}

/**
 * Imports `content`. Whole-file problems throw (ERR_FILE_TOO_LARGE, ERR_INVALID_JSON, ERR_WRONG_PASSPHRASE,
 * ERR_IMPORT); per-record problems are reported. Without `skipBad`, one bad record means nothing is written
 * (`committed: false`).
 */
export async function importContent(store: Store, input: ImportInput): Promise<ImportReport> {
  if (input.format !== undefined && !isFormatId(input.format))
    throw new TokenscopeError('ERR_UNKNOWN_FORMAT', 'unknown format id');
  const forced = input.format !== undefined && isFormatId(input.format) ? input.format : null;
  const parsed = await parseImport(input.content, input.passphrase);
  const skipBad = input.skipBad === true;
  const c: Counter = { imported: 0, duplicates: 0, rejected: 0, records: [] };
  const detected =
    parsed.kind === 'bundle'
      ? parsed.encrypted
        ? 'bundle+jwe'
        : 'bundle'
      : parsed.jsonl
        ? 'jsonl'
        : forced !== null
          ? forced
          : (() => {
              const first = parsed.records.find((r) => isObject(r.value));
              return first && isObject(first.value) ? (detectFormat(first.value) ?? 'unknown') : 'unknown';
            })();
  let committed = true;
  try {
    store.write(() => {
      if (parsed.kind === 'bundle') {
        importBundle(store, parsed.bundle, c, skipBad, input.onProgress);
      } else {
        const progress = progressSteps(parsed.records.length, input.onProgress);
        for (const [done, r] of parsed.records.entries()) {
          try {
            if (r.error !== undefined) throw new TokenscopeError('ERR_INVALID_JSON', r.error);
            note(c, importFormatRecord(store, r.index, r.value, forced));
          } catch (e) {
            note(c, reject(r.index, e));
          }
          progress(done + 1);
        }
      }
      if (c.rejected > 0 && !skipBad) throw new Rollback();
      if (c.imported > 0)
        store.addEvent({
          type: 'imported',
          detail: { detected, imported: c.imported, duplicates: c.duplicates, rejected: c.rejected },
        });
    });
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
    committed = false;
  }
  // All or nothing and rolled back: the good records were not saved, and their rows say so.
  const records = committed
    ? c.records
    : c.records.map((r): ImportRecordReport =>
        r.outcome === 'imported'
          ? { index: r.index, outcome: 'not-saved', message: 'readable, but not saved: the import was all or nothing' }
          : r,
      );
  return {
    detected,
    committed,
    imported: committed ? c.imported : 0,
    notSaved: committed ? 0 : c.imported,
    duplicates: c.duplicates,
    rejected: c.rejected,
    records,
  };
}

/**
 * Exports the history to a file, streaming (a batch of rows at a time, never the whole history in
 * memory): the Tokenscope bundle (lossless), any format id of FORMATS.md, CSV, .env, or the bundle
 * encrypted with a passphrase as a JWE (PBES2-HS512+A256KW / A256GCM, written as a stream).
 * The file is written 0600 under a temporary name and renamed when complete.
 */
import { counted, ExportProgress, selectedCount, type ExportProgressListener } from './export-progress.ts';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ExportRequest, ExportResult } from '../../shared/model.ts';
import { REDACTIONS } from '../../shared/model.ts';
import { TokenscopeError } from '../../shared/result.ts';
import type { Store } from '../store/store.ts';
import { canonicalOf, EXPORT_COLUMNS, exportedValue, issuanceGroups } from './canonical-record.ts';
import { EXPORT_BATCH, selection, writeBundle } from './export-bundle.ts';
import { fileSink, jweSink, type Sink } from './export-sinks.ts';
import { fromCanonical, isFormatId, type FormatId } from './format-bridge.ts';

export const MIN_PASSPHRASE_LENGTH = 8;

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

/** What a writer wrote: the records of the file (array elements, rows, lines) and the tokens they hold. */
interface Written {
  readonly records: number;
  readonly tokens: number;
}

async function writeFormat(
  store: Store,
  req: ExportRequest,
  format: FormatId,
  sink: Sink,
  lost: Set<string>,
  progress?: ExportProgress,
): Promise<Written> {
  await sink.write('[');
  let n = 0;
  let records = 0;
  for (const group of issuanceGroups(store, counted(store.eachToken(selection(req), EXPORT_BATCH, EXPORT_COLUMNS), progress))) {
    const { output, findings } = fromCanonical(
      canonicalOf(store, group, req.redact, (_source, row, redact) => exportedValue(store, row, redact)),
      format,
    );
    for (const f of findings) if (f.code === 'NOT_REPRESENTABLE' && f.concept !== undefined) lost.add(f.concept);
    await sink.write(`${records === 0 ? '\n' : ',\n'}${JSON.stringify(output)}`);
    records++;
    n += group.length;
  }
  await sink.write(records === 0 ? ']\n' : '\n]\n');
  return { records, tokens: n };
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

async function writeCsv(store: Store, req: ExportRequest, sink: Sink, progress?: ExportProgress): Promise<number> {
  const withValue = req.includeValues === true && req.redact !== 'hash';
  await sink.write(`${[...CSV_COLUMNS, ...(withValue ? ['value'] : [])].join(',')}\r\n`);
  let n = 0;
  for (const batch of counted(store.eachToken(selection(req), EXPORT_BATCH, EXPORT_COLUMNS), progress)) {
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
        cells.push(exportedValue(store, r, req.redact) ?? null);
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

async function writeEnv(store: Store, req: ExportRequest, sink: Sink, nowMs: number, progress?: ExportProgress): Promise<number> {
  await sink.write(`# Tokenscope export ${new Date(nowMs).toISOString()} (redact=${req.redact})\n`);
  const seen = new Map<string, number>();
  let n = 0;
  for (const batch of counted(store.eachToken(selection(req), EXPORT_BATCH, EXPORT_COLUMNS), progress)) {
    for (const r of batch) {
      const base = r.kind === 'unknown' ? 'TOKEN' : r.kind.toUpperCase();
      const k = (seen.get(base) ?? 0) + 1;
      seen.set(base, k);
      const name = k === 1 ? base : `${base}_${String(k)}`;
      const shown = exportedValue(store, r, req.redact);
      const value = shown ?? r.hash;
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
      await sink.write(`# ${about}${shown === undefined ? ' (sha256 of the value)' : ''}\n${name}=${envQuote(value)}\n`);
      n++;
    }
  }
  return n;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${String(n)} ${n === 1 ? one : many}`;
}

/** What the file holds, in words: "6 records, 15 tokens" (a token-format record carries its response's tokens). */
export function exportSummary(format: string, written: Written): string {
  const tokens = plural(written.tokens, 'token');
  if (format === 'csv') return `${plural(written.records, 'row')} (${tokens})`;
  if (format === 'env') return `${plural(written.records, 'variable')} (${tokens})`;
  if (format === 'bundle' || written.records === written.tokens) return tokens;
  return `${plural(written.records, 'record')}, ${tokens}`;
}

/**
 * Writes the export to `path` (0600; a temporary name until complete, so a failure leaves no partial
 * file). Returns what was written. The caller chose `path` (dialog, --out, or the data dir in serve).
 */
export async function exportToFile(
  store: Store,
  req: ExportRequest,
  path: string,
  nowMs: number,
  onProgress?: ExportProgressListener,
): Promise<ExportResult> {
  checkExportRequest(req);
  const progress = onProgress ? new ExportProgress(onProgress, selectedCount(store, req)) : undefined;
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`);
  let fd: number;
  try {
    fd = openSync(tmp, 'wx', 0o600);
  } catch (e) {
    throw new TokenscopeError('ERR_EXPORT', `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const file = fileSink(fd);
  const sink = req.encrypt ? jweSink(file, req.passphrase ?? '') : file;
  let written: Written;
  const lost = new Set<string>();
  let open = true;
  try {
    // The bundle, CSV and .env hold one record (token object, row, variable) per token.
    const perToken = (tokens: number): Written => ({ records: tokens, tokens });
    if (req.format === 'bundle') written = perToken(await writeBundle(store, req, sink, nowMs, progress));
    else if (req.format === 'csv') written = perToken(await writeCsv(store, req, sink, progress));
    else if (req.format === 'env') written = perToken(await writeEnv(store, req, sink, nowMs, progress));
    else written = await writeFormat(store, req, req.format as FormatId, sink, lost, progress);
    await sink.end();
    progress?.end();
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
  const count = written.tokens;
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
    recordCount: written.records,
    summary: exportSummary(req.format, written),
    bytes,
    ...(lost.size > 0 ? { notRepresentable: [...lost].sort() } : {}),
  };
}

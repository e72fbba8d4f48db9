/**
 * Imports a file into the history: a Tokenscope bundle (plain, or encrypted as a JWE with a passphrase), any of
 * the six formats of FORMATS.md (one object or an array), or JSON lines. The file is read as a stream, one record
 * at a time (json-records.ts: each record, the record count and blank space capped), so its size is bounded by
 * MAX_IMPORT_BYTES, not by memory. Deduplicates by value hash, reports every record that was not simply imported,
 * and is all or nothing (one transaction, open while the stream is read) unless asked to skip bad records. The
 * work is done in slices of a few milliseconds with the event loop let in between: `serve` keeps answering.
 */
import type { ImportRecordReport, ImportReport } from '../../shared/model.ts';
import { TokenscopeError } from '../../shared/result.ts';
import { toAppError } from '../errors.ts';
import { BUNDLE_KIND } from './export-bundle.ts';
import { BUNDLE_LISTS, BundleImport } from './bundle-import.ts';
import { saveCanonicalRecord } from './record-save.ts';
import { detectFormat, isFormatId, toCanonical, type FormatId } from './format-bridge.ts';
import { openImportText, textSource, type ImportSource, type ReadPosition } from './import-source.ts';
import { countRecords, readRecords, type RecordItem } from './json-records.ts';
import type { Store } from '../store/store.ts';

const MAX_REPORTED = 1000;
/** The longest stretch of work between two turns of the event loop. */
const SLICE_MS = 3;

export interface ImportInput {
  /** The file's text (the contract's `content`), or `source` to read it as a stream. */
  readonly content?: string;
  readonly source?: ImportSource;
  readonly passphrase?: string;
  readonly skipBad?: boolean;
  /** A format id to read every record as, instead of detecting it per record. */
  readonly format?: string;
  /**
   * Told how far the import is: at the start, about every 1 % (at least every 1,000 records), and at the end.
   * `total` is the bundle's own count of its tokens when it has one, else estimated from the bytes read so far
   * (exact in the last call).
   */
  readonly onProgress?: (done: number, total: number) => void;
}

class Rollback extends Error {}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
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

function importFormatRecord(store: Store, index: number, value: unknown, forced: FormatId | null): ImportRecordReport {
  // The common rejections are answered without an exception (a flood of bad records costs a microsecond each).
  if (!isObject(value))
    return { index, outcome: 'rejected', code: 'ERR_UNKNOWN_FORMAT', message: 'the record is not a JSON object' };
  const format = forced ?? detectFormat(value);
  if (format === null)
    return {
      index,
      outcome: 'rejected',
      code: 'ERR_UNKNOWN_FORMAT',
      message: 'the record matches none of the known token formats',
    };
  const { record } = toCanonical(value, format);
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

/**
 * Progress calls: at the start, every 1 % of the total (at most 1,000 records apart) and at the end. The total is
 * the file's own count when known (counted first for text in memory, a bundle's `tokenCount`), else estimated from
 * the bytes read so far.
 */
class Progress {
  private readonly report: ((done: number, total: number) => void) | undefined;
  private readonly bytes: number | null;
  private readonly position: ReadPosition;
  declared: number | null = null;
  private started = false;
  private last = -1;

  constructor(report: ImportInput['onProgress'], bytes: number | null, position: ReadPosition) {
    this.report = report;
    this.bytes = bytes;
    this.position = position;
  }

  private total(done: number): number {
    if (this.declared !== null) return Math.max(done, this.declared);
    if (this.bytes === null || this.position.bytesRead === 0) return done;
    return Math.max(done, Math.round((done * this.bytes) / this.position.bytesRead));
  }

  private emit(done: number, total: number): void {
    this.report?.(done, total);
    this.last = done;
  }

  record(done: number): void {
    if (!this.report) return;
    if (!this.started) {
      this.started = true;
      this.emit(0, this.total(0));
    }
    const total = this.total(done);
    const step = Math.max(1, Math.min(1000, Math.ceil(total / 100)));
    if (done === total || done % step === 0) this.emit(done, total);
  }

  end(done: number): void {
    if (!this.report) return;
    if (!this.started) this.emit(0, done);
    if (this.last !== done) this.emit(done, done);
  }
}

type Detected = ImportReport['detected'];

/**
 * Imports a file. Whole-file problems throw (ERR_FILE_TOO_LARGE, ERR_INPUT_TOO_LARGE, ERR_INVALID_JSON,
 * ERR_WRONG_PASSPHRASE, ERR_IMPORT); per-record problems are reported. Without `skipBad`, one bad record means
 * nothing is written (`committed: false`), and reading stops after the first thousand bad ones.
 */
export async function importContent(store: Store, input: ImportInput): Promise<ImportReport> {
  if (input.format !== undefined && !isFormatId(input.format))
    throw new TokenscopeError('ERR_UNKNOWN_FORMAT', 'unknown format id');
  const forced = input.format !== undefined && isFormatId(input.format) ? input.format : null;
  let source = input.source;
  if (source === undefined) {
    if (typeof input.content !== 'string') throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'content must be text');
    source = textSource(input.content);
  }
  const skipBad = input.skipBad === true;
  const position: ReadPosition = { bytesRead: 0 };
  const text = await openImportText(source, input.passphrase, position);
  const progress = new Progress(input.onProgress, source.bytes, position);
  // Text already in memory is counted first (cheap, and the progress then says "n of N" exactly).
  if (input.onProgress && source.inMemory === true && !text.encrypted) progress.declared = await countRecords(source, SLICE_MS);
  const c: Counter = { imported: 0, duplicates: 0, rejected: 0, records: [] };
  let detected: Detected = text.encrypted ? 'bundle+jwe' : 'unknown';
  let bundle: BundleImport | null = null;
  const head: Record<string, unknown> = {};
  let done = 0;
  let topArray = false;
  let committed = true;

  const oneRecord = (index: number, value: unknown, error?: string): void => {
    try {
      if (error !== undefined) throw new TokenscopeError('ERR_INVALID_JSON', error);
      if (detected === 'unknown') detected = forced ?? (isObject(value) ? (detectFormat(value) ?? 'unknown') : 'unknown');
      note(c, importFormatRecord(store, index, value, forced));
    } catch (e) {
      note(c, reject(index, e));
    }
    done++;
    progress.record(done);
  };
  const tooManyBad = (): boolean => !skipBad && c.rejected > MAX_REPORTED;

  const handle = (item: RecordItem): void => {
    switch (item.kind) {
      case 'member':
        head[item.key] = item.value;
        if (item.key === 'kind' && item.value === BUNDLE_KIND && bundle === null) {
          bundle = new BundleImport(store);
          if (!text.encrypted) detected = 'bundle';
          // Lists written before "kind" were read whole: their records now.
          for (const key of BUNDLE_LISTS) if (key in head && key !== item.key) handle({ kind: 'member', key, value: head[key] });
        }
        if (item.key === 'version' && bundle !== null && item.value !== 1)
          throw new TokenscopeError('ERR_IMPORT', 'this bundle version is not supported');
        if (item.key === 'tokenCount' && typeof item.value === 'number' && Number.isSafeInteger(item.value) && item.value >= 0) {
          progress.declared = item.value;
        }
        if (bundle !== null && BUNDLE_LISTS.has(item.key)) {
          // A short list read whole (written before "kind", or not an array): the same records, from memory.
          if (item.value !== undefined && !Array.isArray(item.value))
            throw new TokenscopeError('ERR_IMPORT', `the bundle's "${item.key}" is not an array`);
          (item.value as unknown[]).forEach((v, i) =>
            handle({ kind: 'element', list: item.key, index: i, text: JSON.stringify(v) }),
          );
          bundle.listEnded(item.key);
        }
        return;
      case 'element': {
        if (item.list === null) {
          let value: unknown;
          try {
            value = JSON.parse(item.text) as unknown;
          } catch {
            throw new TokenscopeError('ERR_INVALID_JSON', 'the file is neither JSON nor JSON lines (a record is not valid JSON)');
          }
          oneRecord(item.index, value);
          return;
        }
        const b = bundle;
        if (b === null) return;
        if (head['version'] !== 1) throw new TokenscopeError('ERR_IMPORT', 'this bundle version is not supported');
        let value: unknown;
        try {
          value = JSON.parse(item.text) as unknown;
        } catch {
          throw new TokenscopeError('ERR_INVALID_JSON', `a record of the bundle's "${item.list}" is not valid JSON`);
        }
        if (item.list === 'profiles') b.profile(value);
        else if (item.list === 'grants') b.grant(value);
        else if (item.list === 'events') b.event(value);
        else {
          try {
            // No savepoint of its own (one costs about as much as the rest of a record's SQL): a token record writes
            // one statement (saveToken's INSERT, or a duplicate's link UPDATE) after every check that can refuse it.
            note(c, b.token(item.index, value));
          } catch (e) {
            note(c, reject(item.index, e));
          }
          done++;
          progress.record(done);
        }
        return;
      }
      case 'lines':
        // The first record, read as the start of a JSON object, was the first line of JSON lines.
        detected = 'jsonl';
        oneRecord(0, '' in head ? head[''] : { ...head });
        return;
      case 'line': {
        let value: unknown;
        try {
          value = JSON.parse(item.text) as unknown;
        } catch {
          oneRecord(item.index, undefined, 'line is not JSON (truncated?)');
          return;
        }
        oneRecord(item.index, value);
        return;
      }
      case 'scalar':
        head[''] = item.value;
        return;
      case 'array':
        topArray = true;
        return;
    }
  };

  try {
    await store.writeAsync(async (step) => {
      let sliceStart = performance.now();
      const breathe = async (): Promise<void> => {
        if (performance.now() - sliceStart < SLICE_MS) return;
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      };
      let lastList: string | null = null;
      let jsonl = false;
      const records = readRecords(text.chunks, { streamList: (key) => bundle !== null && BUNDLE_LISTS.has(key) });
      for await (const batch of records) {
        for (const item of batch) {
          step(() => {
            if (item.kind === 'element' && item.list !== lastList) {
              if (lastList !== null) bundle?.listEnded(lastList);
              lastList = item.list;
            }
            if (item.kind === 'lines') jsonl = true;
            handle(item);
          });
          if (tooManyBad()) throw new Rollback();
          await breathe();
        }
      }
      if (lastList !== null) step(() => bundle?.listEnded(lastList as string));
      const b = bundle;
      if (text.encrypted && b === null) throw new TokenscopeError('ERR_IMPORT', 'the decrypted file is not a Tokenscope bundle');
      if (b !== null && head['version'] !== 1) throw new TokenscopeError('ERR_IMPORT', 'this bundle version is not supported');
      if (b === null && !jsonl && !topArray) {
        // One top-level value: a single record (an object that is no bundle, or a scalar).
        step(() => oneRecord(0, '' in head ? head[''] : { ...head }));
      }
      if (b !== null) {
        for (const slice of b.finish()) {
          step(slice);
          await breathe();
        }
      }
      if (c.rejected > 0 && !skipBad) throw new Rollback();
      if (c.imported > 0)
        step(() =>
          store.addEvent({
            type: 'imported',
            detail: { detected, imported: c.imported, duplicates: c.duplicates, rejected: c.rejected },
          }),
        );
    });
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
    committed = false;
  }
  progress.end(done);
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

/** The history half of the contract (services.ts calls these): path choice for export/import, "save to history", reveal. */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type {
  ExportRequest,
  ExportResult,
  ImportReport,
  ImportRequest,
  SaveTokenRequest,
  SaveTokenResult,
  TokenKind,
} from '../../shared/model.ts';
import { TOKEN_KINDS } from '../../shared/model.ts';
import { TokenscopeError } from '../../shared/result.ts';
import { inspectText } from '../../shared/token/inspect.ts';
import type { Platform } from '../platform.ts';
import { checkExportRequest, exportToFile, suggestedFileName } from './export.ts';
import type { ExportProgressListener } from './export-progress.ts';
import { detectFormat, toCanonical } from './format-bridge.ts';
import { importContent } from './import.ts';
import { fileSource, streamSource, textSource, type ImportSource } from './import-source.ts';
import { saveCanonicalRecord } from './record-save.ts';
import type { Store } from '../store/store.ts';
import { checkTokenValue } from '../store/token-facts.ts';

export const EXPORTS_DIR = 'exports';

/**
 * Where an export goes. The back end picks it, never the renderer: the save dialog when the
 * Platform has one, else (serve, tests) a new file under `<dataDir>/exports/`. The CLI passes --out itself.
 */
export async function chooseExportPath(
  platform: Pick<Platform, 'chooseSavePath' | 'dataDir' | 'mode'>,
  req: ExportRequest,
  nowMs: number,
): Promise<string> {
  const name = suggestedFileName(req.format, req.encrypt === true, nowMs);
  if (platform.chooseSavePath) {
    const chosen = await platform.chooseSavePath(name);
    if (chosen === null) throw new TokenscopeError('ERR_CANCELLED', 'export cancelled');
    return chosen;
  }
  if (platform.dataDir === ':memory:' || platform.mode === 'cli') {
    throw new TokenscopeError('ERR_NOT_SUPPORTED', 'no place to save to: the CLI takes --out');
  }
  const dir = join(platform.dataDir, EXPORTS_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return join(dir, name);
}

const MIME_OF: Readonly<Record<string, string>> = { csv: 'text/csv', env: 'text/plain' };

/** ERR_NOTHING_TO_EXPORT: an export that would write no token is refused, not written as an empty file. */
function nothingToExport(req: ExportRequest): TokenscopeError {
  const whole = req.ids === undefined && req.filter === undefined;
  return new TokenscopeError(
    'ERR_NOTHING_TO_EXPORT',
    whole ? 'nothing to export: the history is empty' : 'nothing to export: no token of the history matches the selection',
  );
}

export async function exportHistory(
  store: Store,
  platform: Pick<Platform, 'chooseSavePath' | 'dataDir' | 'mode' | 'now' | 'exportsAsDownload'>,
  req: ExportRequest,
  onProgress?: ExportProgressListener,
): Promise<ExportResult> {
  checkExportRequest(req);
  if (store.count() === 0) throw nothingToExport(req);
  const now = platform.now();
  if (platform.exportsAsDownload && platform.dataDir !== ':memory:') {
    // Written as usual (0600, streamed) to a private temporary file, handed back whole, then removed.
    const fileName = suggestedFileName(req.format, req.encrypt === true, now);
    const dir = join(platform.dataDir, EXPORTS_DIR);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, `.download-${randomUUID()}`);
    try {
      const result = await exportToFile(store, req, path, now, onProgress);
      if (result.tokenCount === 0) throw nothingToExport(req);
      const text = readFileSync(path, 'utf8');
      const mimeType = MIME_OF[req.format] ?? 'application/json';
      return { ...result, path: fileName, download: { fileName, mimeType, text } };
    } finally {
      rmSync(path, { force: true });
    }
  }
  const path = await chooseExportPath(platform, req, now);
  const result = await exportToFile(store, req, path, now, onProgress);
  if (result.tokenCount === 0) {
    rmSync(path, { force: true });
    throw nothingToExport(req);
  }
  return result;
}

export async function importHistory(
  store: Store,
  platform: Pick<Platform, 'chooseOpenPath' | 'stdin'>,
  req: ImportRequest,
  onProgress?: (done: number, total: number) => void,
): Promise<ImportReport> {
  if (!req || typeof req !== 'object') throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'the import request must be an object');
  let source: ImportSource;
  if (req.content !== undefined) source = textSource(req.content);
  else {
    if (!platform.chooseOpenPath)
      throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'give the file content (no file dialog here)');
    const path = await platform.chooseOpenPath();
    if (path === null) throw new TokenscopeError('ERR_CANCELLED', 'import cancelled');
    // `-`: the process's stdin (the CLI), read as a stream like a file.
    source = path === '-' && platform.stdin ? streamSource(platform.stdin, 'stdin') : fileSource(path);
  }
  return importContent(store, {
    source,
    ...(req.passphrase !== undefined ? { passphrase: req.passphrase } : {}),
    ...(req.skipBad !== undefined ? { skipBad: req.skipBad } : {}),
    ...(req.format !== undefined ? { format: req.format } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
}

/** What kind of token a bare paste is, as the token domain reads it (ID tokens by nonce/at_hash/auth_time, ...). */
export function guessKind(value: string): TokenKind {
  try {
    const kind: string = inspectText(value).summary.kind;
    return (TOKEN_KINDS as readonly string[]).includes(kind) ? (kind as TokenKind) : 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * "Save to history" for pasted text: a bare token (or `Bearer <token>`), or a token response /
 * record in any format of FORMATS.md (one object or an array). Returns the ids of its tokens.
 */
export function saveText(store: Store, req: SaveTokenRequest, nowMs: number): SaveTokenResult {
  if (!req || typeof req !== 'object' || typeof req.text !== 'string')
    throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'text is required');
  const text = req.text.trim();
  if (text === '') throw new TokenscopeError('ERR_EMPTY_INPUT', 'nothing to save: the input is empty');
  if (text.length > 1024 * 1024) throw new TokenscopeError('ERR_INPUT_TOO_LARGE', 'input is larger than 1 MiB');
  const profileId = req.profileId ?? null;
  if (profileId !== null && !store.listProfiles().some((p) => p.id === profileId))
    throw new TokenscopeError('ERR_NOT_FOUND', 'no such profile');
  return store.write(() => {
    const ids: string[] = [];
    let created = 0;
    if (text.startsWith('{') || text.startsWith('[')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new TokenscopeError('ERR_INVALID_JSON', 'the text starts like JSON but is not valid JSON');
      }
      const objects = Array.isArray(parsed) ? parsed : [parsed];
      for (const object of objects) {
        if (!object || typeof object !== 'object' || Array.isArray(object))
          throw new TokenscopeError('ERR_UNKNOWN_FORMAT', 'not a token object');
        const format = detectFormat(object as Record<string, unknown>);
        if (format === null)
          throw new TokenscopeError('ERR_UNKNOWN_FORMAT', 'the object matches none of the known token formats');
        const { record } = toCanonical(object as Record<string, unknown>, format);
        // A pasted response is received now (or when the user said): its `expires_in` counts from then.
        const received =
          record.issuedAtMs === undefined && record.expiresInS !== undefined
            ? { ...record, issuedAtMs: req.receivedAtMs ?? nowMs }
            : record;
        const saved = saveCanonicalRecord(store, received, format, {
          source: 'paste',
          strict: false,
          event: 'saved',
          profileId,
        });
        ids.push(...saved.ids);
        created += saved.created;
      }
    } else {
      const value = checkTokenValue(text.replace(/^(Bearer|DPoP)\s+/i, ''));
      const saved = store.saveToken({ value, kind: guessKind(value), format: '', profileId, source: 'paste' });
      ids.push(saved.id);
      if (saved.created) {
        created++;
        store.addEvent({ tokenId: saved.id, type: 'saved', detail: {} });
        store.recordIssuance({
          grantId: null,
          request: 'paste',
          tokens: [{ id: saved.id, kind: guessKind(value) }],
        });
      }
    }
    return { ids: ids.reverse(), created };
  });
}

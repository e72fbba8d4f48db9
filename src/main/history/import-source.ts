/**
 * Where an import's bytes come from (a file, a device or FIFO, stdin, text already in memory), read as a stream:
 * decoded as UTF-8 chunk by chunk, refused as soon as the whole passes MAX_IMPORT_BYTES, and, when the text is an
 * encrypted bundle (a JWE), decrypted as it streams (bundle-jwe.ts). Nothing here holds more than a chunk.
 */
import { createReadStream, statSync } from 'node:fs';
import type { BodySource } from '../http/read-capped.ts';
import { TokenscopeError } from '../../shared/result.ts';
import { decryptStream, isJweStart } from './bundle-jwe.ts';

/** A file larger than this is refused before it is read (ERR_FILE_TOO_LARGE); a stream is cut off at it. */
export const MAX_IMPORT_BYTES = 4 * 1024 * 1024 * 1024;
/** Characters of in-memory text handed on at a time. */
const TEXT_CHUNK = 256 * 1024;

export interface ImportSource {
  /** The bytes (or text), from the start. */
  open(): AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
  /** The size when known in advance (a regular file, text), for progress. */
  readonly bytes: number | null;
  /** What it is, for messages ("the file", "stdin"). */
  readonly what: string;
  /** Text already in memory: cheap to read twice (counted first, for exact progress). */
  readonly inMemory?: boolean;
}

/** Text already in memory (the contract's `content`). */
export function textSource(content: string): ImportSource {
  return {
    bytes: content.length,
    what: 'the file',
    inMemory: true,
    *open() {
      for (let i = 0; i < content.length; i += TEXT_CHUNK) yield content.slice(i, i + TEXT_CHUNK);
    },
  };
}

/** A stream that can be read once (stdin). */
export function streamSource(stream: BodySource, what: string): ImportSource {
  let opened = false;
  return {
    bytes: null,
    what,
    open() {
      if (opened || !stream) throw new TokenscopeError('ERR_INVALID_ARGUMENT', `${what} can be read only once`);
      opened = true;
      return stream as AsyncIterable<Uint8Array | string>;
    },
  };
}

/** A file (or a device or FIFO): a regular file over MAX_IMPORT_BYTES is refused before it is read. */
export function fileSource(path: string): ImportSource {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new TokenscopeError('ERR_NOT_FOUND', `cannot read ${path.slice(0, 200)}`);
  }
  if (stat.isDirectory()) throw new TokenscopeError('ERR_INVALID_ARGUMENT', `${path.slice(0, 200)} is a directory`);
  if (stat.isFile() && stat.size > MAX_IMPORT_BYTES)
    throw new TokenscopeError('ERR_FILE_TOO_LARGE', 'the file is larger than 4 GiB', { bytes: stat.size });
  return {
    bytes: stat.isFile() ? stat.size : null,
    what: 'the file',
    open: () => createReadStream(path, { highWaterMark: 256 * 1024 }),
  };
}

/** How far a read has come (for progress estimates when the record count is not known). */
export interface ReadPosition {
  bytesRead: number;
}

/** The source's text, UTF-8 decoded as it streams (a BOM dropped), capped at MAX_IMPORT_BYTES. */
async function* decoded(source: ImportSource, position: ReadPosition): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let first = true;
  const emit = (text: string): string => {
    if (first && text !== '') {
      first = false;
      return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    }
    return text;
  };
  try {
    for await (const chunk of source.open()) {
      const isText = typeof chunk === 'string';
      position.bytesRead += isText ? chunk.length : chunk.byteLength;
      if (position.bytesRead > MAX_IMPORT_BYTES)
        throw new TokenscopeError('ERR_FILE_TOO_LARGE', `${source.what} is larger than 4 GiB`);
      yield emit(isText ? chunk : decoder.decode(chunk, { stream: true }));
    }
    yield emit(decoder.decode());
  } catch (e) {
    if (e instanceof TokenscopeError) throw e;
    if (e instanceof TypeError) throw new TokenscopeError('ERR_INVALID_JSON', `${source.what} is not UTF-8 text`);
    const code = (e as { code?: unknown }).code;
    throw new TokenscopeError('ERR_NOT_FOUND', `cannot read ${source.what}${typeof code === 'string' ? ` (${code})` : ''}`);
  }
}

/** An iterable over `head` and then the rest of `it`. */
async function* prepend(head: string, it: AsyncIterator<string>): AsyncGenerator<string> {
  try {
    if (head !== '') yield head;
    for (;;) {
      const next = await it.next();
      if (next.done === true) return;
      yield next.value;
    }
  } finally {
    await it.return?.();
  }
}

export interface ImportText {
  readonly chunks: AsyncIterable<string>;
  /** An encrypted bundle, decrypted as it is read (its content authenticated when the last chunk has been read). */
  readonly encrypted: boolean;
}

/** The text of an import, decrypted when it is an encrypted bundle (ERR_WRONG_PASSPHRASE before a record is read). */
export async function openImportText(
  source: ImportSource,
  passphrase: string | undefined,
  position: ReadPosition,
): Promise<ImportText> {
  const it = decoded(source, position)[Symbol.asyncIterator]();
  // Enough of the start to tell a JWE (base64url then a dot) from JSON.
  let head = '';
  for (;;) {
    const verdict = isJweStart(head);
    if (verdict !== 'undecided') {
      const chunks = prepend(head, it);
      if (verdict === 'no') return { chunks, encrypted: false };
      return { chunks: await decryptStream(chunks, passphrase), encrypted: true };
    }
    const next = await it.next();
    if (next.done === true) return { chunks: prepend(head, it), encrypted: false };
    head += next.value;
  }
}

/**
 * Reads an import's text as a stream of records without ever holding the whole file: a top-level object member by
 * member (the arrays the caller names streamed element by element), a top-level array element by element, or JSON
 * lines line by line. Each record's text is handed over alone and capped (MAX_RECORD_BYTES), as are the number of
 * records (MAX_RECORDS) and any run of blank space between them: hostile input is refused as soon as it passes a
 * cap, and memory stays at about one record plus one chunk whatever the file's size.
 */
import { TokenscopeError } from '../../shared/result.ts';

/** The text of one record (a bundle's token, a format record, a line): at most this many UTF-16 units (≈ 2 MiB). */
export const MAX_RECORD_BYTES = 2 * 1024 * 1024;
/** Records of one list (or lines) at most. */
export const MAX_RECORDS = 4_000_000;
/** Blank space between two records at most (an endless run of spaces is refused, not read for ever). */
const MAX_GAP = MAX_RECORD_BYTES;

export type RecordItem =
  /** A member of the top-level object, read whole (not a streamed list). */
  | { readonly kind: 'member'; readonly key: string; readonly value: unknown }
  /** An element of a streamed list (`list` is its member name; null for a top-level array), as text. */
  | { readonly kind: 'element'; readonly list: string | null; readonly index: number; readonly text: string }
  /** The top-level value was followed by more lines: JSON lines. The value read so far is the record of line `line`. */
  | { readonly kind: 'lines'; readonly line: number }
  /** A later non-empty line of JSON lines (`index` counts every line from 0), as text. */
  | { readonly kind: 'line'; readonly index: number; readonly text: string }
  /** The top-level value is an array: its elements follow (list null). */
  | { readonly kind: 'array' }
  /** The top-level value was a scalar (read whole). */
  | { readonly kind: 'scalar'; readonly value: unknown };

export interface RecordOptions {
  /** Whether the top-level object's member `key`, an array, is streamed element by element (else read whole). */
  readonly streamList: (key: string) => boolean;
}

function invalid(message: string): TokenscopeError {
  return new TokenscopeError('ERR_INVALID_JSON', message);
}

function tooLarge(message: string): TokenscopeError {
  return new TokenscopeError('ERR_INPUT_TOO_LARGE', message);
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** A pull buffer over the text chunks: `buf[pos]` is the next character; earlier text is dropped unless held. */
class Cursor {
  buf = '';
  pos = 0;
  /** Newlines consumed before `pos` (blank space only). */
  lines = 0;
  private readonly it: AsyncIterator<string>;
  private done = false;

  constructor(chunks: AsyncIterable<string>) {
    this.it = chunks[Symbol.asyncIterator]();
  }

  /** Reads one more chunk, keeping the text from `keep` on (returned positions shift by the dropped text). False at the end. */
  async more(keep = this.pos): Promise<boolean> {
    if (this.done) return false;
    for (;;) {
      const next = await this.it.next();
      if (next.done === true) {
        this.done = true;
        return false;
      }
      if (next.value === '') continue;
      this.buf = this.buf.slice(keep) + next.value;
      this.pos -= keep;
      return true;
    }
  }

  /** The next character code after blank space (-1 at the end); blank space is counted and capped. */
  async peek(): Promise<number> {
    let gap = 0;
    for (;;) {
      while (this.pos < this.buf.length) {
        const c = this.buf.charCodeAt(this.pos);
        if (!WS.has(c)) return c;
        if (c === 0x0a) this.lines++;
        this.pos++;
        if (++gap > MAX_GAP) throw tooLarge('the file holds more than 2 MiB of blank space in a row');
      }
      if (!(await this.more())) return -1;
    }
  }

  async close(): Promise<void> {
    await this.it.return?.();
  }
}

/**
 * Where the JSON value starting at `start` ends (exclusive), scanning from `from` with `state` carried between calls;
 * -1 when the buffer ends first. Strings are skipped with their escapes; nesting is counted, not checked
 * (JSON.parse of the value's text checks it).
 */
interface ScanState {
  depth: number;
  inString: boolean;
  escaped: boolean;
}

function scanTo(buf: string, from: number, state: ScanState, scalar: boolean): number {
  let i = from;
  const n = buf.length;
  // The next backslash at or after i (-1: none left in the buffer), found once and reused: inside a string the scan
  // jumps to the next quote or backslash (a token value is a kilobyte of neither) instead of reading every character.
  let backslash = -2;
  while (i < n) {
    if (state.inString && !state.escaped) {
      if (backslash !== -1 && backslash < i) backslash = buf.indexOf('\\', i);
      const quote = buf.indexOf('"', i);
      const stop = quote === -1 ? backslash : backslash === -1 ? quote : Math.min(quote, backslash);
      if (stop === -1) return -1;
      i = stop;
    }
    const c = buf.charCodeAt(i);
    if (state.inString) {
      if (state.escaped) state.escaped = false;
      else if (c === 0x5c) state.escaped = true;
      else if (c === 0x22) {
        state.inString = false;
        if (scalar && state.depth === 0) return i + 1;
      }
      i++;
      continue;
    }
    if (scalar) {
      // a number, true, false or null: up to the next delimiter
      if (WS.has(c) || c === 0x2c || c === 0x5d || c === 0x7d) return i;
      i++;
      continue;
    }
    if (c === 0x22) state.inString = true;
    else if (c === 0x7b || c === 0x5b) state.depth++;
    else if (c === 0x7d || c === 0x5d) {
      state.depth--;
      if (state.depth === 0) return i + 1;
    }
    i++;
  }
  return -1;
}

/** Reads the JSON value at the cursor whole (capped) and returns its text; the cursor moves past it. */
async function valueText(cur: Cursor, what: string): Promise<string> {
  const first = cur.buf.charCodeAt(cur.pos);
  const scalar = first !== 0x7b && first !== 0x5b;
  const state: ScanState = { depth: 0, inString: scalar && first === 0x22, escaped: false };
  let start = cur.pos;
  let from = scalar && first === 0x22 ? start + 1 : start;
  for (;;) {
    const end = scanTo(cur.buf, from, state, scalar);
    if (end >= 0) {
      cur.pos = end;
      return cur.buf.slice(start, end);
    }
    if (cur.buf.length - start > MAX_RECORD_BYTES) throw tooLarge(`${what} is larger than 2 MiB`);
    const scanned = cur.buf.length - start;
    if (!(await cur.more(start))) {
      // A scalar may end with the file; anything else is cut off.
      if (scalar && !state.inString) {
        cur.pos = cur.buf.length;
        return cur.buf.slice(start);
      }
      throw invalid('the file ends in the middle of a record (truncated?)');
    }
    start = 0;
    from = scanned;
  }
}

function parse(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalid(`${what} is not valid JSON`);
  }
}

async function consume(cur: Cursor, allowed: string, what: string): Promise<number> {
  const c = await cur.peek();
  if (c === -1) throw invalid('the file ends in the middle of a record (truncated?)');
  if (!allowed.includes(String.fromCharCode(c))) throw invalid(`${what}: unexpected ${JSON.stringify(String.fromCharCode(c))}`);
  cur.pos++;
  return c;
}

/** Items handed on together (fewer awaits per record: a record costs about a microsecond, not an async hop). */
const BATCH = 256;

/**
 * The next element and its delimiter when both lie in the buffer already (the common case), else null with the
 * cursor where it was (the slow path reads on). `delim` is the `,` or `]` after it, or -2 when not in the buffer.
 */
function elementInBuffer(cur: Cursor): { text: string; delim: number } | null {
  const { buf } = cur;
  let i = cur.pos;
  while (i < buf.length && WS.has(buf.charCodeAt(i))) i++;
  if (i >= buf.length) return null;
  const first = buf.charCodeAt(i);
  if (first === 0x2c || first === 0x5d) return null;
  const scalar = first !== 0x7b && first !== 0x5b;
  const state: ScanState = { depth: 0, inString: scalar && first === 0x22, escaped: false };
  const end = scanTo(buf, scalar && first === 0x22 ? i + 1 : i, state, scalar);
  if (end < 0 || end - i > MAX_RECORD_BYTES) return null;
  for (let k = cur.pos; k < i; k++) if (buf.charCodeAt(k) === 0x0a) cur.lines++;
  const text = buf.slice(i, end);
  let j = end;
  while (j < buf.length && WS.has(buf.charCodeAt(j))) {
    if (buf.charCodeAt(j) === 0x0a) cur.lines++;
    j++;
  }
  const c = j < buf.length ? buf.charCodeAt(j) : -2;
  if (c === 0x2c || c === 0x5d) {
    cur.pos = j + 1;
    return { text, delim: c };
  }
  cur.pos = j;
  return { text, delim: -2 };
}

/** The elements of the array whose `[` the cursor just passed, in batches. */
async function* elements(cur: Cursor, list: string | null): AsyncGenerator<RecordItem[]> {
  let index = 0;
  let batch: RecordItem[] = [];
  if ((await cur.peek()) === 0x5d) {
    cur.pos++;
    return;
  }
  for (;;) {
    let found = elementInBuffer(cur);
    if (found === null) {
      if (batch.length > 0) yield batch;
      batch = [];
      const c = await cur.peek();
      if (c === -1) throw invalid('the file ends in the middle of a list (truncated?)');
      if (c === 0x2c || c === 0x5d) throw invalid(`a list: unexpected ${JSON.stringify(String.fromCharCode(c))}`);
      found = { text: await valueText(cur, 'a record'), delim: -2 };
    }
    if (index >= MAX_RECORDS) throw tooLarge(`the file holds more than ${String(MAX_RECORDS)} records in one list`);
    batch.push({ kind: 'element', list, index: index++, text: found.text });
    let delim = found.delim;
    if (delim === -2) {
      if (batch.length > 0) yield batch;
      batch = [];
      delim = await consume(cur, ',]', 'between two records');
    } else if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
    if (delim === 0x5d) {
      if (batch.length > 0) yield batch;
      return;
    }
  }
}

/** JSON lines after the first record: every non-empty line, trimmed, capped, in batches. */
async function* lines(cur: Cursor, firstIndex: number): AsyncGenerator<RecordItem[]> {
  let index = firstIndex;
  let count = 1;
  let batch: RecordItem[] = [];
  for (;;) {
    let nl = cur.buf.indexOf('\n', cur.pos);
    if (nl < 0) {
      if (batch.length > 0) yield batch;
      batch = [];
    }
    while (nl < 0) {
      if (cur.buf.length - cur.pos > MAX_RECORD_BYTES) throw tooLarge('a line is larger than 2 MiB');
      const from = cur.buf.length - cur.pos;
      if (!(await cur.more())) break;
      nl = cur.buf.indexOf('\n', from);
    }
    const end = nl < 0 ? cur.buf.length : nl;
    if (end - cur.pos > MAX_RECORD_BYTES) throw tooLarge('a line is larger than 2 MiB');
    const text = cur.buf.slice(cur.pos, end).trim();
    cur.pos = nl < 0 ? end : end + 1;
    index++;
    if (text !== '') {
      if (++count > MAX_RECORDS) throw tooLarge(`the file holds more than ${String(MAX_RECORDS)} lines`);
      batch.push({ kind: 'line', index, text });
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (nl < 0) {
      if (batch.length > 0) yield batch;
      return;
    }
  }
}

/** After the top-level value: nothing but blank space, or (a one-line value) more lines of JSON lines. */
async function* after(cur: Cursor, startLines: number, oneLine: boolean): AsyncGenerator<RecordItem[]> {
  // The rest of the value's own line must be blank.
  for (;;) {
    while (cur.pos < cur.buf.length) {
      const c = cur.buf.charCodeAt(cur.pos);
      if (c === 0x0a) break;
      if (!WS.has(c)) throw invalid('the file is neither JSON nor JSON lines');
      cur.pos++;
    }
    if (cur.pos < cur.buf.length || !(await cur.more())) break;
  }
  if (cur.pos >= cur.buf.length) return;
  cur.pos++; // the newline
  const next = await cur.peek();
  if (next === -1) return;
  if (!oneLine) throw invalid('the file is neither JSON nor JSON lines (more after the JSON value)');
  yield [{ kind: 'lines', line: 0 }];
  // Lines count from the first non-blank one (0); `peek` counted the blank lines it skipped since.
  yield* lines(cur, cur.lines - startLines);
}

/**
 * The records of an import's text (see RecordItem), in batches. ERR_INVALID_JSON when it is not JSON or JSON lines;
 * caps as above.
 */
export async function* readRecords(chunks: AsyncIterable<string>, options: RecordOptions): AsyncGenerator<RecordItem[]> {
  const cur = new Cursor(chunks);
  try {
    const first = await cur.peek();
    if (first === -1) throw new TokenscopeError('ERR_EMPTY_INPUT', 'the file is empty');
    const startLines = cur.lines;
    if (first === 0x7b) {
      cur.pos++;
      let oneLine = true;
      let streamed = false;
      if ((await cur.peek()) === 0x7d) cur.pos++;
      else {
        for (;;) {
          if ((await cur.peek()) !== 0x22) throw invalid('the file is neither JSON nor JSON lines');
          const key = parse(await valueText(cur, 'a member name'), 'a member name');
          if (typeof key !== 'string') throw invalid('the file is neither JSON nor JSON lines');
          await consume(cur, ':', 'after a member name');
          if ((await cur.peek()) === 0x5b && options.streamList(key)) {
            cur.pos++;
            streamed = true;
            yield* elements(cur, key);
          } else {
            if ((await cur.peek()) === -1) throw invalid('the file ends in the middle of a record (truncated?)');
            const text = await valueText(cur, `the member "${key.slice(0, 40)}"`);
            if (text.includes('\n')) oneLine = false;
            yield [{ kind: 'member', key, value: parse(text, `the member "${key.slice(0, 40)}"`) }];
          }
          if ((await consume(cur, ',}', 'between two members')) === 0x7d) break;
        }
      }
      yield* after(cur, startLines, oneLine && !streamed && cur.lines === startLines);
      return;
    }
    if (first === 0x5b) {
      cur.pos++;
      yield [{ kind: 'array' }];
      yield* elements(cur, null);
      yield* after(cur, startLines, false);
      return;
    }
    if (
      first === 0x22 ||
      first === 0x2d ||
      (first >= 0x30 && first <= 0x39) ||
      first === 0x74 ||
      first === 0x66 ||
      first === 0x6e
    ) {
      yield [{ kind: 'scalar', value: parse(await valueText(cur, 'the value'), 'the file') }];
      yield* after(cur, startLines, true);
      return;
    }
    throw invalid('the file is neither JSON nor JSON lines');
  } finally {
    await cur.close();
  }
}

/**
 * How many records `readRecords` would hand over as the ones that count (a bundle's tokens, a format record, a
 * line), or null when the text would be refused. Yields to the event loop every `sliceMs` milliseconds.
 */
export async function countRecords(
  source: { open(): Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array> },
  sliceMs: number,
): Promise<number | null> {
  let bundle = false;
  let n = 0;
  let top: 'array' | 'other' = 'other';
  let lines = false;
  let start = performance.now();
  async function* text(): AsyncGenerator<string> {
    for await (const chunk of source.open()) yield typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk);
  }
  try {
    const records = readRecords(text(), {
      streamList: (key) => bundle && ['profiles', 'grants', 'tokens', 'events'].includes(key),
    });
    for await (const batch of records) {
      for (const item of batch) {
        if (item.kind === 'member' && item.key === 'kind' && item.value === 'tokenscope.bundle') bundle = true;
        else if (item.kind === 'array') top = 'array';
        else if (item.kind === 'element' && (item.list === null || item.list === 'tokens')) n++;
        else if (item.kind === 'lines') {
          lines = true;
          n++;
        } else if (item.kind === 'line') n++;
      }
      if (performance.now() - start > sliceMs) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        start = performance.now();
      }
    }
  } catch {
    return null;
  }
  return n === 0 && !bundle && !lines && top === 'other' ? 1 : n;
}

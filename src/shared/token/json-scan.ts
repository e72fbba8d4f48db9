/**
 * A single pass over JSON text that JSON.parse cannot give us: duplicate member names (JSON.parse keeps the
 * last), numbers that overflow to Infinity (`1e400`), and the nesting depth. Iterative, linear time.
 */

export interface JsonScan {
  /** Paths of member names that occur twice in one object (`exp`, `cnf.jkt`). */
  readonly duplicates: readonly string[];
  /** Paths of numbers that are not finite doubles. */
  readonly nonFinite: readonly string[];
  readonly maxDepth: number;
  /** True when the scan stopped at `depthLimit`: the rest of the text was not looked at. */
  readonly tooDeep: boolean;
}

interface Frame {
  readonly isObject: boolean;
  /** The enclosing frame and the member name (or `[]`) this container sits under; paths are built only to report. */
  readonly parent: Frame | undefined;
  readonly keys: Set<string>;
  expectKey: boolean;
  lastKey: string;
}

const MAX_REPORTED = 50;

/** The path of the value currently being read inside `frame` (`cnf.jkt`, `roles[]`). */
function childPath(frame: Frame | undefined): string {
  const parts: string[] = [];
  for (let f = frame; f !== undefined; f = f.parent) parts.push(f.isObject ? `.${f.lastKey}` : '[]');
  return parts.reverse().join('').replace(/^\./, '');
}

/** Scans JSON text (tolerant of invalid JSON); stops early past `depthLimit` nested containers. */
export function scanJson(text: string, depthLimit = Number.POSITIVE_INFINITY): JsonScan {
  const duplicates: string[] = [];
  const nonFinite: string[] = [];
  const stack: Frame[] = [];
  let maxDepth = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    const top = stack[stack.length - 1];
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      stack.push({ isObject: c === 0x7b, parent: top, keys: new Set(), expectKey: c === 0x7b, lastKey: '' });
      if (stack.length > maxDepth) maxDepth = stack.length;
      if (maxDepth > depthLimit) return { duplicates, nonFinite, maxDepth, tooDeep: true };
      i++;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      i++;
    } else if (c === 0x2c /* , */) {
      if (top?.isObject) top.expectKey = true;
      i++;
    } else if (c === 0x22 /* " */) {
      let j = i + 1;
      let escaped = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (escaped) escaped = false;
        else if (d === 0x5c) escaped = true;
        else if (d === 0x22) break;
        j++;
      }
      if (top?.isObject && top.expectKey) {
        const raw = text.slice(i, j + 1);
        let key = raw.slice(1, -1);
        if (raw.includes('\\')) {
          try {
            key = JSON.parse(raw) as string;
          } catch {
            // invalid JSON: the caller's JSON.parse reports it
          }
        }
        top.lastKey = key;
        top.expectKey = false;
        if (top.keys.has(key)) {
          if (duplicates.length < MAX_REPORTED) duplicates.push(childPath(top));
        } else top.keys.add(key);
      }
      i = j + 1;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if ((d >= 0x30 && d <= 0x39) || d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d) j++;
        else break;
      }
      if (!Number.isFinite(Number(text.slice(i, j))) && nonFinite.length < MAX_REPORTED)
        nonFinite.push(childPath(top) || '(value)');
      i = j;
    } else {
      i++;
    }
  }
  return { duplicates, nonFinite, maxDepth, tooDeep: false };
}

/** A copy of a parsed JSON value with every non-finite number replaced by null (iterative; keeps `__proto__` as data). */
export function replaceNonFinite(value: unknown): unknown {
  const fix = (v: unknown): unknown => (typeof v === 'number' && !Number.isFinite(v) ? null : v);
  if (typeof value !== 'object' || value === null) return fix(value);
  const rootCopy: unknown = Array.isArray(value) ? [] : {};
  const work: [unknown, unknown][] = [[value, rootCopy]];
  while (work.length > 0) {
    const [src, dst] = work.pop() as [unknown, unknown];
    const entries = Object.entries(src as object);
    for (const [k, v] of entries) {
      let out: unknown = fix(v);
      if (typeof v === 'object' && v !== null) {
        out = Array.isArray(v) ? [] : {};
        work.push([v, out]);
      }
      if (Array.isArray(dst)) dst.push(out);
      else Object.defineProperty(dst, k, { value: out, enumerable: true, writable: true, configurable: true });
    }
  }
  return rootCopy;
}

/**
 * A single pass over JSON text that JSON.parse cannot give us: duplicate member names (JSON.parse keeps the
 * last), numbers that overflow to Infinity (`1e400`), and the nesting depth. Iterative, linear time.
 */

export interface JsonScan {
  /** Paths of member names that occur twice in one object (`exp`, `cnf.jkt`). */
  readonly duplicates: readonly string[];
  /** Paths of numbers that are not finite doubles. */
  readonly nonFinite: readonly string[];
  /** Integer literals past 2^53 that JSON.parse rounds, with their exact digits (`client_id` → "1234567890123456789"). */
  readonly unsafeIntegers: readonly { readonly path: string; readonly digits: string }[];
  readonly maxDepth: number;
  /** True when the scan stopped at `depthLimit`: the rest of the text was not looked at. */
  readonly tooDeep: boolean;
}

interface Frame {
  readonly isObject: boolean;
  /** The enclosing frame and the member name (or `[]`) this container sits under; paths are built only to report. */
  readonly parent: Frame | undefined;
  /** Member names seen so far: a list while short (cheaper than a Set for the few claims of a token)... */
  readonly keys: string[];
  /** ...and a Set once there are many. */
  keySet: Set<string> | undefined;
  expectKey: boolean;
  lastKey: string;
}

const MAX_REPORTED = 50;
/** Past this many member names an object's names go into a Set. */
const SHORT_OBJECT = 16;
/** A run of digits this short (optionally after '-') is always a finite number: no need to parse it. */
const SAFE_DIGITS = 300;

/** The path of the value currently being read inside `frame` (`cnf.jkt`, `roles[]`). */
function childPath(frame: Frame | undefined): string {
  const parts: string[] = [];
  for (let f = frame; f !== undefined; f = f.parent) parts.push(f.isObject ? `.${f.lastKey}` : '[]');
  return parts.reverse().join('').replace(/^\./, '');
}

/** Records `key` in `frame`; false when it was already there. */
function addKey(frame: Frame, key: string): boolean {
  if (frame.keySet !== undefined) {
    if (frame.keySet.has(key)) return false;
    frame.keySet.add(key);
    return true;
  }
  if (frame.keys.includes(key)) return false;
  frame.keys.push(key);
  if (frame.keys.length >= SHORT_OBJECT) frame.keySet = new Set(frame.keys);
  return true;
}

/** Scans JSON text (tolerant of invalid JSON); stops early past `depthLimit` nested containers. */
export function scanJson(text: string, depthLimit = Number.POSITIVE_INFINITY): JsonScan {
  const duplicates: string[] = [];
  const nonFinite: string[] = [];
  const unsafeIntegers: { path: string; digits: string }[] = [];
  let depth = 0;
  let top: Frame | undefined;
  let maxDepth = 0;
  let i = 0;
  const n = text.length;
  /** The next backslash at or after the string being read (n: none): strings without one end at the next quote. */
  let nextBackslash = -1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let j = text.indexOf('"', i + 1);
      if (j === -1) j = n;
      if (nextBackslash <= i) {
        nextBackslash = text.indexOf('\\', i + 1);
        if (nextBackslash === -1) nextBackslash = n;
      }
      const backslash = nextBackslash < j;
      if (backslash) {
        // Escapes: walk the string character by character.
        j = i + 1;
        let escaped = false;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (escaped) escaped = false;
          else if (d === 0x5c) escaped = true;
          else if (d === 0x22) break;
          j++;
        }
      }
      // expectKey is only ever set on objects.
      if (top?.expectKey) {
        // An unterminated string runs to the end of the text, less its last character.
        let key = text.slice(i + 1, j < n ? j : n - 1);
        if (backslash) {
          try {
            key = JSON.parse(text.slice(i, j + 1)) as string;
          } catch {
            // invalid JSON: the caller's JSON.parse reports it
          }
        }
        top.lastKey = key;
        top.expectKey = false;
        if (!addKey(top, key) && duplicates.length < MAX_REPORTED) duplicates.push(childPath(top));
      }
      i = j + 1;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      top = { isObject: c === 0x7b, parent: top, keys: [], keySet: undefined, expectKey: c === 0x7b, lastKey: '' };
      depth++;
      if (depth > maxDepth) maxDepth = depth;
      if (maxDepth > depthLimit) return { duplicates, nonFinite, unsafeIntegers, maxDepth, tooDeep: true };
      i++;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      if (top !== undefined) {
        top = top.parent;
        depth--;
      }
      i++;
    } else if (c === 0x2c /* , */) {
      if (top?.isObject) top.expectKey = true;
      i++;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let j = i + 1;
      let digitsOnly = c !== 0x2d || (j < n && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39);
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d >= 0x30 && d <= 0x39) j++;
        else if (d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d) {
          digitsOnly = false;
          j++;
        } else break;
      }
      // Only an exponent, a huge run of digits or a malformed literal can fail to be a finite number.
      if (!(digitsOnly && j - i <= SAFE_DIGITS) && !Number.isFinite(Number(text.slice(i, j))) && nonFinite.length < MAX_REPORTED)
        nonFinite.push(childPath(top) || '(value)');
      // 16 digits or more may be past 2^53: keep the exact digits of those that are.
      else if (digitsOnly && c !== 0x2d && j - i >= 16 && j - i <= 20 && unsafeIntegers.length < MAX_REPORTED) {
        const digits = text.slice(i, j);
        if (!Number.isSafeInteger(Number(digits))) unsafeIntegers.push({ path: childPath(top) || '(value)', digits });
      }
      i = j;
    } else {
      i++;
    }
  }
  return { duplicates, nonFinite, unsafeIntegers, maxDepth, tooDeep: false };
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

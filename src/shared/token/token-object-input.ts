/**
 * The JSON side of Inspect's input: a token object parsed with its findings (duplicates, numbers JSON.parse rounds,
 * hostile depth refused first), the exact digits of big integers, and a wrapper object unwrapped to the token inside.
 */
import { TokenscopeError } from '../result.ts';
import { detect } from '../formats/index.ts';
import { finding, jsonScanFindings, type Finding } from './findings.ts';
import { MAX_DEPTH, type JsonObject } from './jwt.ts';
import { replaceNonFinite, scanJson } from './json-scan.ts';

const encoder = new TextEncoder();
/** Inputs up to this many UTF-16 units are measured into a reused buffer (UTF-8 needs at most 3 bytes a unit). */
const SHORT_TEXT = 16 * 1024;
const scratch = new Uint8Array(3 * SHORT_TEXT);

/** The UTF-8 size of a string, as TextEncoder encodes it (a lone surrogate becomes U+FFFD, 3 bytes). */
export function utf8Length(text: string): number {
  return text.length <= SHORT_TEXT ? encoder.encodeInto(text, scratch).written : encoder.encode(text).length;
}

/** Parses JSON text, or throws ERR_INVALID_JSON / ERR_NOT_A_TOKEN; reports duplicates and overflowing numbers. */
function parseTokenObject(text: string): { object: JsonObject; findings: Finding[]; exact: ExactIntegers } {
  // Scan first: a hostile nesting depth is refused before JSON.parse spends time on it.
  const scan = scanJson(text, MAX_DEPTH);
  if (scan.tooDeep)
    throw new TokenscopeError('ERR_NOT_A_TOKEN', `the JSON nests deeper than ${MAX_DEPTH} levels: not a token object`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new TokenscopeError('ERR_INVALID_JSON', 'the input starts like JSON but is not valid JSON (truncated?)');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const what = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw new TokenscopeError('ERR_NOT_A_TOKEN', `the JSON is ${what}, not a token object`);
  }
  const findings = jsonScanFindings(scan.duplicates, scan.nonFinite, 'field', 'read as null');
  const object = scan.nonFinite.length > 0 ? (replaceNonFinite(value) as JsonObject) : (value as JsonObject);
  return { object, findings, exact: scan.unsafeIntegers };
}

/** Integer literals JSON.parse rounded, by path, with their digits as written (json-scan). */
type ExactIntegers = readonly { readonly path: string; readonly digits: string }[];

/** The exact digits of the direct fields of the object at `prefix` (`""` top level, `accessTokens[].`). */
function exactFieldsAt(exact: ExactIntegers, prefix: string): ReadonlyMap<string, string> | undefined {
  if (exact.length === 0) return undefined;
  const out = new Map<string, string>();
  for (const { path, digits } of exact) {
    if (!path.startsWith(prefix)) continue;
    const name = path.slice(prefix.length);
    if (name !== '' && !/[.[]/.test(name) && !out.has(name)) out.set(name, digits);
  }
  return out;
}

function isPlainObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A wrapper around a token object (`{ "data": {...} }`, Authlete's `{ "accessTokens": [...] }` list): the inner
 * object when it fits a format clearly better than the outer one does. Looks one level down, at most 50 keys.
 */
function unwrapTokenObject(object: JsonObject): { object: JsonObject; path: string; of: number } | undefined {
  const outer = detect(object)[0]?.score ?? 0;
  if (outer >= 0.6) return undefined;
  let best: { object: JsonObject; path: string; of: number; score: number } | undefined;
  for (const key of Object.keys(object).slice(0, 50)) {
    const v = object[key];
    const inner: unknown = Array.isArray(v) ? (v as unknown[])[0] : v;
    if (!isPlainObject(inner)) continue;
    const score = detect(inner)[0]?.score ?? 0;
    if (score >= 0.6 && score > outer && (best === undefined || score > best.score)) {
      best = { object: inner, path: Array.isArray(v) ? `${key}[0]` : key, of: Array.isArray(v) ? v.length : 1, score };
    }
  }
  return best === undefined ? undefined : { object: best.object, path: best.path, of: best.of };
}

/**
 * A pasted token object: parsed (see parseTokenObject), unwrapped from a wrapper object when `unwrap` (said in a
 * NESTED_TOKEN finding), with the exact digits of its direct fields and where in the wrapper it was.
 */
export function tokenObjectInput(
  text: string,
  unwrap: boolean,
): { object: JsonObject; findings: Finding[]; exact: ReadonlyMap<string, string> | undefined; path?: string } {
  const { object, findings, exact } = parseTokenObject(text);
  const nested = unwrap ? unwrapTokenObject(object) : undefined;
  if (!nested) return { object, findings, exact: exactFieldsAt(exact, '') };
  findings.push(
    finding(
      'NESTED_TOKEN',
      'info',
      `read the token object at ${nested.path}${nested.of > 1 ? ` (the first of ${nested.of})` : ''}: the outer object is a wrapper`,
      { field: nested.path },
    ),
  );
  return {
    object: nested.object,
    findings,
    exact: exactFieldsAt(exact, `${nested.path.replace(/\[0\]$/, '[]')}.`),
    path: nested.path,
  };
}

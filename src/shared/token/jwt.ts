/**
 * Decodes compact JWS (JWT) and JWE serializations, keeping raw segments and what JSON.parse hides.
 * Each segment is decoded once: base64url (atob, as jose does without Uint8Array.fromBase64; jose's decoder for
 * anything unusual), strict UTF-8, JSON.parse, plain-object check: the steps of jose's decodeJwt /
 * decodeProtectedHeader, so those could never reject a segment accepted here and are not run a second time.
 */
import { TokenscopeError } from '../result.ts';
import { replaceNonFinite, scanJson, type JsonScan } from './json-scan.ts';

export type JsonObject = Readonly<Record<string, unknown>>;

export interface DecodedJws {
  readonly header: JsonObject;
  readonly payload: JsonObject;
  readonly raw: { readonly header: string; readonly payload: string; readonly signature: string };
  readonly duplicateClaims: readonly string[];
  readonly duplicateHeaderParams: readonly string[];
  /** Paths of numbers that overflowed (replaced by null in `payload`/`header`). */
  readonly nonFinite: readonly string[];
}

export interface DecodedJwe {
  readonly header: JsonObject;
  readonly raw: {
    readonly header: string;
    readonly encryptedKey: string;
    readonly iv: string;
    readonly ciphertext: string;
    readonly tag: string;
  };
}

const SEGMENT = /^[A-Za-z0-9_-]*$/;
export const MAX_DEPTH = 64;

/** Why a dotted string is not a JOSE object; undefined when every segment is base64url. */
export function segmentProblem(segments: readonly string[], from = 0): string | undefined {
  for (let i = from; i < segments.length; i++) {
    const s = segments[i] ?? '';
    if (!SEGMENT.test(s)) {
      if (/\s/.test(s)) return `segment ${i + 1} contains whitespace`;
      if (/[+/=]/.test(s)) return `segment ${i + 1} uses +, / or = (standard base64, not base64url)`;
      return `segment ${i + 1} contains characters outside base64url`;
    }
    if (s.length % 4 === 1) return `segment ${i + 1} has an impossible base64url length`;
  }
  return undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

const encoder = new TextEncoder();
/** Decoded segments up to this long are checked for ASCII by encoding them into a reused buffer. */
const SHORT_TEXT = 16 * 1024;
const scratch = new Uint8Array(2 * SHORT_TEXT);

/**
 * Base64url → bytes as a binary string, for a segment already known to be base64url characters at a possible
 * length (what segmentProblem accepts). Through `atob`, which is what jose decodes with when
 * Uint8Array.fromBase64 is missing, with the same forgiving rules (no padding needed, trailing bits ignored).
 */
function binaryOf(segment: string): string {
  return atob(segment.replaceAll('-', '+').replaceAll('_', '/'));
}

/** Decoded bytes (a binary string) as UTF-8 text; throws on bad UTF-8. */
function utf8Text(binary: string): string {
  // Only bytes below 0x80 encode to one UTF-8 byte each: then the binary string is the text.
  if (binary.length <= SHORT_TEXT && encoder.encodeInto(binary, scratch).written === binary.length) return binary;
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return utf8.decode(bytes);
}

/** A base64url segment at a possible length (the caller checked) → UTF-8 text; throws ERR_MALFORMED_JWT. */
function checkedSegmentText(segment: string, what: string): string {
  try {
    return utf8Text(binaryOf(segment));
  } catch {
    throw new TokenscopeError('ERR_MALFORMED_JWT', `the ${what} segment is not base64url-encoded UTF-8`);
  }
}

interface ParsedObject {
  readonly value: JsonObject;
  readonly duplicates: readonly string[];
  readonly nonFinite: readonly string[];
}

function cleanObject(value: JsonObject, scan: JsonScan): ParsedObject {
  const clean = scan.nonFinite.length > 0 ? (replaceNonFinite(value) as JsonObject) : value;
  return { value: clean, duplicates: scan.duplicates, nonFinite: scan.nonFinite };
}

function parseObject(text: string, what: string): ParsedObject {
  // Scan first: a hostile nesting depth is refused before JSON.parse spends time on it.
  const scan = scanJson(text, MAX_DEPTH);
  if (scan.tooDeep) throw new TokenscopeError('ERR_MALFORMED_JWT', `the ${what} nests deeper than ${MAX_DEPTH} levels`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new TokenscopeError('ERR_MALFORMED_JWT', `the ${what} segment is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TokenscopeError('ERR_MALFORMED_JWT', `the ${what} segment is JSON but not an object`);
  }
  return cleanObject(value as JsonObject, scan);
}

/** A first segment read as a JOSE header: the parsed object (not yet cleaned of overflowing numbers) and its scan. */
export interface JoseHeaderProbe {
  readonly value: JsonObject;
  readonly scan: JsonScan;
}

/** The first segment as a JSON object with a string `alg` (the text is meant as a JOSE object), else undefined. */
export function probeJoseHeader(segment: string): JoseHeaderProbe | undefined {
  if (segment.length === 0 || segment.length % 4 === 1 || !SEGMENT.test(segment)) return undefined;
  try {
    const text = utf8Text(binaryOf(segment));
    const scan = scanJson(text, MAX_DEPTH);
    if (scan.tooDeep) return undefined;
    const header = JSON.parse(text) as unknown;
    return typeof header === 'object' &&
      header !== null &&
      !Array.isArray(header) &&
      typeof (header as { alg?: unknown }).alg === 'string'
      ? { value: header as JsonObject, scan }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Decodes a compact JWS; `header` is the probe of its first segment when the caller already made it. */
export function decodeJws(token: string, header?: JoseHeaderProbe): DecodedJws {
  const parts = token.split('.');
  if (parts.length !== 3) throw new TokenscopeError('ERR_MALFORMED_JWT', 'a JWT has three dot-separated segments');
  // A probed header segment is base64url already (probeJoseHeader checked it): only the others are checked.
  const problem = header ? segmentProblem(parts, 1) : segmentProblem(parts);
  if (problem !== undefined) throw new TokenscopeError('ERR_MALFORMED_JWT', `not a JWT: ${problem}`);
  const [h = '', p = '', s = ''] = parts;
  const headerObject = header ? cleanObject(header.value, header.scan) : parseObject(checkedSegmentText(h, 'header'), 'header');
  const payload = parseObject(checkedSegmentText(p, 'payload'), 'payload');
  if (typeof headerObject.value['alg'] !== 'string') throw new TokenscopeError('ERR_MALFORMED_JWT', 'the header has no "alg"');
  return {
    header: headerObject.value,
    payload: payload.value,
    raw: { header: h, payload: p, signature: s },
    duplicateClaims: payload.duplicates,
    duplicateHeaderParams: headerObject.duplicates,
    nonFinite: [...headerObject.nonFinite.map((x) => `header.${x}`), ...payload.nonFinite],
  };
}

export function decodeJwe(token: string): DecodedJwe {
  const parts = token.split('.');
  if (parts.length !== 5) throw new TokenscopeError('ERR_MALFORMED_JWT', 'a compact JWE has five dot-separated segments');
  const problem = segmentProblem(parts);
  if (problem !== undefined) throw new TokenscopeError('ERR_MALFORMED_JWT', `not a JWE: ${problem}`);
  const [h = '', k = '', iv = '', ct = '', tag = ''] = parts;
  const header = parseObject(checkedSegmentText(h, 'header'), 'header');
  if (typeof header.value['enc'] !== 'string') throw new TokenscopeError('ERR_MALFORMED_JWT', 'a JWE header names its "enc"');
  return { header: header.value, raw: { header: h, encryptedKey: k, iv, ciphertext: ct, tag } };
}

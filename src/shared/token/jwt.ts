/** Decodes compact JWS (JWT) and JWE serializations with jose, keeping raw segments and what JSON.parse hides. */
import { base64url, decodeJwt, decodeProtectedHeader } from 'jose';
import { TokenscopeError } from '../result.ts';
import { replaceNonFinite, scanJson } from './json-scan.ts';

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
export function segmentProblem(segments: readonly string[]): string | undefined {
  for (const [i, s] of segments.entries()) {
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

/** base64url → UTF-8 JSON text; throws ERR_MALFORMED_JWT naming the segment. */
export function segmentText(segment: string, what: string): string {
  try {
    return utf8.decode(base64url.decode(segment));
  } catch {
    throw new TokenscopeError('ERR_MALFORMED_JWT', `the ${what} segment is not base64url-encoded UTF-8`);
  }
}

function parseObject(
  text: string,
  what: string,
): { value: JsonObject; duplicates: readonly string[]; nonFinite: readonly string[] } {
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
  const clean = scan.nonFinite.length > 0 ? (replaceNonFinite(value) as JsonObject) : (value as JsonObject);
  return { value: clean, duplicates: scan.duplicates, nonFinite: scan.nonFinite };
}

/** Whether the first segment decodes to a JSON object with an `alg`: the text is meant as a JOSE object. */
export function hasJoseHeader(segment: string): boolean {
  if (!SEGMENT.test(segment) || segment.length % 4 === 1 || segment.length === 0) return false;
  try {
    const text = utf8.decode(base64url.decode(segment));
    if (scanJson(text, MAX_DEPTH).tooDeep) return false;
    const header = JSON.parse(text) as unknown;
    return (
      typeof header === 'object' &&
      header !== null &&
      !Array.isArray(header) &&
      typeof (header as { alg?: unknown }).alg === 'string'
    );
  } catch {
    return false;
  }
}

export function decodeJws(token: string): DecodedJws {
  const parts = token.split('.');
  if (parts.length !== 3) throw new TokenscopeError('ERR_MALFORMED_JWT', 'a JWT has three dot-separated segments');
  const problem = segmentProblem(parts);
  if (problem !== undefined) throw new TokenscopeError('ERR_MALFORMED_JWT', `not a JWT: ${problem}`);
  const [h = '', p = '', s = ''] = parts;
  const header = parseObject(segmentText(h, 'header'), 'header');
  const payload = parseObject(segmentText(p, 'payload'), 'payload');
  // jose checks the same structure; it stays the one decoder of record (its errors map through toAppError).
  decodeProtectedHeader(token);
  if (header.nonFinite.length === 0 && payload.nonFinite.length === 0) decodeJwt(token);
  if (typeof header.value['alg'] !== 'string') throw new TokenscopeError('ERR_MALFORMED_JWT', 'the header has no "alg"');
  return {
    header: header.value,
    payload: payload.value,
    raw: { header: h, payload: p, signature: s },
    duplicateClaims: payload.duplicates,
    duplicateHeaderParams: header.duplicates,
    nonFinite: [...header.nonFinite.map((x) => `header.${x}`), ...payload.nonFinite],
  };
}

export function decodeJwe(token: string): DecodedJwe {
  const parts = token.split('.');
  if (parts.length !== 5) throw new TokenscopeError('ERR_MALFORMED_JWT', 'a compact JWE has five dot-separated segments');
  const problem = segmentProblem(parts);
  if (problem !== undefined) throw new TokenscopeError('ERR_MALFORMED_JWT', `not a JWE: ${problem}`);
  const [h = '', k = '', iv = '', ct = '', tag = ''] = parts;
  const header = parseObject(segmentText(h, 'header'), 'header');
  decodeProtectedHeader(token);
  if (typeof header.value['enc'] !== 'string') throw new TokenscopeError('ERR_MALFORMED_JWT', 'a JWE header names its "enc"');
  return { header: header.value, raw: { header: h, encryptedKey: k, iv, ciphertext: ct, tag } };
}

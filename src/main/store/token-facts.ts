/**
 * What the history records about a token value: JWT header/claims, and the facts shared/token/facts.ts reads
 * from them (issuer, subject, client, times, scopes: the same reader the inspection uses).
 */
import { TokenscopeError } from '../../shared/result.ts';
import { claimFacts } from '../../shared/token/facts.ts';
import { jwtKind } from '../../shared/token/profiles.ts';

export const MAX_TOKEN_LENGTH = 64 * 1024;

export interface TokenFacts {
  readonly isJwt: boolean;
  readonly header: Readonly<Record<string, unknown>> | null;
  readonly claims: Readonly<Record<string, unknown>> | null;
  /** The decoded JSON text of the header and the claims, as the token carries them (what the history stores). */
  readonly headerJson: string | null;
  readonly claimsJson: string | null;
  readonly issuer: string | null;
  readonly subject: string | null;
  readonly clientId: string | null;
  readonly jti: string | null;
  readonly scopes: readonly string[];
  readonly issuedAtMs: number | null;
  readonly expiresAtMs: number | null;
}

const EMPTY: TokenFacts = {
  isJwt: false,
  header: null,
  claims: null,
  headerJson: null,
  claimsJson: null,
  issuer: null,
  subject: null,
  clientId: null,
  jti: null,
  scopes: [],
  issuedAtMs: null,
  expiresAtMs: null,
};

/** Token values are visible ASCII without spaces (RFC 6749 VSCHAR / RFC 6750 b64token); anything else is malformed. */
export function checkTokenValue(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TokenscopeError('ERR_NOT_A_TOKEN', 'the token value is missing or not a string');
  }
  if (value.length > MAX_TOKEN_LENGTH) throw new TokenscopeError('ERR_INPUT_TOO_LARGE', 'the token value is longer than 64 KiB');
  if (!/^[\x21-\x7e]+$/.test(value)) {
    throw new TokenscopeError('ERR_NOT_A_TOKEN', 'the token value holds spaces, control or non-ASCII characters');
  }
  return value;
}

/** Starts like a JOSE header (`{"` in base64url) and has the three segments of a JWS. */
const JWT_SHAPE = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;
/** Three dot-separated segments, the first starting like a JOSE header: meant to be a JWT. */
const LOOKS_LIKE_JWT = /^eyJ[^.]*\.[^.]*\.[^.]*$/;

/** Strict UTF-8, a leading BOM dropped: what jose's decodeJwt / decodeProtectedHeader accept. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** One base64url segment of a JWS as JSON text and its object; throws when it is not base64url JSON of an object. */
function decodeSegment(segment: string): { json: string; value: Record<string, unknown> } {
  // The alphabet is checked by JWT_SHAPE; a length of 4n+1 is no base64 at all (atob refuses it, Buffer would not).
  if (segment.length % 4 === 1) throw new Error('not base64url');
  const json = utf8.decode(Buffer.from(segment, 'base64url'));
  const value: unknown = JSON.parse(json);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a JSON object');
  return { json, value: value as Record<string, unknown> };
}

/**
 * The value decoded last, kept until the current task ends (it is a secret: not kept longer). An import
 * decodes a token to pick its expiry and saves it right after: the save reuses the decoding.
 */
let last: { value: string; strict: boolean; facts: TokenFacts } | null = null;
const forget = (): void => {
  last = null;
};

/**
 * Decodes what a token carries. With `strict`, a value shaped like a JWT that does not decode is
 * ERR_MALFORMED_JWT (import); otherwise it is kept as an opaque token (a server's odd token is still history).
 * This decodes the two segments itself (once each, as jose's decodeJwt and decodeProtectedHeader would) rather
 * than through inspectText: it runs for every row of a bulk import, where the full inspection (findings,
 * format comparison) would cost ~0.7 ms a token.
 */
export function tokenFacts(value: string, strict = false): TokenFacts {
  if (last !== null && last.value === value && last.strict === strict) return last.facts;
  const facts = decodeFacts(value, strict);
  if (last === null) queueMicrotask(forget);
  last = { value, strict, facts };
  return facts;
}

function decodeFacts(value: string, strict: boolean): TokenFacts {
  if (!JWT_SHAPE.test(value)) {
    if (strict && LOOKS_LIKE_JWT.test(value)) {
      throw new TokenscopeError('ERR_MALFORMED_JWT', 'the token looks like a JWT but holds characters base64url does not have');
    }
    return EMPTY;
  }
  const dot1 = value.indexOf('.');
  const dot2 = value.indexOf('.', dot1 + 1);
  let header: ReturnType<typeof decodeSegment>;
  let claims: ReturnType<typeof decodeSegment>;
  try {
    header = decodeSegment(value.slice(0, dot1));
    claims = decodeSegment(value.slice(dot1 + 1, dot2));
  } catch {
    if (strict)
      throw new TokenscopeError('ERR_MALFORMED_JWT', 'the token looks like a JWT but its segments are not base64url JSON');
    return EMPTY;
  }
  const c = claims.value;
  const read = claimFacts(c, jwtKind(header.value, c));
  const jti = c['jti'];
  return {
    isJwt: true,
    header: header.value,
    claims: c,
    headerJson: header.json,
    claimsJson: claims.json,
    issuer: read.issuer ?? null,
    subject: read.subject ?? null,
    clientId: read.clientId ?? null,
    jti: typeof jti === 'string' && jti !== '' ? jti : null,
    scopes: read.scopes ?? [],
    issuedAtMs: read.issuedAtMs ?? null,
    expiresAtMs: read.expiresAtMs ?? null,
  };
}

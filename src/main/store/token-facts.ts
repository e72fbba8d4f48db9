/** What the history records about a token value: JWT header/claims, issuer, subject, times, scopes. */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { TokenscopeError } from '../../shared/result.ts';

export const MAX_TOKEN_LENGTH = 64 * 1024;

export interface TokenFacts {
  readonly isJwt: boolean;
  readonly header: Readonly<Record<string, unknown>> | null;
  readonly claims: Readonly<Record<string, unknown>> | null;
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

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
}

function secondsToMs(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? Math.round(v * 1000) : null;
}

export function scopesOf(claims: Readonly<Record<string, unknown>>): string[] {
  const scope = claims['scope'] ?? claims['scp'];
  if (typeof scope === 'string') return scope.split(/\s+/).filter(Boolean);
  if (Array.isArray(scope)) return scope.filter((s): s is string => typeof s === 'string');
  return [];
}

/** Starts like a JOSE header (`{"` in base64url) and has the three segments of a JWS. */
const JWT_SHAPE = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;
/** Three dot-separated segments, the first starting like a JOSE header: meant to be a JWT. */
const LOOKS_LIKE_JWT = /^eyJ[^.]*\.[^.]*\.[^.]*$/;

/**
 * Decodes what a token carries. With `strict`, a value shaped like a JWT that does not decode is
 * ERR_MALFORMED_JWT (import); otherwise it is kept as an opaque token (a server's odd token is still history).
 * This decodes with jose directly rather than through inspectText: it runs for every row of a bulk
 * import, where the full inspection (findings, format comparison) would cost ~0.7 ms a token.
 */
export function tokenFacts(value: string, strict = false): TokenFacts {
  if (!JWT_SHAPE.test(value)) {
    if (strict && LOOKS_LIKE_JWT.test(value)) {
      throw new TokenscopeError('ERR_MALFORMED_JWT', 'the token looks like a JWT but holds characters base64url does not have');
    }
    return EMPTY;
  }
  let header: Record<string, unknown>;
  let c: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(value);
    c = decodeJwt(value);
  } catch {
    if (strict) throw new TokenscopeError('ERR_MALFORMED_JWT', 'the token looks like a JWT but its segments are not base64url JSON');
    return EMPTY;
  }
  return {
    isJwt: true,
    header,
    claims: c,
    issuer: str(c['iss']),
    subject: str(c['sub']),
    clientId: str(c['client_id']) ?? str(c['azp']) ?? (typeof c['aud'] === 'string' ? c['aud'] : null),
    jti: str(c['jti']),
    scopes: scopesOf(c),
    issuedAtMs: secondsToMs(c['iat']),
    expiresAtMs: secondsToMs(c['exp']),
  };
}

/** The claim values as one string for the full-text index (strings and numbers, nested ones too), capped at 4 KiB. */
export function claimText(claims: Readonly<Record<string, unknown>> | null): string {
  if (!claims) return '';
  const parts: string[] = [];
  let size = 0;
  const walk = (v: unknown, depth: number): void => {
    if (size > 4096 || depth > 4) return;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      const s = String(v);
      parts.push(s);
      size += s.length + 1;
    } else if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1);
    } else if (v && typeof v === 'object') {
      for (const x of Object.values(v)) walk(x, depth + 1);
    }
  };
  walk(claims, 0);
  return parts.join(' ').slice(0, 4096);
}

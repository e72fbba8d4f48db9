/** Which kind of token a JWT is, and the RFC 9068 access-token / OIDC ID-token rules as findings. */
import type { TokenKind } from '../model.ts';
import { finding, type Finding } from './findings.ts';

type JsonObject = Readonly<Record<string, unknown>>;

export interface ProfileExpectations {
  readonly issuer?: string;
  readonly audience?: string;
  readonly nonce?: string;
  /** Accepted clock skew for exp/nbf/iat, seconds (default 0 for exp/nbf, 60 for iat in the future). */
  readonly clockSkewS?: number;
}

const MEDIA_PREFIX = 'application/';

/** typ, lower-cased and without its optional "application/" (RFC 7515 §4.1.9). */
function typOf(header: JsonObject): string {
  const typ = header['typ'];
  if (typeof typ !== 'string') return '';
  const lower = typ.toLowerCase();
  return lower.startsWith(MEDIA_PREFIX) ? lower.slice(MEDIA_PREFIX.length) : lower;
}

/** Classifies a JWT by its header and claims (typ first, then telling claims). */
export function jwtKind(header: JsonObject, payload: JsonObject): TokenKind {
  const typ = typOf(header);
  if (typ === 'at+jwt') return 'access_token';
  const has = (k: string): boolean => Object.hasOwn(payload, k);
  const tokenUse = payload['token_use'];
  if (tokenUse === 'id') return 'id_token';
  if (tokenUse === 'access') return 'access_token';
  const kcTyp = payload['typ'];
  if (kcTyp === 'ID') return 'id_token';
  if (kcTyp === 'Bearer') return 'access_token';
  if (kcTyp === 'Refresh' || kcTyp === 'Offline') return 'refresh_token';
  if (has('nonce') || has('at_hash') || has('c_hash')) return 'id_token';
  if (has('scope') || has('scp') || has('client_id') || has('cid')) return 'access_token';
  if (has('aud') && has('auth_time')) return 'id_token';
  return 'unknown';
}

function audiences(payload: JsonObject): string[] {
  const aud = payload['aud'];
  if (typeof aud === 'string') return [aud];
  if (Array.isArray(aud)) return aud.filter((a): a is string => typeof a === 'string');
  return [];
}

/** Findings for the rules of the token's profile, and the expectations the caller knows. */
export function checkProfile(
  kind: TokenKind,
  header: JsonObject,
  payload: JsonObject,
  expect: ProfileExpectations = {},
): Finding[] {
  const out: Finding[] = [];
  const has = (k: string): boolean => Object.hasOwn(payload, k) && payload[k] !== null;
  if (kind === 'access_token') {
    const typ = typOf(header);
    if (typ !== 'at+jwt') {
      out.push(
        finding(
          'AT_JWT_TYP',
          'info',
          `typ is ${typ === '' ? 'absent' : `"${typ.slice(0, 30)}"`}, not "at+jwt": not an RFC 9068 access token (or not labelled as one)`,
          { field: 'typ' },
        ),
      );
    }
    const missing = ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'].filter((k) => !has(k));
    for (const k of missing) {
      out.push(
        finding(
          'AT_JWT_MISSING_CLAIM',
          typ === 'at+jwt' ? 'error' : 'info',
          `RFC 9068 requires the ${k} claim in a JWT access token`,
          { field: k },
        ),
      );
    }
  }
  if (kind === 'id_token') {
    for (const k of ['iss', 'sub', 'aud', 'exp', 'iat']) {
      if (!has(k)) out.push(finding('ID_TOKEN_MISSING_CLAIM', 'error', `an ID token must carry ${k}`, { field: k }));
    }
    const auds = audiences(payload);
    if (auds.length > 1 && !has('azp')) {
      out.push(
        finding('ID_TOKEN_AZP', 'warning', 'the ID token has several audiences but no azp naming the client it was issued to', {
          field: 'azp',
        }),
      );
    }
    if (expect.nonce !== undefined && payload['nonce'] !== expect.nonce) {
      out.push(
        finding('NONCE_MISMATCH', 'error', 'the nonce does not match the one sent in the authorization request', {
          field: 'nonce',
        }),
      );
    }
  }
  if (expect.issuer !== undefined && payload['iss'] !== expect.issuer) {
    out.push(finding('ISSUER_MISMATCH', 'error', 'iss is not the expected issuer', { field: 'iss' }));
  }
  if (expect.audience !== undefined && !audiences(payload).includes(expect.audience)) {
    out.push(finding('AUDIENCE_MISMATCH', 'error', 'aud does not include the expected audience', { field: 'aud' }));
  }
  return out;
}

/** Expiry and validity-window findings from already-checked time claims (epoch ms). */
export function checkValidity(
  times: Readonly<Partial<Record<'exp' | 'iat' | 'nbf', number>>>,
  nowMs: number,
  skewS = 0,
): Finding[] {
  const out: Finding[] = [];
  if (times.exp !== undefined && times.exp + skewS * 1000 <= nowMs)
    out.push(finding('EXPIRED', 'warning', 'the token has expired', { field: 'exp' }));
  if (times.nbf !== undefined && times.nbf - skewS * 1000 > nowMs)
    out.push(finding('NOT_YET_VALID', 'warning', 'the token is not valid yet (nbf is in the future)', { field: 'nbf' }));
  if (times.exp !== undefined && times.iat !== undefined && times.exp < times.iat) {
    out.push(
      finding('INVALID_TIME_CLAIM', 'error', 'exp is before iat: the token expired before it was issued', { field: 'exp' }),
    );
  }
  if (times.iat !== undefined && times.iat - Math.max(60, skewS) * 1000 > nowMs)
    out.push(finding('ISSUED_IN_FUTURE', 'warning', 'iat is in the future: a clock is wrong', { field: 'iat' }));
  return out;
}

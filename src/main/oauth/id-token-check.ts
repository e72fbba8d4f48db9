/**
 * An ID token on receipt (login, refresh, device flow), as OIDC Core §3.1.3.7 checks it: the signature against the
 * issuer's JWKS, iss, aud (the client), azp, the flow's nonce, exp / iat with the skew in use, and at_hash / c_hash
 * when present. Done by the one receipt checker (access-token-check.ts); the outcome is recorded on the token, and
 * an invalid ID token is kept and flagged.
 */
import { createHash } from 'node:crypto';
import type { AccessTokenCheck } from '../../shared/oauth.ts';
import type { FindingCode } from '../../shared/token/findings.ts';
import { decodeJws } from '../../shared/token/jwt.ts';
import { checkReceivedJwt, isCompactJws, type AccessTokenCheckDeps, type AccessTokenServer } from './access-token-check.ts';

/** oauth4webapi's default clock tolerance: the skew the flow itself allowed when it processed the response. */
export const RECEIPT_CLOCK_SKEW_S = 30;

export interface IdTokenExpectations {
  readonly clientId: string;
  /** The nonce the authorization request sent (none for refresh and device flow). */
  readonly nonce?: string | undefined;
  /** The access token and authorization code of the same response, for at_hash / c_hash. */
  readonly accessToken?: string | undefined;
  readonly code?: string | undefined;
}

const HASH_OF_ALG: Readonly<Record<string, string>> = {
  256: 'sha256',
  384: 'sha384',
  512: 'sha512',
};

/** OIDC Core §3.1.3.6: base64url of the left half of the hash of the value, the hash named by the JWS alg. */
function leftHalfHash(value: string, alg: string): string | undefined {
  const bits = alg === 'EdDSA' || alg === 'Ed25519' ? '512' : alg.slice(-3);
  const hash = HASH_OF_ALG[bits];
  if (hash === undefined) return undefined;
  const digest = createHash(hash).update(value, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

function hashOutcome(claim: unknown, value: string | undefined, alg: string): 'matched' | 'mismatched' | undefined {
  if (typeof claim !== 'string' || value === undefined) return undefined;
  const expected = leftHalfHash(value, alg);
  if (expected === undefined) return undefined;
  return claim === expected ? 'matched' : 'mismatched';
}

export async function checkIdToken(
  token: string,
  as: AccessTokenServer,
  expect: IdTokenExpectations,
  deps: AccessTokenCheckDeps,
): Promise<AccessTokenCheck | null> {
  if (!isCompactJws(token)) return null;
  let header: Readonly<Record<string, unknown>>;
  let claims: Readonly<Record<string, unknown>>;
  try {
    const decoded = decodeJws(token);
    header = decoded.header;
    claims = decoded.payload;
  } catch {
    return checkReceivedJwt(token, 'id_token', as, { audience: expect.clientId }, deps);
  }
  const extra: FindingCode[] = [];
  const sent = claims['nonce'];
  const nonce: NonNullable<AccessTokenCheck['nonce']> =
    expect.nonce === undefined ? 'not-sent' : sent === undefined ? 'missing' : sent === expect.nonce ? 'matched' : 'mismatched';
  if (nonce === 'missing') extra.push('NONCE_MISMATCH');
  const azp = claims['azp'];
  if (azp !== undefined && azp !== expect.clientId) extra.push('AZP_MISMATCH');
  const alg = typeof header['alg'] === 'string' ? header['alg'] : '';
  const atHash = hashOutcome(claims['at_hash'], expect.accessToken, alg);
  const cHash = hashOutcome(claims['c_hash'], expect.code, alg);
  if (atHash === 'mismatched') extra.push('AT_HASH_MISMATCH');
  if (cHash === 'mismatched') extra.push('C_HASH_MISMATCH');
  const check = await checkReceivedJwt(
    token,
    'id_token',
    as,
    { audience: expect.clientId, nonce: expect.nonce, clockSkewS: RECEIPT_CLOCK_SKEW_S },
    deps,
    extra,
  );
  if (check === null) return null;
  return {
    ...check,
    nonce,
    ...(atHash !== undefined ? { atHash } : {}),
    ...(cHash !== undefined ? { cHash } : {}),
    clockSkewS: RECEIPT_CLOCK_SKEW_S,
  };
}

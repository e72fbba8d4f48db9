/**
 * Signature verification of a compact JWS with jose, against keys the user chose: a JWKS, a JWK, a PEM, or an
 * HMAC secret. Keys named by the token itself (jku, x5u, x5c, jwk) are never used. Pure: fetching lives in main/keys.
 */
import { compactVerify, importJWK, importSPKI, importX509, type JWK } from 'jose';

type VerifyKey = Awaited<ReturnType<typeof importJWK>>;
type PublicKey = Awaited<ReturnType<typeof importSPKI>>;
import { TokenscopeError } from '../result.ts';
import { decodeJws } from './jwt.ts';

export type SignatureState = 'verified' | 'invalid' | 'unverified' | 'unsigned';

export const VERIFY_REASONS = [
  'SIGNATURE_MISMATCH',
  'NO_MATCHING_KEY',
  'ALG_NOT_ALLOWED',
  'CRIT_UNSUPPORTED',
  'KEY_TYPE_MISMATCH',
  'UNSUPPORTED_ALG',
] as const;
export type VerifyReason = (typeof VERIFY_REASONS)[number];

export interface SignatureReport {
  readonly state: SignatureState;
  readonly alg?: string;
  readonly kid?: string;
  /** Why the state is `invalid`. */
  readonly reason?: VerifyReason;
  /** The kid (or index) of the key that verified the token. */
  readonly keyId?: string;
  readonly message: string;
}

/** Key material after resolution: what `verifySignature` checks against. */
export type KeyMaterial =
  /** `pasted`: the user's own key, so a key that does not fit the token is ERR_INVALID_KEY, not a verdict. */
  | { readonly kind: 'jwks'; readonly keys: readonly JWK[]; readonly pasted?: true }
  | { readonly kind: 'pem'; readonly pem: string }
  | { readonly kind: 'secret'; readonly secret: Uint8Array };

/** How the user names a key, from any front door. */
export type KeySource =
  | { readonly type: 'jwks-url'; readonly url: string }
  | { readonly type: 'issuer'; readonly issuer: string }
  /** A pasted JWK, JWKS (JSON) or PEM public key / certificate. */
  | { readonly type: 'key'; readonly key: string }
  | { readonly type: 'secret'; readonly secret: string; readonly encoding?: 'utf8' | 'base64url' | 'hex' }
  | { readonly type: 'none' };

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
const HMAC = ['HS256', 'HS384', 'HS512'];
/** Extensions jose understands; any other name in `crit` means the token must not be accepted. */
const UNDERSTOOD_CRIT = new Set(['b64']);
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'];

function publicJwk(jwk: JWK): JWK {
  if (jwk.kty === 'oct') return jwk;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(jwk)) if (!PRIVATE_MEMBERS.includes(k)) out[k] = v;
  return out;
}

function isJwk(v: unknown): v is JWK {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { kty?: unknown }).kty === 'string';
}

/** Parses a pasted key: a JWK or JWKS (JSON) or a PEM public key / certificate. Throws ERR_INVALID_KEY. */
export function parsePastedKey(text: string): KeyMaterial {
  const t = text.trim();
  if (t.startsWith('-----BEGIN')) {
    if (/-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(t)) {
      throw new TokenscopeError('ERR_INVALID_KEY', 'that is a private key: paste the public key or certificate instead');
    }
    if (!/-----BEGIN (PUBLIC KEY|CERTIFICATE)-----/.test(t)) {
      throw new TokenscopeError('ERR_INVALID_KEY', 'only PEM "PUBLIC KEY" (SPKI) and "CERTIFICATE" are supported');
    }
    return { kind: 'pem', pem: t };
  }
  let value: unknown;
  try {
    value = JSON.parse(t);
  } catch {
    throw new TokenscopeError('ERR_INVALID_KEY', 'the key is neither JSON (JWK / JWKS) nor PEM');
  }
  const material = jwksFromJson(value);
  return material.kind === 'jwks' ? { ...material, pasted: true } : material;
}

/** A key the user gave that cannot be used for this token: said once, as an error, never as "signature invalid". */
function unusableKey(why: string): TokenscopeError {
  return new TokenscopeError('ERR_INVALID_KEY', `the key could not be used: ${why}`);
}

/** A JWKS document or a single JWK as key material; private members are dropped. Throws ERR_INVALID_KEY. */
export function jwksFromJson(value: unknown): KeyMaterial {
  if (isJwk(value)) return { kind: 'jwks', keys: [publicJwk(value)] };
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (Array.isArray(keys)) {
    const good = keys.filter(isJwk).map(publicJwk);
    if (good.length === 0) throw new TokenscopeError('ERR_INVALID_KEY', 'the JWKS holds no usable keys');
    return { kind: 'jwks', keys: good };
  }
  throw new TokenscopeError('ERR_INVALID_KEY', 'the JSON is not a JWK or a JWKS ({ "keys": [...] })');
}

export function secretBytes(secret: string, encoding: 'utf8' | 'base64url' | 'hex' = 'utf8'): Uint8Array {
  if (encoding === 'hex') {
    if (!/^([0-9a-fA-F]{2})+$/.test(secret)) throw new TokenscopeError('ERR_INVALID_KEY', 'the secret is not hex');
    return Uint8Array.from(secret.match(/../g) ?? [], (b) => parseInt(b, 16));
  }
  if (encoding === 'base64url') {
    const b64 = secret.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
    try {
      return Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (ch) => ch.charCodeAt(0));
    } catch {
      throw new TokenscopeError('ERR_INVALID_KEY', 'the secret is not base64url');
    }
  }
  return new TextEncoder().encode(secret);
}

function ktyFits(kty: string | undefined, alg: string): boolean {
  if (alg.startsWith('RS') || alg.startsWith('PS')) return kty === 'RSA';
  if (alg.startsWith('ES')) return kty === 'EC';
  if (alg === 'EdDSA' || alg === 'Ed25519') return kty === 'OKP';
  if (alg.startsWith('HS')) return kty === 'oct';
  return false;
}

function joseCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

function invalid(reason: VerifyReason, message: string, alg: string, kid: string | undefined): SignatureReport {
  return kid === undefined ? { state: 'invalid', reason, alg, message } : { state: 'invalid', reason, alg, kid, message };
}

/** Checks the signature only (claims are findings elsewhere). Never throws for a bad signature: returns `invalid`. */
export async function verifySignature(token: string, material: KeyMaterial | undefined): Promise<SignatureReport> {
  const decoded = decodeJws(token.trim());
  const alg = decoded.header['alg'] as string;
  const kidRaw = decoded.header['kid'];
  const kid = typeof kidRaw === 'string' ? kidRaw : undefined;
  if (alg === 'none') return { state: 'unsigned', alg, message: 'alg is "none": there is no signature to verify' };
  const crit = decoded.header['crit'];
  if (crit !== undefined) {
    const names = Array.isArray(crit) ? crit : [crit];
    const unknown = names.filter((n) => typeof n !== 'string' || !UNDERSTOOD_CRIT.has(n));
    if (unknown.length > 0 || names.length === 0) {
      return invalid(
        'CRIT_UNSUPPORTED',
        `the token marks extensions as critical that are not understood (${unknown.map(String).join(', ').slice(0, 80)})`,
        alg,
        kid,
      );
    }
  }
  if (material === undefined)
    return { state: 'unverified', alg, ...(kid ? { kid } : {}), message: 'no key given: the signature was not checked' };
  if (![...ASYMMETRIC, ...HMAC].includes(alg))
    return invalid('UNSUPPORTED_ALG', `alg "${alg.slice(0, 20)}" is not supported`, alg, kid);
  const isHmac = HMAC.includes(alg);

  const attemptWith = async (key: VerifyKey): Promise<'ok' | VerifyReason> => {
    try {
      await compactVerify(token.trim(), key, { algorithms: [alg] });
      return 'ok';
    } catch (e) {
      const code = joseCode(e);
      if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return 'SIGNATURE_MISMATCH';
      if (code === 'ERR_JOSE_ALG_NOT_ALLOWED') return 'ALG_NOT_ALLOWED';
      if (code === 'ERR_JOSE_NOT_SUPPORTED') return 'UNSUPPORTED_ALG';
      if (e instanceof TypeError) return 'KEY_TYPE_MISMATCH';
      return 'SIGNATURE_MISMATCH';
    }
  };

  if (material.kind === 'secret') {
    if (!isHmac)
      return invalid('ALG_NOT_ALLOWED', `an HMAC secret cannot verify alg ${alg}: refusing (algorithm confusion)`, alg, kid);
    const r = await attemptWith(material.secret);
    return r === 'ok'
      ? { state: 'verified', alg, ...(kid ? { kid } : {}), message: 'the HMAC secret verifies the signature' }
      : invalid(r, 'the HMAC secret does not verify the signature', alg, kid);
  }

  if (material.kind === 'pem') {
    if (isHmac)
      return invalid(
        'ALG_NOT_ALLOWED',
        `a public key cannot verify the HMAC alg ${alg}: refusing (algorithm confusion)`,
        alg,
        kid,
      );
    let key: PublicKey;
    try {
      key = material.pem.includes('CERTIFICATE') ? await importX509(material.pem, alg) : await importSPKI(material.pem, alg);
    } catch {
      throw unusableKey(`the PEM does not parse as a ${alg} public key or certificate`);
    }
    const r = await attemptWith(key);
    return r === 'ok'
      ? { state: 'verified', alg, ...(kid ? { kid } : {}), message: 'the PEM key verifies the signature' }
      : invalid(r, 'the PEM key does not verify the signature', alg, kid);
  }

  const candidates = material.keys.filter(
    (k) =>
      (kid === undefined || k.kid === undefined || k.kid === kid) &&
      (k.use === undefined || k.use === 'sig') &&
      (k.alg === undefined || k.alg === alg) &&
      ktyFits(k.kty, alg),
  );
  // A kid in the token that no key carries is a clear answer: the token was not signed by these keys.
  const exact = kid === undefined ? candidates : candidates.filter((k) => k.kid === kid);
  const tryKeys = exact.length > 0 ? exact : candidates;
  if (material.pasted === true && !material.keys.some((k) => ktyFits(k.kty, alg)))
    throw unusableKey(
      `no pasted key is of the type alg ${alg} needs (${material.keys
        .map((k) => String(k.kty ?? '?').slice(0, 8))
        .slice(0, 5)
        .join(', ')})`,
    );
  if (tryKeys.length === 0) {
    return invalid('NO_MATCHING_KEY', `no key in the set fits kid ${kid ?? '(none)'} and alg ${alg}`, alg, kid);
  }
  let last: VerifyReason = 'SIGNATURE_MISMATCH';
  let imported = 0;
  for (const [i, jwk] of tryKeys.entries()) {
    let key: VerifyKey;
    try {
      key = await importJWK(jwk, alg);
      imported++;
    } catch {
      last = 'KEY_TYPE_MISMATCH';
      continue;
    }
    const r = await attemptWith(key);
    if (r === 'ok') {
      return {
        state: 'verified',
        alg,
        ...(kid ? { kid } : {}),
        keyId: jwk.kid ?? `#${i}`,
        message: `verified with key ${jwk.kid ?? `#${i}`}`,
      };
    }
    last = r;
  }
  if (imported === 0 && material.pasted === true) throw unusableKey(`the pasted JWK does not import as a ${alg} key`);
  return invalid(last, `none of the ${tryKeys.length} matching key(s) verifies the signature`, alg, kid);
}

/** The argument of the `verifyToken` contract method. */
export interface VerifyTokenRequest {
  /** A compact JWS, a `Bearer …` header, or anything `inspect` reads that holds a JWT. */
  readonly token: string;
  readonly keySource: KeySource;
  /** A token of the history: its stored value is verified (not `token`) and the outcome recorded as a `verified` event. */
  readonly tokenId?: string;
  /** Known expectations checked as findings (ISSUER_MISMATCH, AUDIENCE_MISMATCH, NONCE_MISMATCH). */
  readonly expect?: {
    readonly issuer?: string;
    readonly audience?: string;
    readonly nonce?: string;
    /** Accepted clock skew for exp / nbf / iat, seconds. */
    readonly clockSkewS?: number;
  };
}

export interface KeySourceReport {
  readonly type: KeySource['type'];
  /** The JWKS URL actually fetched (from the source or the issuer's discovery document). */
  readonly jwksUri?: string;
  readonly cache?: 'miss' | 'hit' | 'revalidated' | 'refreshed';
  readonly keyCount?: number;
}

export interface VerifyOutcome {
  readonly signature: SignatureReport;
  readonly keySource: KeySourceReport;
  /** The token's findings with the signature result and the expectations applied. */
  readonly findings: readonly import('./findings.ts').Finding[];
}

/** What a recorded check keeps of an outcome: where the key came from and which key, never the key itself. */
export function checkFacts<S extends string>(
  outcome: VerifyOutcome,
  keySource: S,
): { keySource: S; jwksUri?: string; alg?: string; kid?: string } {
  const { signature } = outcome;
  return {
    keySource,
    ...(outcome.keySource.jwksUri !== undefined ? { jwksUri: outcome.keySource.jwksUri } : {}),
    ...(signature.alg !== undefined ? { alg: signature.alg } : {}),
    ...(signature.kid !== undefined ? { kid: signature.kid } : {}),
  };
}

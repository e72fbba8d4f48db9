/** Verifies a token against the key source the user chose: resolves the keys (fetching JWKS when needed), then checks. */
import type { TokenKind } from '../../shared/model.ts';
import { TokenscopeError } from '../../shared/result.ts';
import { inspectText } from '../../shared/token/inspect.ts';
import { finding } from '../../shared/token/findings.ts';
import {
  parsePastedKey,
  secretBytes,
  verifySignature,
  type KeyMaterial,
  type KeySourceReport,
  type SignatureReport,
  type VerifyOutcome,
  type VerifyTokenRequest,
} from '../../shared/token/verify.ts';
import type { ExchangeLogger, KeyFetcher } from './key-fetcher.ts';

function compactOf(
  request: VerifyTokenRequest,
  nowMs: number,
  kind: TokenKind | undefined,
): { compact: string; findings: VerifyOutcome['findings'] } {
  const result = inspectText(request.token, {
    nowMs,
    ...(request.expect ? { expect: request.expect } : {}),
    ...(kind !== undefined ? { kind } : {}),
  });
  if (result.jwe)
    throw new TokenscopeError('ERR_NOT_SUPPORTED', 'a JWE is encrypted: Tokenscope verifies signed tokens (JWS) only');
  if (!result.jwt) throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'nothing to verify: the input holds no JWT');
  const { header, payload, signature } = result.jwt.raw;
  return { compact: `${header}.${payload}.${signature}`, findings: result.findings };
}

export interface VerifyDeps {
  readonly fetcher: KeyFetcher;
  readonly now: () => number;
  /** Where the JWKS and discovery fetches are logged (a grant's exchange log). */
  readonly log?: ExchangeLogger | undefined;
}

/**
 * Signature state plus the token's findings; fetch failures are errors (ERR_JWKS_FETCH, ERR_TIMEOUT, ...). `kind`:
 * what the token is known to be (it came in a response's id_token field), so it is judged by that profile.
 */
export async function verifyWithKeySource(
  request: VerifyTokenRequest,
  deps: VerifyDeps,
  kind?: TokenKind,
): Promise<VerifyOutcome> {
  const { compact, findings } = compactOf(request, deps.now(), kind);
  const source = request.keySource;
  let material: KeyMaterial | undefined;
  let report: KeySourceReport = { type: source.type };
  let jwksUri: string | undefined;
  switch (source.type) {
    case 'none':
      break;
    case 'key':
      material = parsePastedKey(source.key);
      break;
    case 'secret':
      if (source.secret === '') throw new TokenscopeError('ERR_INVALID_KEY', 'the HMAC secret is empty');
      material = { kind: 'secret', secret: secretBytes(source.secret, source.encoding) };
      break;
    case 'jwks-url':
      jwksUri = source.url;
      break;
    case 'issuer':
      jwksUri = await deps.fetcher.discoverJwksUri(source.issuer, deps.log);
      break;
    default:
      throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'unknown key source type');
  }
  let signature: SignatureReport;
  if (jwksUri !== undefined) {
    const fetched = await deps.fetcher.fetchJwks(jwksUri, { log: deps.log });
    signature = await verifySignature(compact, { kind: 'jwks', keys: fetched.keys });
    report = { type: source.type, jwksUri: fetched.url, cache: fetched.cache, keyCount: fetched.keys.length };
    // A cached set may predate a key rotation: refetch once when no cached key fits.
    const rotated = signature.state === 'invalid' && signature.reason === 'NO_MATCHING_KEY' && fetched.cache !== 'miss';
    if (rotated && deps.fetcher.mayForceRefetch(jwksUri)) {
      const again = await deps.fetcher.fetchJwks(jwksUri, { force: true, log: deps.log });
      signature = await verifySignature(compact, { kind: 'jwks', keys: again.keys });
      report = { type: source.type, jwksUri: again.url, cache: 'refreshed', keyCount: again.keys.length };
    }
  } else {
    signature = await verifySignature(compact, material);
    if (material?.kind === 'jwks') report = { type: source.type, keyCount: material.keys.length };
  }
  const all = [...findings];
  if (signature.state === 'invalid') {
    all.unshift(
      finding('SIGNATURE_INVALID', 'error', `the signature does not verify: ${signature.reason ?? 'invalid'}`, {
        field: 'signature',
      }),
    );
  }
  return { signature, keySource: report, findings: all };
}

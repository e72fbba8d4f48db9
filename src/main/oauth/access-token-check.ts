/**
 * The one check on receipt of a JWT from a token response (a JWT access token, RFC 9068, or an ID token, through
 * id-token-check.ts): the signature against the issuer's JWKS through the token domain's verify (main/keys), with
 * the token's profile findings. The outcome is recorded, never enforced: a token that fails is still stored,
 * because the user is debugging it.
 */
import type { AccessTokenCheck } from '../../shared/oauth.ts';
import type { FindingCode } from '../../shared/token/findings.ts';
import { TokenscopeError } from '../../shared/result.ts';
import { toAppError } from '../errors.ts';
import { checkFacts } from '../../shared/token/verify.ts';
import { verifyWithKeySource, type ExchangeLogger, type KeyFetcher } from '../keys/index.ts';

export type { AccessTokenCheck } from '../../shared/oauth.ts';

const ACCESS_TOKEN_KEY_SOURCE = 'issuer JWKS' as const;

/** A compact JWS (three segments); a JWE (five) or an opaque string is not checked. */
export function isCompactJws(value: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]*$/.test(value);
}

export interface AccessTokenCheckDeps {
  readonly fetcher: KeyFetcher;
  readonly now: () => number;
  /** Aborts the check (flow cancelled, back end closing): the promise rejects with ERR_CANCELLED. */
  readonly signal?: AbortSignal | undefined;
  /** Where the JWKS fetch is logged (the grant's exchange log). */
  readonly log?: ExchangeLogger | undefined;
}

export interface AccessTokenServer {
  readonly issuer: string;
  readonly jwks_uri?: string | undefined;
}

function cancelledBy(signal: AbortSignal): TokenscopeError {
  const reason: unknown = signal.reason;
  return reason instanceof TokenscopeError
    ? new TokenscopeError(reason.code, reason.message)
    : new TokenscopeError('ERR_CANCELLED', 'the request was cancelled');
}

/** Settles with `work`, or rejects as soon as the signal aborts (the JWKS fetch has its own timeout, not our signal). */
function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(cancelledBy(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelledBy(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** What the receiving flow knows the token must say. */
export interface ReceiptExpectations {
  readonly audience?: string | undefined;
  readonly nonce?: string | undefined;
  /** The clock skew the flow allows for exp / nbf / iat, seconds. */
  readonly clockSkewS?: number | undefined;
}

/**
 * Verifies a JWS of the given kind against the issuer's JWKS. Null for opaque (and encrypted) tokens. Never throws
 * for a bad token or an unreachable JWKS (that is `invalid` / `unverified` with a reason); only a cancel rejects.
 * `extraFindings` are the caller's own checks (an ID token's nonce, azp, at_hash), recorded with the rest.
 */
export async function checkReceivedJwt(
  token: string,
  kind: 'access_token' | 'id_token',
  as: AccessTokenServer,
  expect: ReceiptExpectations,
  deps: AccessTokenCheckDeps,
  extraFindings: readonly FindingCode[] = [],
): Promise<AccessTokenCheck | null> {
  if (!isCompactJws(token)) return null;
  const unverified = (reason: string, message: string): AccessTokenCheck => ({
    signature: 'unverified',
    reason,
    message,
    keySource: ACCESS_TOKEN_KEY_SOURCE,
    findings: [...extraFindings],
  });
  if (!as.jwks_uri) return unverified('NO_JWKS_URI', 'the server names no jwks_uri, so there is no key to check against');
  let outcome: Awaited<ReturnType<typeof verifyWithKeySource>>;
  try {
    outcome = await abortable(
      verifyWithKeySource(
        {
          token,
          keySource: { type: 'jwks-url', url: as.jwks_uri },
          expect: {
            issuer: as.issuer,
            ...(expect.audience !== undefined ? { audience: expect.audience } : {}),
            ...(expect.nonce !== undefined ? { nonce: expect.nonce } : {}),
            ...(expect.clockSkewS !== undefined ? { clockSkewS: expect.clockSkewS } : {}),
          },
        },
        { fetcher: deps.fetcher, now: deps.now, log: deps.log },
        kind,
      ),
      deps.signal,
    );
  } catch (error) {
    if (deps.signal?.aborted) throw cancelledBy(deps.signal);
    const app = toAppError(error);
    return unverified(app.code, app.message);
  }
  const { signature } = outcome;
  const findings = [...new Set([...outcome.findings.map((f) => f.code), ...extraFindings])];
  const common = { ...checkFacts(outcome, ACCESS_TOKEN_KEY_SOURCE), findings };
  switch (signature.state) {
    case 'verified':
      return { signature: 'verified', ...common };
    case 'invalid':
      return { signature: 'invalid', reason: signature.reason ?? 'SIGNATURE_MISMATCH', message: signature.message, ...common };
    case 'unsigned':
      // alg "none" from an authorization server is not a signature that could be accepted.
      return { signature: 'invalid', reason: 'UNSIGNED', message: signature.message, ...common };
    case 'unverified':
      return { signature: 'unverified', reason: 'NO_KEY', message: signature.message, ...common };
  }
}

/** A JWT access token (RFC 9068) on receipt: the audience is the resource the profile asked for. */
export function checkAccessToken(
  token: string,
  as: AccessTokenServer,
  expect: { readonly audience?: string | undefined },
  deps: AccessTokenCheckDeps,
): Promise<AccessTokenCheck | null> {
  return checkReceivedJwt(token, 'access_token', as, expect, deps);
}

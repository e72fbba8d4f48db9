/** The token endpoint, shared by every grant: the parameters a profile adds to each request, and the checks every response goes through. */
import * as oauth from 'oauth4webapi';
import type { ProfileSettings } from '../../shared/profile.ts';
import { TokenscopeError } from '../../shared/result.ts';
import type { KeyFetcher } from '../keys/index.ts';
import { checkAccessToken, type AccessTokenCheck } from './access-token-check.ts';
import { checkIdToken } from './id-token-check.ts';
import type { ServerConnection } from './authorization-server.ts';
import { withEndpointErrors } from './endpoint-errors.ts';

/** A token response that passed every check, with what was learnt on the way. */
export interface ValidatedTokenResponse {
  readonly body: oauth.TokenEndpointResponse;
  readonly idClaims: oauth.IDToken | undefined;
  /** The JWT access token's signature check (null: opaque, not checked). */
  readonly accessTokenCheck: AccessTokenCheck | null;
  /** The ID token's check on receipt (null: no ID token). */
  readonly idTokenCheck: AccessTokenCheck | null;
}

/**
 * Token endpoint parameters that come from the profile. With `withTargets`, the resource/audience (RFC 8707) of the
 * authorization parameters travel too (a new grant; a refresh or device poll repeats only the token parameters).
 */
export function tokenEndpointParams(settings: ProfileSettings, withTargets: boolean): URLSearchParams {
  const params = new URLSearchParams(settings.tokenParams);
  if (withTargets) {
    for (const key of ['resource', 'audience']) {
      const value = settings.authorizationParams[key];
      if (value && !params.has(key)) params.set(key, value);
    }
  }
  return params;
}

/** The request option that makes oauth4webapi attach a DPoP proof (RFC 9449) when the connection uses DPoP. */
export function dpopOption(connection: Pick<ServerConnection, 'dpop'>): { DPoP?: oauth.DPoPHandle } {
  return connection.dpop ? { DPoP: connection.dpop.handle } : {};
}

/**
 * oauth4webapi parses `expires_in` with parseFloat, so "2026-01-01T00:00:00Z" would pass as 2026 seconds.
 * RFC 6749 §5.1 says a number; a string of digits is tolerated (common in the wild), anything else is refused.
 */
async function checkExpiresIn(response: Response): Promise<void> {
  if (response.status !== 200) return;
  let body: unknown;
  try {
    body = JSON.parse(await response.clone().text());
  } catch {
    return; // oauth4webapi reports the unparseable body with its own code
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  const expiresIn = (body as Record<string, unknown>)['expires_in'];
  if (expiresIn === undefined) return;
  const valid =
    (typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn >= 0) ||
    (typeof expiresIn === 'string' && /^\d{1,10}$/.test(expiresIn));
  if (!valid) {
    throw new TokenscopeError('ERR_INVALID_RESPONSE', '"expires_in" in the token response is not a number of seconds', {
      field: 'expires_in',
    });
  }
}

/** The audience a JWT access token should carry: the resource (RFC 8707) or audience the profile asks for. */
function expectedAudience(settings: ProfileSettings): string | undefined {
  const { tokenParams, authorizationParams } = settings;
  return tokenParams['resource'] ?? authorizationParams['resource'] ?? tokenParams['audience'] ?? authorizationParams['audience'];
}

interface TokenResponseOptions {
  /** Device polling reads authorization_pending and Retry-After from the library's errors, so they pass through unmapped. */
  readonly keepLibraryErrors?: boolean;
  /** What the ID token must match: the authorization request's nonce and the code it answered (code flow only). */
  readonly idToken?: { readonly nonce?: string | undefined; readonly code?: string | undefined };
  /** The audience the access token is for when the request named its own (a token exchange), not the profile's. */
  readonly audience?: string | undefined;
}

export type TokenResponseReader = ReturnType<typeof createTokenResponseReader>;

export function createTokenResponseReader(deps: { readonly keyFetcher: KeyFetcher; readonly now: () => number }) {
  return {
    /**
     * Checks a token response: `expires_in` is a number, the grant's own processing (`process`), and the ID token
     * and the JWT access token on receipt (recorded, never enforced: a bad one is still stored, flagged).
     */
    async read(
      connection: ServerConnection,
      response: Response,
      process: (response: Response) => Promise<oauth.TokenEndpointResponse>,
      options: TokenResponseOptions = {},
    ): Promise<ValidatedTokenResponse> {
      const { server, profile, http } = connection;
      await checkExpiresIn(response);
      const body = options.keepLibraryErrors
        ? await process(response)
        : await withEndpointErrors('token', () => process(response));
      const idClaims = oauth.getValidatedIdTokenClaims(body);
      const checkDeps = { fetcher: deps.keyFetcher, now: deps.now, signal: http.signal, log: http.record };
      // The ID token's signature is recorded, not enforced (oauth4webapi has checked its claims): a tampered one is
      // kept and flagged, because the user is debugging it.
      const idTokenCheck = body.id_token
        ? await checkIdToken(
            body.id_token,
            server,
            {
              clientId: profile.settings.clientId,
              nonce: options.idToken?.nonce,
              code: options.idToken?.code,
              accessToken: body.access_token,
            },
            checkDeps,
          )
        : null;
      const accessTokenCheck = await checkAccessToken(
        body.access_token,
        server,
        { audience: options.audience ?? expectedAudience(profile.settings) },
        checkDeps,
      );
      return { body, idClaims, accessTokenCheck, idTokenCheck };
    },
  };
}

/**
 * What can be done with a stored token at its server: refresh its grant, revoke it (RFC 7009), introspect it
 * (RFC 7662), call userinfo with it; with DPoP proofs (RFC 9449) where the profile or the token's binding asks.
 */
import * as oauth from 'oauth4webapi';
import type { GrantResult, IntrospectionResult, RevokeResult, TokenBinding, UserinfoResult } from '../../shared/oauth.ts';
import { TokenscopeError } from '../../shared/result.ts';
import type { ServerConnection } from './authorization-server.ts';
import { withDpopNonceRetry, type DpopBinding } from './dpop.ts';
import { withEndpointErrors } from './endpoint-errors.ts';
import { askedBy } from './exchange-step.ts';
import type { ExchangeRecorder } from './exchange-recorder.ts';
import type { GrantDeps } from './obtain.ts';
import type { RequestOptions } from './server-metadata.ts';
import type { ServiceLifecycle } from './service-lifecycle.ts';
import type { OAuthStore } from './store-port.ts';
import { loadProfile } from './profiles.ts';
import { bindingOf } from './token-binding.ts';
import { dpopOption, tokenEndpointParams, type ValidatedTokenResponse } from './token-endpoint.ts';
import { introspectionView } from '../../shared/token/introspection.ts';

interface TokenActionsDeps extends GrantDeps {
  readonly store: OAuthStore;
  readonly lifecycle: ServiceLifecycle;
  readonly recorder: ExchangeRecorder;
  readonly tokensChanged: (ids: readonly string[]) => void;
  readonly grantChanged: (grantId: string) => void;
  /** The clock (introspection times are told relative to it). */
  readonly now: () => number;
}

/** A token of the history with its value. */
interface HistoryToken {
  readonly id: string;
  readonly kind: string;
  readonly grantId: string | null;
  readonly profileId: string | null;
  readonly value: string;
}

const MISSING_ENDPOINT = {
  revocation_endpoint: 'the server has no revocation endpoint (RFC 7009)',
  introspection_endpoint: 'the server has no introspection endpoint (RFC 7662)',
  userinfo_endpoint: 'the server has no userinfo endpoint',
} as const;

/** The request options with the token_type_hint (RFC 7009 §2.1) for the kinds the RFCs name. */
function withTokenTypeHint(options: RequestOptions, kind: string) {
  const hint = kind === 'access_token' || kind === 'refresh_token' ? kind : undefined;
  return { ...options, ...(hint ? { additionalParameters: { token_type_hint: hint } } : {}) };
}

export function createTokenActions(deps: TokenActionsDeps) {
  const { store, lifecycle, tokensChanged } = deps;
  /** Per grant: the refresh running now (two clicks at once send one request). */
  const refreshesInFlight = new Map<string, Promise<GrantResult>>();

  function loadToken(tokenId: string): HistoryToken {
    const summary = store.getTokenSummary(tokenId);
    if (!summary) throw new TokenscopeError('ERR_NOT_FOUND', 'no such token in the history');
    const { id, kind, grantId, profileId } = summary;
    return { id, kind, grantId, profileId, value: store.getTokenValue(id) };
  }

  /** The profile the token was obtained through (directly, or through its grant): it says which server to ask. */
  function profileIdOf(token: HistoryToken): string {
    const profileId = token.profileId ?? (token.grantId ? store.getGrantSummary(token.grantId)?.profileId : null);
    if (!profileId)
      throw new TokenscopeError(
        'ERR_NOT_SUPPORTED',
        'this token was not obtained through a profile, so Tokenscope does not know its server',
      );
    return profileId;
  }

  /** A connection to the token's server, its exchanges logged with `loggedAs` (token and grant). */
  async function connectFor(
    token: HistoryToken,
    loggedAs: { grantId: string | null; tokenId: string },
  ): Promise<ServerConnection> {
    const profile = await deps.demo.readyProfile(profileIdOf(token));
    return deps.servers.connect(profile, deps.recorder.forAction(loggedAs));
  }

  /** The token's binding (token-binding.ts), against the DPoP key of its profile. */
  function bindingOfToken(token: HistoryToken): TokenBinding {
    const profileId = token.profileId ?? (token.grantId ? store.getGrantSummary(token.grantId)?.profileId : null);
    const profile = profileId && store.getProfile(profileId) ? loadProfile(store, profileId) : null;
    return bindingOf(store, token, profile?.settings.dpopJkt ?? null);
  }

  /**
   * The DPoP handle a request with this token needs: the profile's when it uses DPoP, or its key's when the token
   * is bound to it (DPoP turned off since); refused when the token is bound to a key Tokenscope does not hold.
   */
  async function dpopFor(connection: ServerConnection, token: HistoryToken): Promise<DpopBinding | undefined> {
    const binding = bindingOfToken(token);
    if (binding.kind !== 'dpop') return connection.dpop;
    if (binding.matchesProfileKey !== true) throw new TokenscopeError('ERR_NOT_SUPPORTED', `the token is ${binding.summary}`);
    return connection.dpop ?? (await deps.servers.dpopKeyOf(connection.profile));
  }

  /** A connection to the token's server for one of its endpoints, refused when the server has none. */
  async function connectAt(token: HistoryToken, endpoint: keyof typeof MISSING_ENDPOINT): Promise<ServerConnection> {
    const connection = await connectFor(token, { grantId: token.grantId, tokenId: token.id });
    if (!connection.server[endpoint]) throw new TokenscopeError('ERR_NOT_SUPPORTED', MISSING_ENDPOINT[endpoint]);
    return connection;
  }

  /** The grant's usable refresh token: the token asked about when it is an active refresh token, else the grant's active one. */
  function usableRefreshToken(grantId: string, token: HistoryToken): { id: string; value: string } | null {
    if (token.kind === 'refresh_token' && store.getTokenSummary(token.id)?.status === 'active')
      return { id: token.id, value: token.value };
    const candidate = store.getGrantTokens(grantId).find((t) => t.kind === 'refresh_token' && t.status === 'active');
    return candidate ? { id: candidate.id, value: store.getTokenValue(candidate.id) } : null;
  }

  /** One refresh_token grant request; refused by the server (invalid_grant), the grant is dead and its refresh token inactive. */
  async function refreshGrant(grantId: string, token: HistoryToken, automatic: boolean): Promise<GrantResult> {
    const grant = store.getGrantSummary(grantId);
    if (grant?.state === 'dead') {
      throw new TokenscopeError(
        'ERR_INVALID_GRANT',
        `the grant is dead (${grant.deadReason ?? 'refused by the server'}): sign in again`,
      );
    }
    const refresh = usableRefreshToken(grantId, token);
    if (!refresh) throw new TokenscopeError('ERR_NOT_SUPPORTED', 'this grant has no usable refresh token');
    const connected = await connectFor(token, { grantId, tokenId: refresh.id });
    const refreshSummary = store.getTokenSummary(refresh.id);
    // A DPoP-bound refresh token (a public client's, RFC 9449 §5) needs a proof of its key, DPoP on or not.
    const dpop = await dpopFor(connected, {
      ...token,
      id: refresh.id,
      kind: refreshSummary?.kind ?? 'refresh_token',
      value: refresh.value,
    });
    const connection: ServerConnection = { ...connected, dpop };
    const { server, client, clientAuth, requestOptions, profile } = connection;
    let tokens: ValidatedTokenResponse;
    try {
      tokens = await withDpopNonceRetry(dpop, async () => {
        const response = await withEndpointErrors('token', () =>
          oauth.refreshTokenGrantRequest(server, client, clientAuth, refresh.value, {
            ...requestOptions,
            ...dpopOption(connection),
            additionalParameters: tokenEndpointParams(profile.settings, false),
          }),
        );
        return deps.tokenResponses.read(connection, response, (r) => oauth.processRefreshTokenResponse(server, client, r));
      });
    } catch (error) {
      if (error instanceof TokenscopeError && error.code === 'ERR_INVALID_GRANT' && !lifecycle.closing) {
        // What the server said stands, import or not: written when the history is free.
        await store.writeWhenWritable(() => {
          store.markGrantDead(grantId, error.message);
          store.setTokenStatus(refresh.id, 'inactive');
        });
        tokensChanged([refresh.id]);
        deps.grantChanged(grantId);
      }
      throw error;
    }
    // RFC 6749 §6: no refresh_token in the response means the old one stays valid.
    const rotated = tokens.body.refresh_token !== undefined && tokens.body.refresh_token !== refresh.value;
    const result = await deps.obtain({
      connection,
      grantType: 'refresh_token',
      response: tokens,
      grant: { id: grantId, scopes: grant?.scopes },
      ...(automatic ? { automatic } : {}),
      // The old refresh token's new status lands with the new tokens or not at all.
      alongside(saved) {
        if (rotated) {
          store.setTokenStatus(refresh.id, 'superseded');
          const by = saved.tokens.find((t) => t.kind === 'refresh_token')?.id ?? null;
          store.addEvent({ tokenId: refresh.id, grantId, type: 'rotated', detail: { by } });
        }
        const newTokenIds = saved.tokens.map((t) => t.id);
        store.addEvent({
          tokenId: refresh.id,
          grantId,
          type: 'refreshed',
          detail: { newTokenIds, ...(automatic ? { by: 'auto-refresh' as const } : {}) },
        });
        return rotated ? [refresh.id] : [];
      },
    });
    return rotated ? { ...result, supersededTokenId: refresh.id } : result;
  }

  /** `automatic`: the profile's auto-refresh asks (its issuance and events say so), not a person. */
  async function refreshToken(arg: { tokenId: string }, automatic = false): Promise<GrantResult> {
    const token = loadToken(arg?.tokenId);
    if (!token.grantId)
      throw new TokenscopeError('ERR_NOT_SUPPORTED', 'this token belongs to no grant, so there is nothing to refresh');
    const grantId = token.grantId;
    // The second caller gets the first one's outcome.
    const running = refreshesInFlight.get(grantId);
    if (running) return running;
    // Its requests (discovery, the token request, a JWKS fetch) are logged as the auto-refresh's, not a person's.
    const refresh = (): Promise<GrantResult> => refreshGrant(grantId, token, automatic);
    const work = (automatic ? askedBy('auto-refresh', refresh) : refresh()).finally(() => refreshesInFlight.delete(grantId));
    refreshesInFlight.set(grantId, work);
    return work;
  }

  async function revokeToken(arg: { tokenId: string }): Promise<RevokeResult> {
    const token = loadToken(arg?.tokenId);
    const { server, client, clientAuth, requestOptions } = await connectAt(token, 'revocation_endpoint');
    const response = await withEndpointErrors('revocation', () =>
      oauth.revocationRequest(server, client, clientAuth, token.value, withTokenTypeHint(requestOptions, token.kind)),
    );
    if (response.status === 503) {
      throw new TokenscopeError(
        'ERR_REVOCATION',
        'the server is unavailable (HTTP 503): the token was not revoked and may still be valid',
        { status: 503 },
      );
    }
    await withEndpointErrors('revocation', () => oauth.processRevocationResponse(response));
    lifecycle.ensureOpen();
    // Revoked at the server: recorded even while an import holds the history (as soon as it ends), never refused.
    await store.writeWhenWritable(() => {
      store.setTokenStatus(token.id, 'revoked');
      store.addEvent({ tokenId: token.id, grantId: token.grantId, type: 'revoked', detail: { issuer: server.issuer } });
      // Without its refresh token the grant cannot be refreshed any more.
      if (token.kind === 'refresh_token' && token.grantId) store.markGrantDead(token.grantId, 'the refresh token was revoked');
    });
    tokensChanged([token.id]);
    if (token.grantId) deps.grantChanged(token.grantId);
    return { tokenId: token.id, revoked: true };
  }

  async function introspectToken(arg: { tokenId: string }): Promise<IntrospectionResult> {
    const token = loadToken(arg?.tokenId);
    const { server, client, clientAuth, requestOptions } = await connectAt(token, 'introspection_endpoint');
    const response = await withEndpointErrors('introspection', () =>
      oauth.introspectionRequest(server, client, clientAuth, token.value, withTokenTypeHint(requestOptions, token.kind)),
    );
    const claims = await withEndpointErrors('introspection', () => oauth.processIntrospectionResponse(server, client, response));
    lifecycle.ensureOpen();
    const { active } = claims;
    const cnf = claims.cnf as Record<string, unknown> | undefined;
    const cnfJkt = typeof cnf?.['jkt'] === 'string' ? cnf['jkt'].slice(0, 100) : undefined;
    const deactivated = await store.writeWhenWritable(() => {
      const wasActive = store.getTokenSummary(token.id)?.status === 'active';
      if (!active && wasActive) store.setTokenStatus(token.id, 'inactive');
      store.addEvent({
        tokenId: token.id,
        grantId: token.grantId,
        type: 'introspected',
        detail: { active, ...(cnfJkt ? { cnfJkt } : {}) },
      });
      return !active && wasActive;
    });
    if (deactivated) tokensChanged([token.id]);
    return {
      tokenId: token.id,
      active,
      claims: { ...claims },
      ...introspectionView(claims, deps.now()),
      binding: bindingOfToken(token),
    };
  }

  async function userinfo(arg: { tokenId: string }): Promise<UserinfoResult> {
    const token = loadToken(arg?.tokenId);
    if (token.kind !== 'access_token') throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'userinfo takes an access token');
    const connection = await connectAt(token, 'userinfo_endpoint');
    const { server, client, requestOptions } = connection;
    // A DPoP-bound access token goes with a proof carrying its ath (RFC 9449 §7); a bearer one without.
    const dpop = bindingOfToken(token).kind === 'dpop' ? await dpopFor(connection, token) : undefined;
    // The subject must match the grant's ID token when there is one (OpenID Connect Core §5.3.4).
    let expectedSubject: string | typeof oauth.skipSubjectCheck = oauth.skipSubjectCheck;
    if (token.grantId) {
      const idToken = store.getGrantTokens(token.grantId).find((t) => t.kind === 'id_token' && t.subject);
      if (idToken?.subject) expectedSubject = idToken.subject;
    }
    const claims = await withDpopNonceRetry(dpop, async () => {
      const response = await withEndpointErrors('userinfo', () =>
        oauth.userInfoRequest(server, client, token.value, { ...requestOptions, ...(dpop ? { DPoP: dpop.handle } : {}) }),
      );
      return withEndpointErrors('userinfo', () => oauth.processUserInfoResponse(server, client, expectedSubject, response));
    });
    return { tokenId: token.id, claims: { ...claims } };
  }

  function tokenBinding(arg: { tokenId: string }): TokenBinding {
    return bindingOfToken(loadToken(arg?.tokenId));
  }

  /** For a call to an API: the token's binding, and the DPoP handle for its proofs when it is bound to its profile's key. */
  async function resourceProof(tokenId: string): Promise<{ binding: TokenBinding; dpop: DpopBinding | undefined }> {
    const token = loadToken(tokenId);
    const binding = bindingOfToken(token);
    if (binding.kind !== 'dpop' || binding.matchesProfileKey !== true) return { binding, dpop: undefined };
    const profile = loadProfile(store, profileIdOf(token));
    return { binding, dpop: await deps.servers.dpopKeyOf(profile) };
  }

  return { refreshToken, revokeToken, introspectToken, userinfo, tokenBinding, resourceProof };
}

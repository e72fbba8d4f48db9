/**
 * Sign-in through the system browser (RFC 8252): authorization code with PKCE S256, state and (for OpenID) nonce,
 * the request pushed first (PAR, RFC 9126) as the profile's `par` says (auto: when the server advertises it), the
 * tokens bound to the profile's DPoP key when it uses DPoP (RFC 9449), and the code taken once on a loopback
 * redirect listener.
 */
import * as oauth from 'oauth4webapi';
import type { ProfileSettings } from '../../shared/profile.ts';
import type { LoginStart } from '../../shared/oauth.ts';
import { TokenscopeError, type AppError } from '../../shared/result.ts';
import { toAppError } from '../errors.ts';
import type { Platform } from '../platform.ts';
import type { ServerConnection } from './authorization-server.ts';
import { withEndpointErrors } from './endpoint-errors.ts';
import { errorWithFlowId, type Flow, type FlowRegistry } from './flow-registry.ts';
import type { ExchangeRecord } from './http-exchange.ts';
import { listenLoopback, type CallbackPage, type LoopbackListener } from './loopback-redirect.ts';
import { maskUrl } from './mask.ts';
import type { GrantDeps } from './obtain.ts';
import { dpopOption, tokenEndpointParams } from './token-endpoint.ts';
import { withDpopNonceRetry } from './dpop.ts';

interface CodeFlowDeps extends GrantDeps {
  readonly platform: Platform;
  readonly flows: FlowRegistry;
  readonly flowTimeoutMs: number;
}

/** The single-use values of one authorization request: PKCE verifier, state, and the nonce when OpenID is asked for. */
interface AuthorizationRequest {
  readonly codeVerifier: string;
  readonly state: string;
  readonly nonce: string | undefined;
}

function newAuthorizationRequest(settings: ProfileSettings): AuthorizationRequest {
  const wantsOpenid = settings.scope.split(' ').includes('openid');
  return {
    codeVerifier: oauth.generateRandomCodeVerifier(),
    state: oauth.generateRandomState(),
    nonce: wantsOpenid ? oauth.generateRandomNonce() : undefined,
  };
}

/** The page the browser is shown when the callback fails. */
function errorPage(error: AppError): CallbackPage {
  const titles: Partial<Record<AppError['code'], string>> = {
    ERR_AUTHORIZATION_DENIED: 'Access was denied',
    ERR_STATE_MISMATCH: 'This sign-in response was not expected',
    ERR_ISSUER_MISMATCH: 'The response came from an unexpected issuer',
    ERR_CANCELLED: 'The sign-in was cancelled',
  };
  return { status: 400, ok: false, title: titles[error.code] ?? 'Sign-in failed', message: error.message, code: error.code };
}

/** The redirect itself as an exchange of the flow's log (its code masked). */
function callbackExchange(url: URL, page: CallbackPage, startedAtMs: number, durationMs: number): ExchangeRecord {
  return {
    method: 'GET',
    url: maskUrl(url.toString()),
    status: page.status,
    requestHeaders: {},
    requestBody: '',
    responseHeaders: { 'content-type': 'text/html; charset=utf-8' },
    responseBody: `${page.title}: ${page.message}`,
    durationMs,
    startedAtMs,
    step: 'callback',
  };
}

/** The authorization request the browser is sent to, as the first step of the grant's log (what the browser then does, Tokenscope does not see). */
function authorizationExchange(url: string, startedAtMs: number): ExchangeRecord {
  return {
    method: 'GET',
    url,
    status: null,
    requestHeaders: {},
    requestBody: '',
    responseHeaders: {},
    responseBody: '',
    durationMs: 0,
    startedAtMs,
    step: 'authorization',
  };
}

/** Whether to push the authorization request (PAR, RFC 9126), by the profile's `par` and what the server says; refused when they cannot agree. */
export function parDecision(server: oauth.AuthorizationServer, settings: ProfileSettings): { pushed: boolean; why: string } {
  const advertised = typeof server.pushed_authorization_request_endpoint === 'string';
  const required = server.require_pushed_authorization_requests === true;
  switch (settings.par) {
    case 'always':
      if (!advertised)
        throw new TokenscopeError(
          'ERR_NOT_SUPPORTED',
          "the profile's PAR setting is always, but the server advertises no pushed_authorization_request_endpoint (RFC 9126): set PAR to auto or never",
        );
      return { pushed: true, why: 'pushed first (PAR): the profile says always' };
    case 'never':
      if (required)
        return {
          pushed: true,
          why: 'pushed first (PAR) although the profile says never: the server requires it (require_pushed_authorization_requests)',
        };
      return {
        pushed: false,
        why: advertised
          ? 'sent in the browser URL: the server offers PAR, but the profile says never'
          : 'sent in the browser URL: the profile says never',
      };
    case 'auto':
      if (required) return { pushed: true, why: 'pushed first (PAR): the server requires it' };
      return advertised
        ? { pushed: true, why: 'pushed first (PAR): the server advertises a pushed authorization request endpoint' }
        : { pushed: false, why: 'sent in the browser URL: the server advertises no PAR endpoint' };
  }
}

/** The URL the browser opens: the parameters pushed first (PAR) or carried in the query. */
async function authorizationUrlFor(
  connection: ServerConnection,
  request: AuthorizationRequest,
  authorizationEndpoint: string,
  redirectUri: string,
  pushed: boolean,
): Promise<string> {
  const { server, client, clientAuth, requestOptions, profile, dpop } = connection;
  const { settings } = profile;
  const params = new URLSearchParams(settings.authorizationParams);
  params.set('client_id', settings.clientId);
  params.set('redirect_uri', redirectUri);
  params.set('response_type', 'code');
  if (settings.scope) params.set('scope', settings.scope);
  params.set('state', request.state);
  params.set('code_challenge', await oauth.calculatePKCECodeChallenge(request.codeVerifier));
  params.set('code_challenge_method', 'S256');
  if (request.nonce) params.set('nonce', request.nonce);
  const url = new URL(authorizationEndpoint);
  if (pushed) {
    // With DPoP the push carries a proof: the server binds the code to that key (RFC 9449 §10.1).
    const response = await withDpopNonceRetry(dpop, () =>
      withEndpointErrors('par', async () =>
        oauth.processPushedAuthorizationResponse(
          server,
          client,
          await oauth.pushedAuthorizationRequest(server, client, clientAuth, params, {
            ...requestOptions,
            ...(dpop ? { DPoP: dpop.handle } : {}),
          }),
        ),
      ),
    );
    url.searchParams.set('client_id', settings.clientId);
    url.searchParams.set('request_uri', response.request_uri);
  } else {
    // In the front channel the code is bound to the DPoP key by its thumbprint (RFC 9449 §10).
    if (dpop) params.set('dpop_jkt', dpop.jkt);
    for (const [key, value] of params) url.searchParams.set(key, value);
  }
  return url.toString();
}

export function createCodeFlow(deps: CodeFlowDeps) {
  const { platform, flows } = deps;

  /** Handles the browser's callback once: checks it, exchanges the code, stores the tokens; each call is logged with the flow. */
  function callbackHandler(
    flow: Flow,
    connection: ServerConnection,
    request: AuthorizationRequest,
    redirectUri: () => string,
  ): (url: URL) => Promise<CallbackPage> {
    const { server, client, clientAuth, requestOptions, profile } = connection;
    let callbackTaken = false;

    /** `log` writes the callback's own exchange; on success it is called inside the tokens' transaction (one commit). */
    async function exchangeCode(url: URL, log: (page: CallbackPage) => void): Promise<CallbackPage> {
      if (callbackTaken || flows.isFinished(flow)) {
        // state is single-use: a second callback is refused and sends nothing to the server.
        return errorPage({ code: 'ERR_STATE_MISMATCH', message: 'this sign-in response was already used' });
      }
      const params = url.searchParams;
      if (params.get('state') !== request.state) {
        // A stray request (another tab, a prefetch, a local page probing ports) must not end the sign-in:
        // it is answered 400 and logged, and the listener keeps waiting for the callback with this flow's state.
        return errorPage({
          code: 'ERR_STATE_MISMATCH',
          message: 'this response does not carry the state of the sign-in in progress; that sign-in is still waiting',
        });
      }
      callbackTaken = true;
      flows.progress(flow, { state: 'callback-received' });
      try {
        if (params.has('access_token') || params.has('id_token') || params.has('token')) {
          throw new TokenscopeError(
            'ERR_AUTHORIZATION_RESPONSE',
            'the callback carries tokens (implicit or hybrid flow), which is not accepted',
          );
        }
        const validated = await withEndpointErrors('authorization-response', () =>
          oauth.validateAuthResponse(server, client, params, request.state),
        );
        flows.progress(flow, { state: 'exchanging' });
        const tokens = await withDpopNonceRetry(connection.dpop, async () => {
          const response = await withEndpointErrors('token', () =>
            oauth.authorizationCodeGrantRequest(server, client, clientAuth, validated, redirectUri(), request.codeVerifier, {
              ...requestOptions,
              ...dpopOption(connection),
              additionalParameters: tokenEndpointParams(profile.settings, true),
            }),
          );
          return deps.tokenResponses.read(
            connection,
            response,
            (r) =>
              oauth.processAuthorizationCodeResponse(server, client, r, {
                ...(request.nonce ? { expectedNonce: request.nonce, requireIdToken: true } : {}),
              }),
            { idToken: { nonce: request.nonce, code: validated.get('code') ?? undefined } },
          );
        });
        const signedIn = (count: number): CallbackPage => ({
          status: 200,
          ok: true,
          title: 'Signed in',
          message: `Tokenscope received ${count} token(s) from ${server.issuer}.`,
        });
        const result = deps.obtain({
          connection,
          grantType: 'authorization_code',
          response: tokens,
          flow,
          alongside: (saved) => {
            log(signedIn(saved.tokens.length));
            return [];
          },
        });
        return signedIn(result.tokens.length);
      } catch (error) {
        flows.fail(flow, error);
        return errorPage(toAppError(error));
      }
    }

    return async (url) => {
      const startedAtMs = platform.now();
      const started = performance.now();
      const log = (page: CallbackPage): void =>
        flow.exchanges.record(callbackExchange(url, page, startedAtMs, Math.round(performance.now() - started)));
      const page = await exchangeCode(url, log);
      // A success was logged with the tokens; a failure (also one after that write rolled back) is logged now.
      if (!page.ok) log(page);
      return page;
    };
  }

  async function startLogin(arg: { profileId: string }): Promise<LoginStart> {
    const profile = await deps.demo.readyProfile(arg?.profileId);
    const { settings } = profile;
    const flow = flows.start('authorization_code', profile.id);
    try {
      const connection = await deps.servers.connect(profile, flow.http);
      const authorizationEndpoint = connection.server.authorization_endpoint;
      if (!authorizationEndpoint) throw new TokenscopeError('ERR_NOT_SUPPORTED', 'the server has no authorization endpoint');
      const methods = connection.server.code_challenge_methods_supported;
      if (Array.isArray(methods) && !methods.includes('S256')) {
        throw new TokenscopeError('ERR_NOT_SUPPORTED', 'the server does not offer PKCE with S256, which Tokenscope always uses');
      }
      const par = parDecision(connection.server, settings);
      const request = newAuthorizationRequest(settings);
      const listener: LoopbackListener = await listenLoopback({
        host: settings.redirectHost,
        port: settings.redirectPort,
        onCallback: callbackHandler(flow, connection, request, () => listener.redirectUri),
      });
      flow.listener = listener;
      const { redirectUri } = listener;
      const url = await authorizationUrlFor(connection, request, authorizationEndpoint, redirectUri, par.pushed);
      flow.exchanges.record(authorizationExchange(url, platform.now()));
      flows.progress(flow, { state: 'waiting-for-browser', detail: { authorizationUrl: url, redirectUri } });
      // A failing opener is not fatal: the URL is returned for the user to open by hand.
      const browserOpened = await Promise.resolve()
        .then(() => platform.openExternal(url))
        .then(
          () => true,
          () => false,
        );
      return {
        flowId: flow.id,
        authorizationUrl: url,
        redirectUri,
        expiresAtMs: platform.now() + deps.flowTimeoutMs,
        browserOpened,
        par,
        ...(connection.dpop ? { dpopJkt: connection.dpop.jkt } : {}),
      };
    } catch (error) {
      flows.fail(flow, error);
      throw errorWithFlowId(error, flow.id);
    }
  }

  return { startLogin };
}

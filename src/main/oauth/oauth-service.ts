/** The OAuth side of the back end: profiles, the flows (code + PKCE, device, client credentials) and the token actions, all through oauth4webapi. */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import * as oauth from 'oauth4webapi';
import type { FlowProgressEvent, TokenscopeEvent } from '../../shared/api.ts';

/** A flow-progress event as the flow produces it (the service adds the type and the flow id). */
type FlowStep = FlowProgressEvent extends infer E ? (E extends FlowProgressEvent ? Omit<E, 'type' | 'flowId'> : never) : never;
import { normalizeProfileSettings, type ProfileInput, type ProfileSettings, type ProfileView } from '../../shared/profile.ts';
import type {
  DemoIssuerInfo,
  DeviceFlowStart,
  DiscoveryResult,
  ExchangeQuery,
  FlowState,
  FlowStatus,
  GrantResult,
  HttpExchange,
  IntrospectionResult,
  LoginStart,
  RevokeResult,
  UserinfoResult,
} from '../../shared/oauth.ts';
import { TokenscopeError, toAppError, type AppError } from '../../shared/result.ts';
import type { Platform } from '../platform.ts';
import { KeyFetcher, keyFetcherFor } from '../keys/index.ts';
import { checkAccessToken, type AccessTokenCheck } from './access-token-check.ts';
import { DEFAULT_REQUEST_TIMEOUT_MS, type ExchangeRecord, type HttpContext } from './http-exchange.ts';
import { maskUrl } from './mask.ts';
import { listenLoopback, type CallbackPage, type LoopbackListener } from './loopback-redirect.ts';
import { clientAuthOf, clientOf, discover, manualServer, requestOptions, step } from './server-metadata.ts';
import type { OAuthStore } from './store-port.ts';
import { listProfileViews, loadProfile, saveProfile, type LoadedProfile } from './profiles.ts';
import { seedDemoProfile, syncDemoProfiles, type DemoIssuerHandle } from './demo-profiles.ts';
import { checkTokenResponseBody, persistTokenResponse } from './token-response.ts';
import { pollDeviceToken } from './device-polling.ts';

export type { DemoIssuerHandle, DemoProfileSpec } from './demo-profiles.ts';

export const DEFAULT_FLOW_TIMEOUT_MS = 5 * 60_000;
/** RFC 8628 §3.2: poll every 5 s when the server names no interval; slow_down adds 5 s for good (§3.5). */
export const DEFAULT_DEVICE_INTERVAL_S = 5;
const METADATA_TTL_MS = 5 * 60_000;

export interface OAuthServiceOptions {
  readonly platform: Platform;
  readonly store: OAuthStore;
  readonly emit: (event: TokenscopeEvent) => void;
  readonly requestTimeoutMs?: number;
  readonly flowTimeoutMs?: number;
  /** Tests replace fetch to serve malformed responses. */
  readonly fetchImpl?: typeof fetch;
  /** Starts the demo issuer; defaults to the embedded oidc-provider. */
  readonly startDemoIssuer?: () => Promise<DemoIssuerHandle>;
}

interface Flow {
  readonly id: string;
  readonly kind: FlowStatus['kind'];
  readonly profileId: string;
  state: FlowState;
  readonly abort: AbortController;
  timer?: NodeJS.Timeout;
  listener?: LoopbackListener;
  error?: AppError;
  result?: GrantResult;
  /** Exchanges logged before the grant exists; written with the grant id once it does. */
  readonly exchanges: ExchangeRecord[];
}

const FINISHED: readonly FlowState[] = ['done', 'failed', 'cancelled'];

function escapeForPage(error: AppError): CallbackPage {
  const titles: Partial<Record<AppError['code'], string>> = {
    ERR_AUTHORIZATION_DENIED: 'Access was denied',
    ERR_STATE_MISMATCH: 'This sign-in response was not expected',
    ERR_ISSUER_MISMATCH: 'The response came from an unexpected issuer',
    ERR_CANCELLED: 'The sign-in was cancelled',
  };
  return { status: 400, ok: false, title: titles[error.code] ?? 'Sign-in failed', message: error.message, code: error.code };
}

export type OAuthService = ReturnType<typeof createOAuthService>;

export function createOAuthService(options: OAuthServiceOptions) {
  const { platform, store, emit } = options;
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const flowTimeoutMs = options.flowTimeoutMs ?? DEFAULT_FLOW_TIMEOUT_MS;
  const flows = new Map<string, Flow>();
  const refreshes = new Map<string, Promise<GrantResult>>();
  const metadataCache = new Map<string, { as: oauth.AuthorizationServer; atMs: number }>();
  let demo: Promise<DemoIssuerHandle> | undefined;
  let closed = false;
  /** Set once close() has returned: nothing may touch the store after that (the caller closes it next). */
  let released = false;
  /** Aborted by close(): every request outside a flow listens to it (flows have their own controller). */
  const shutdown = new AbortController();
  /** Actions running now (refresh, revoke, introspect, userinfo, client credentials, discover): close() waits for them. */
  const inFlight = new Set<Promise<unknown>>();
  // Tests that replace fetch get it for the issuer's JWKS too; otherwise the token domain's shared key cache.
  const keyFetcher = options.fetchImpl
    ? new KeyFetcher({ now: () => platform.now(), fetch: options.fetchImpl })
    : keyFetcherFor(platform);
  /** Per grant: the timer of the next automatic refresh (profiles with autoRefresh on). */
  const autoRefreshTimers = new Map<string, { readonly timer: NodeJS.Timeout; readonly profileId: string }>();

  // ── plumbing ──

  function writeExchange(
    exchange: ExchangeRecord,
    link: { grantId?: string | null; flowId?: string | null; tokenId?: string | null },
  ): void {
    if (released) return;
    try {
      const { failure: _failure, ...rest } = exchange;
      store.addExchange({ ...rest, grantId: link.grantId ?? null, flowId: link.flowId ?? null, tokenId: link.tokenId ?? null });
    } catch {
      // The log must never break a flow; a store failure shows up on the next real store call anyway.
    }
  }

  function httpFor(record: (exchange: ExchangeRecord) => void, signal?: AbortSignal): HttpContext {
    return {
      timeoutMs: requestTimeoutMs,
      record,
      now: () => platform.now(),
      ...(signal ? { signal } : {}),
      ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
    };
  }

  /** An action outside a flow: its exchanges are written at once, linked to the token and grant; close() aborts it. */
  function actionHttp(link: { grantId?: string | null; tokenId?: string | null }): HttpContext {
    return httpFor((exchange) => writeExchange(exchange, link), shutdown.signal);
  }

  /** Runs an action so that close() can abort it and wait for it to settle; refused once closing. */
  function track<T>(work: () => Promise<T>): Promise<T> {
    if (closed) return Promise.reject(new TokenscopeError('ERR_UNAVAILABLE', 'the back end is closing'));
    const running = work();
    inFlight.add(running);
    const forget = (): void => {
      inFlight.delete(running);
    };
    running.then(forget, forget);
    return running;
  }

  /** Before a store write that follows an await: a close() in between means the result is dropped, not written. */
  function ensureOpen(): void {
    if (closed) throw new TokenscopeError('ERR_CANCELLED', 'Tokenscope is closing');
  }

  function flowHttp(flow: Flow): HttpContext {
    return httpFor((exchange) => {
      // Late arrivals (a request aborted by cancel or timeout) are written at once: the buffer was already flushed.
      if (flow.result || FINISHED.includes(flow.state))
        writeExchange(exchange, { flowId: flow.id, grantId: flow.result?.grantId ?? null });
      else flow.exchanges.push(exchange);
    }, flow.abort.signal);
  }

  function flushFlowExchanges(flow: Flow): void {
    for (const exchange of flow.exchanges.splice(0))
      writeExchange(exchange, { flowId: flow.id, grantId: flow.result?.grantId ?? null });
  }

  function progress(flow: Flow, step: FlowStep): void {
    flow.state = step.state;
    emit({ type: 'flow-progress', flowId: flow.id, ...step });
  }

  /** A failed flow or action says which flow id its logged exchanges are filed under. */
  function withFlowId(error: unknown, flowId: string): TokenscopeError {
    const app = toAppError(error);
    return new TokenscopeError(app.code, app.message, { ...app.detail, flowId });
  }

  function tokensChanged(ids: readonly string[]): void {
    if (ids.length > 0) emit({ type: 'tokens-changed', ids });
  }

  // ── demo issuer ──

  async function startDemo(): Promise<DemoIssuerHandle> {
    if (options.startDemoIssuer) return options.startDemoIssuer();
    const { startDemoIssuer } = await import('../demo-issuer/demo-issuer.ts');
    // Kept in the data dir, sealed with the history's key, so demo tokens survive the process (each CLI
    // command is one); a history kept in memory only (session-only protection) keeps the demo issuer there too.
    if (store.inMemory) return startDemoIssuer();
    return startDemoIssuer({
      dir: join(platform.dataDir, 'demo-issuer'),
      sealer: {
        seal: (plain, context) => store.sealBlob(plain, context),
        open: (sealed, context) => store.openBlob(sealed, context),
      },
    });
  }

  async function ensureDemoIssuer(): Promise<DemoIssuerInfo> {
    if (closed) throw new TokenscopeError('ERR_UNAVAILABLE', 'the back end is closing');
    demo ??= startDemo().catch((error: unknown) => {
      demo = undefined;
      throw error;
    });
    return syncDemoProfiles(store, await demo);
  }

  /** A demo profile points at whatever port the demo issuer got this run. */
  async function readyProfile(profileId: unknown): Promise<LoadedProfile> {
    const profile = loadProfile(store, profileId);
    if (profile.settings.demo !== true) return profile;
    await ensureDemoIssuer();
    return loadProfile(store, profileId);
  }

  // ── metadata ──

  async function serverFor(profile: LoadedProfile, http: HttpContext): Promise<oauth.AuthorizationServer> {
    if (!profile.settings.discovery) return manualServer(profile.settings);
    const cached = metadataCache.get(profile.settings.issuer);
    if (cached && platform.now() - cached.atMs < METADATA_TTL_MS) return cached.as;
    const as = await discover(profile.settings.issuer, http);
    metadataCache.set(profile.settings.issuer, { as, atMs: platform.now() });
    return as;
  }

  interface Ctx {
    readonly profile: LoadedProfile;
    readonly as: oauth.AuthorizationServer;
    readonly client: oauth.Client;
    readonly auth: oauth.ClientAuth;
    readonly opts: ReturnType<typeof requestOptions>;
    readonly http: HttpContext;
  }

  async function contextFor(profile: LoadedProfile, http: HttpContext): Promise<Ctx> {
    const as = await serverFor(profile, http);
    return {
      profile,
      as,
      client: clientOf(profile.settings),
      auth: await clientAuthOf(profile.settings, profile.secrets),
      opts: requestOptions(as, http),
      http,
    };
  }

  /** Token endpoint parameters that come from the profile: resource/audience (RFC 8707) travel with every grant. */
  function tokenParams(settings: ProfileSettings, withTargets: boolean): URLSearchParams {
    const params = new URLSearchParams(settings.tokenParams);
    if (withTargets) {
      for (const key of ['resource', 'audience']) {
        const value = settings.authorizationParams[key];
        if (value && !params.has(key)) params.set(key, value);
      }
    }
    return params;
  }

  async function verifyIdTokenSignature(ctx: Ctx, response: Response): Promise<void> {
    if (!ctx.as.jwks_uri) return;
    await step('id-token', () => oauth.validateApplicationLevelSignature(ctx.as, response, ctx.opts));
  }

  /** The audience a JWT access token should carry: the resource (RFC 8707) or audience the profile asks for. */
  function expectedAudience(settings: ProfileSettings): string | undefined {
    const { tokenParams: t, authorizationParams: a } = settings;
    return t['resource'] ?? a['resource'] ?? t['audience'] ?? a['audience'];
  }

  async function processTokenResponse(
    ctx: Ctx,
    response: Response,
    process: (response: Response) => Promise<oauth.TokenEndpointResponse>,
    context: 'token' | 'device-token',
    /** False: library errors pass through unmapped (device polling reads authorization_pending and Retry-After from them). */
    mapErrors = true,
  ): Promise<{
    body: oauth.TokenEndpointResponse;
    idClaims: oauth.IDToken | undefined;
    accessTokenCheck: AccessTokenCheck | null;
  }> {
    await checkTokenResponseBody(response);
    const body = mapErrors ? await step(context, () => process(response)) : await process(response);
    const idClaims = oauth.getValidatedIdTokenClaims(body);
    if (body.id_token) await verifyIdTokenSignature(ctx, response);
    // A JWT access token is checked and the outcome recorded; a bad one is still stored (the user is debugging it).
    const accessTokenCheck = await checkAccessToken(
      body.access_token,
      ctx.as,
      { audience: expectedAudience(ctx.profile.settings) },
      { fetcher: keyFetcher, now: () => platform.now(), signal: ctx.http.signal },
    );
    return { body, idClaims, accessTokenCheck };
  }

  // ── flows ──

  function newFlow(kind: Flow['kind'], profileId: string): Flow {
    const flow: Flow = {
      id: randomUUID(),
      kind,
      profileId,
      state: 'waiting-for-browser',
      abort: new AbortController(),
      exchanges: [],
    };
    flows.set(flow.id, flow);
    flow.timer = setTimeout(() => {
      finishFlow(flow, new TokenscopeError('ERR_TIMEOUT', `no sign-in within ${Math.round(flowTimeoutMs / 1000)} s`));
    }, flowTimeoutMs);
    flow.timer.unref();
    return flow;
  }

  function finishFlow(flow: Flow, outcome: unknown): void {
    if (FINISHED.includes(flow.state)) return;
    clearTimeout(flow.timer);
    const isResult = typeof outcome === 'object' && outcome !== null && 'grantId' in outcome && 'tokens' in outcome;
    if (isResult) {
      flow.result = outcome as GrantResult;
      flushFlowExchanges(flow);
      progress(flow, { state: 'done', detail: { result: flow.result } });
    } else {
      const error = toAppError(outcome);
      flow.error = error;
      flushFlowExchanges(flow);
      progress(flow, { state: error.code === 'ERR_CANCELLED' ? 'cancelled' : 'failed', detail: { error } });
    }
    flow.abort.abort();
    void flow.listener?.close();
    // Finished flows stay readable for a while (getFlow), then go.
    setTimeout(() => flows.delete(flow.id), 10 * 60_000).unref();
  }

  function flowStatus(flow: Flow): FlowStatus {
    return {
      flowId: flow.id,
      kind: flow.kind,
      profileId: flow.profileId,
      state: flow.state,
      ...(flow.error ? { error: { code: flow.error.code, message: flow.error.message } } : {}),
      ...(flow.result ? { result: flow.result } : {}),
    };
  }

  async function startLogin(arg: { profileId: string }): Promise<LoginStart> {
    const profile = await readyProfile(arg?.profileId);
    const { settings } = profile;
    const flow = newFlow('authorization_code', profile.id);
    try {
      const ctx = await contextFor(profile, flowHttp(flow));
      if (!ctx.as.authorization_endpoint)
        throw new TokenscopeError('ERR_NOT_SUPPORTED', 'the server has no authorization endpoint');
      const methods = ctx.as.code_challenge_methods_supported;
      if (Array.isArray(methods) && !methods.includes('S256')) {
        throw new TokenscopeError('ERR_NOT_SUPPORTED', 'the server does not offer PKCE with S256, which Tokenscope always uses');
      }
      const verifier = oauth.generateRandomCodeVerifier();
      const state = oauth.generateRandomState();
      const wantsOpenid = settings.scope.split(' ').includes('openid');
      const nonce = wantsOpenid ? oauth.generateRandomNonce() : undefined;
      let callbackTaken = false;

      /** The redirect itself is part of the flow's exchange log (its code masked). */
      const logCallback = (url: URL, page: CallbackPage, startedAtMs: number, started: number): CallbackPage => {
        const exchange: ExchangeRecord = {
          method: 'GET',
          url: maskUrl(url.toString()),
          status: page.status,
          requestHeaders: {},
          requestBody: '',
          responseHeaders: { 'content-type': 'text/html; charset=utf-8' },
          responseBody: `${page.title}: ${page.message}`,
          durationMs: Math.round(performance.now() - started),
          startedAtMs,
        };
        if (flow.result) writeExchange(exchange, { flowId: flow.id, grantId: flow.result.grantId });
        else if (FINISHED.includes(flow.state) && flow.exchanges.length === 0) writeExchange(exchange, { flowId: flow.id });
        else flow.exchanges.push(exchange);
        return page;
      };

      const onCallback = async (url: URL): Promise<CallbackPage> => {
        const startedAtMs = platform.now();
        const started = performance.now();
        return logCallback(url, await handleCallback(url), startedAtMs, started);
      };

      const handleCallback = async (url: URL): Promise<CallbackPage> => {
        if (callbackTaken || FINISHED.includes(flow.state)) {
          // state is single-use: a second callback is refused and sends nothing to the server.
          return escapeForPage({ code: 'ERR_STATE_MISMATCH', message: 'this sign-in response was already used' });
        }
        callbackTaken = true;
        progress(flow, { state: 'callback-received' });
        try {
          const params = url.searchParams;
          if (params.has('access_token') || params.has('id_token') || params.has('token')) {
            throw new TokenscopeError(
              'ERR_AUTHORIZATION_RESPONSE',
              'the callback carries tokens (implicit or hybrid flow), which is not accepted',
            );
          }
          if (params.get('state') !== state) {
            throw new TokenscopeError('ERR_STATE_MISMATCH', 'the callback\'s "state" does not match this sign-in');
          }
          const validated = await step('authorization-response', () =>
            oauth.validateAuthResponse(ctx.as, ctx.client, params, state),
          );
          progress(flow, { state: 'exchanging' });
          const response = await step('token', () =>
            oauth.authorizationCodeGrantRequest(ctx.as, ctx.client, ctx.auth, validated, listener.redirectUri, verifier, {
              ...ctx.opts,
              additionalParameters: tokenParams(settings, true),
            }),
          );
          const { body, idClaims, accessTokenCheck } = await processTokenResponse(
            ctx,
            response,
            (r) =>
              oauth.processAuthorizationCodeResponse(ctx.as, ctx.client, r, {
                ...(nonce ? { expectedNonce: nonce, requireIdToken: true } : {}),
              }),
            'token',
          );
          ensureOpen();
          if (FINISHED.includes(flow.state)) throw new TokenscopeError('ERR_CANCELLED', 'the flow was cancelled');
          const result = persistTokenResponse({
            store,
            now: platform.now(),
            profileId: profile.id,
            settings,
            issuer: ctx.as.issuer,
            grantType: 'authorization_code',
            source: 'authorization_code',
            response: body,
            idTokenClaims: idClaims,
            requestedScope: settings.scope,
            accessTokenCheck,
          });
          finishFlow(flow, result);
          tokensChanged(result.tokens.map((t) => t.id));
          scheduleAutoRefresh(profile, result);
          return {
            status: 200,
            ok: true,
            title: 'Signed in',
            message: `Tokenscope received ${result.tokens.length} token(s) from ${ctx.as.issuer}.`,
          };
        } catch (error) {
          finishFlow(flow, error);
          return escapeForPage(toAppError(error));
        }
      };

      const listener = await listenLoopback({ host: settings.redirectHost, port: settings.redirectPort, onCallback });
      flow.listener = listener;
      const params = new URLSearchParams(settings.authorizationParams);
      params.set('client_id', settings.clientId);
      params.set('redirect_uri', listener.redirectUri);
      params.set('response_type', 'code');
      if (settings.scope) params.set('scope', settings.scope);
      params.set('state', state);
      params.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
      params.set('code_challenge_method', 'S256');
      if (nonce) params.set('nonce', nonce);
      const authorizationUrl = new URL(ctx.as.authorization_endpoint);
      if (ctx.as.require_pushed_authorization_requests === true || settings.usePar) {
        const response = await step('par', () =>
          oauth.pushedAuthorizationRequest(ctx.as, ctx.client, ctx.auth, params, ctx.opts),
        );
        const pushed = await step('par', () => oauth.processPushedAuthorizationResponse(ctx.as, ctx.client, response));
        authorizationUrl.searchParams.set('client_id', settings.clientId);
        authorizationUrl.searchParams.set('request_uri', pushed.request_uri);
      } else {
        for (const [key, value] of params) authorizationUrl.searchParams.set(key, value);
      }
      const url = authorizationUrl.toString();
      progress(flow, { state: 'waiting-for-browser', detail: { authorizationUrl: url, redirectUri: listener.redirectUri } });
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
        redirectUri: listener.redirectUri,
        expiresAtMs: platform.now() + flowTimeoutMs,
        browserOpened,
      };
    } catch (error) {
      finishFlow(flow, error);
      throw withFlowId(error, flow.id);
    }
  }

  function cancelFlow(arg: { flowId: string }): { flowId: string; state: FlowState } {
    const flow = flows.get(arg?.flowId);
    if (!flow) throw new TokenscopeError('ERR_FLOW_NOT_FOUND', 'no such flow (finished flows are forgotten after 10 minutes)');
    finishFlow(flow, new TokenscopeError('ERR_CANCELLED', 'the flow was cancelled'));
    return { flowId: flow.id, state: flow.state };
  }

  function getFlow(arg: { flowId: string }): FlowStatus {
    const flow = flows.get(arg?.flowId);
    if (!flow) throw new TokenscopeError('ERR_FLOW_NOT_FOUND', 'no such flow');
    return flowStatus(flow);
  }

  // ── client credentials ──

  async function clientCredentials(arg: { profileId: string }): Promise<GrantResult> {
    const profile = await readyProfile(arg?.profileId);
    const buffered: ExchangeRecord[] = [];
    const http = httpFor((exchange) => buffered.push(exchange), shutdown.signal);
    const actionId = randomUUID();
    let grantId: string | null = null;
    try {
      const ctx = await contextFor(profile, http);
      const params = tokenParams(profile.settings, true);
      if (profile.settings.scope) params.set('scope', profile.settings.scope);
      const response = await step('token', () =>
        oauth.clientCredentialsGrantRequest(ctx.as, ctx.client, ctx.auth, params, ctx.opts),
      );
      const { body, idClaims, accessTokenCheck } = await processTokenResponse(
        ctx,
        response,
        (r) => oauth.processClientCredentialsResponse(ctx.as, ctx.client, r),
        'token',
      );
      ensureOpen();
      const result = persistTokenResponse({
        store,
        now: platform.now(),
        profileId: profile.id,
        settings: profile.settings,
        issuer: ctx.as.issuer,
        grantType: 'client_credentials',
        source: 'client_credentials',
        response: body,
        idTokenClaims: idClaims,
        requestedScope: profile.settings.scope,
        accessTokenCheck,
      });
      grantId = result.grantId;
      tokensChanged(result.tokens.map((t) => t.id));
      scheduleAutoRefresh(profile, result);
      return result;
    } catch (error) {
      throw withFlowId(error, actionId);
    } finally {
      for (const exchange of buffered) writeExchange(exchange, { grantId, flowId: actionId });
    }
  }

  // ── device authorization grant (RFC 8628) ──

  async function startDeviceFlow(arg: { profileId: string }): Promise<DeviceFlowStart> {
    const profile = await readyProfile(arg?.profileId);
    const flow = newFlow('device_code', profile.id);
    try {
      const ctx = await contextFor(profile, flowHttp(flow));
      // The profile's authorization parameters (resource, audience, prompt...) travel with the device request too.
      const params = new URLSearchParams(profile.settings.authorizationParams);
      if (profile.settings.scope) params.set('scope', profile.settings.scope);
      const response = await step('device-authorization', () =>
        oauth.deviceAuthorizationRequest(ctx.as, ctx.client, ctx.auth, params, ctx.opts),
      );
      const device = await step('device-authorization', () =>
        oauth.processDeviceAuthorizationResponse(ctx.as, ctx.client, response),
      );
      const intervalSeconds =
        typeof device.interval === 'number' && device.interval > 0 ? device.interval : DEFAULT_DEVICE_INTERVAL_S;
      const expiresAtMs = platform.now() + device.expires_in * 1000;
      // The device code's own lifetime bounds the flow, not the 5-minute browser timeout.
      clearTimeout(flow.timer);
      flow.timer = setTimeout(
        () => finishFlow(flow, new TokenscopeError('ERR_DEVICE_EXPIRED', 'the device code expired before the user approved')),
        device.expires_in * 1000,
      );
      flow.timer.unref();
      progress(flow, {
        state: 'polling',
        detail: { userCode: device.user_code, verificationUri: device.verification_uri, intervalSeconds },
      });
      void pollDevice(flow, ctx, profile, device.device_code, intervalSeconds);
      return {
        flowId: flow.id,
        userCode: device.user_code,
        verificationUri: device.verification_uri,
        verificationUriComplete: device.verification_uri_complete ?? null,
        expiresAtMs,
        intervalSeconds,
      };
    } catch (error) {
      finishFlow(flow, error);
      throw withFlowId(error, flow.id);
    }
  }

  async function pollDevice(
    flow: Flow,
    ctx: Ctx,
    profile: LoadedProfile,
    deviceCode: string,
    intervalSeconds: number,
  ): Promise<void> {
    try {
      const outcome = await pollDeviceToken({
        signal: flow.abort.signal,
        intervalSeconds,
        onPending: (seconds) => progress(flow, { state: 'polling', detail: { intervalSeconds: seconds } }),
        attempt: async () => {
          const response = await oauth.deviceCodeGrantRequest(ctx.as, ctx.client, ctx.auth, deviceCode, {
            ...ctx.opts,
            additionalParameters: tokenParams(profile.settings, false),
          });
          return processTokenResponse(
            ctx,
            response,
            (r) => oauth.processDeviceCodeResponse(ctx.as, ctx.client, r),
            'device-token',
            false,
          );
        },
      });
      if (!outcome || FINISHED.includes(flow.state) || closed) return; // cancelled, timed out or closing: already finished
      const result = persistTokenResponse({
        store,
        now: platform.now(),
        profileId: profile.id,
        settings: profile.settings,
        issuer: ctx.as.issuer,
        grantType: 'device_code',
        source: 'device_code',
        response: outcome.body,
        idTokenClaims: outcome.idClaims,
        requestedScope: profile.settings.scope,
        accessTokenCheck: outcome.accessTokenCheck,
      });
      finishFlow(flow, result);
      tokensChanged(result.tokens.map((t) => t.id));
      scheduleAutoRefresh(profile, result);
    } catch (error) {
      finishFlow(flow, error);
    }
  }

  /** Profiles with autoRefresh refresh shortly before the access token expires (a minute, or a fifth of a short lifetime). */
  function scheduleAutoRefresh(profile: LoadedProfile, result: GrantResult): void {
    if (!profile.settings.autoRefresh || closed) return;
    const access = result.tokens.find((t) => t.kind === 'access_token' && t.expiresAtMs !== null);
    if (!access?.expiresAtMs) return;
    const hasRefresh = store.getGrantTokens(result.grantId).some((t) => t.kind === 'refresh_token' && t.status === 'active');
    if (!hasRefresh) return;
    const now = platform.now();
    const lead = Math.min(60_000, Math.max(0, access.expiresAtMs - now) / 5);
    const delay = Math.max(500, access.expiresAtMs - lead - now);
    clearTimeout(autoRefreshTimers.get(result.grantId)?.timer);
    const timer = setTimeout(() => {
      autoRefreshTimers.delete(result.grantId);
      // A failure is recorded on the grant (dead, events) and shown there; nobody awaits this call.
      track(() => refreshToken({ tokenId: access.id })).catch(() => undefined);
    }, delay);
    timer.unref();
    autoRefreshTimers.set(result.grantId, { timer, profileId: profile.id });
  }

  /** After a restart: re-arm auto-refresh for the newest live access token of each grant of an auto-refresh profile. */
  function rearmAutoRefresh(): void {
    for (const p of store.listProfiles()) {
      if (p.settings['autoRefresh'] !== true) continue;
      let profile: LoadedProfile;
      try {
        profile = loadProfile(store, p.id);
      } catch {
        continue; // an unreadable profile simply gets no timer
      }
      const seen = new Set<string>();
      for (const token of store.listTokens({ profileId: p.id, kind: 'access_token', status: 'active', limit: 500 }).items) {
        if (!token.grantId || seen.has(token.grantId) || token.expiresAtMs === null) continue;
        seen.add(token.grantId);
        if (store.getGrantSummary(token.grantId)?.state === 'dead') continue;
        scheduleAutoRefresh(profile, {
          grantId: token.grantId,
          tokens: [
            {
              id: token.id,
              kind: 'access_token',
              format: token.format,
              expiresAtMs: token.expiresAtMs,
              created: false,
              primary: true,
            },
          ],
        });
      }
    }
  }

  // ── token actions ──

  function tokenOf(tokenId: unknown): {
    id: string;
    kind: string;
    grantId: string | null;
    profileId: string | null;
    value: string;
  } {
    if (typeof tokenId !== 'string' || tokenId === '') throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'tokenId is required');
    const summary = store.getTokenSummary(tokenId);
    if (!summary) throw new TokenscopeError('ERR_NOT_FOUND', 'no such token in the history');
    return {
      id: summary.id,
      kind: summary.kind,
      grantId: summary.grantId,
      profileId: summary.profileId,
      value: store.getTokenValue(summary.id),
    };
  }

  function profileForToken(token: { profileId: string | null; grantId: string | null }): string {
    const profileId = token.profileId ?? (token.grantId ? store.getGrantSummary(token.grantId)?.profileId : null);
    if (!profileId)
      throw new TokenscopeError(
        'ERR_NOT_SUPPORTED',
        'this token was not obtained through a profile, so Tokenscope does not know its server',
      );
    return profileId;
  }

  async function refreshToken(arg: { tokenId: string }): Promise<GrantResult> {
    const token = tokenOf(arg?.tokenId);
    if (!token.grantId)
      throw new TokenscopeError('ERR_NOT_SUPPORTED', 'this token belongs to no grant, so there is nothing to refresh');
    const grantId = token.grantId;
    // Two clicks at once send one request: the second caller gets the first one's outcome.
    const running = refreshes.get(grantId);
    if (running) return running;
    const work = doRefresh(grantId, token).finally(() => refreshes.delete(grantId));
    refreshes.set(grantId, work);
    return work;
  }

  async function doRefresh(
    grantId: string,
    token: { id: string; kind: string; value: string; profileId: string | null; grantId: string | null },
  ): Promise<GrantResult> {
    const grant = store.getGrantSummary(grantId);
    if (grant?.state === 'dead') {
      throw new TokenscopeError(
        'ERR_INVALID_GRANT',
        `the grant is dead (${grant.deadReason ?? 'refused by the server'}): sign in again`,
      );
    }
    const refresh =
      token.kind === 'refresh_token' && store.getTokenSummary(token.id)?.status === 'active'
        ? { id: token.id, value: token.value }
        : (() => {
            const candidate = store.getGrantTokens(grantId).find((t) => t.kind === 'refresh_token' && t.status === 'active');
            return candidate ? { id: candidate.id, value: store.getTokenValue(candidate.id) } : null;
          })();
    if (!refresh) throw new TokenscopeError('ERR_NOT_SUPPORTED', 'this grant has no usable refresh token');
    const profile = await readyProfile(profileForToken(token));
    const http = actionHttp({ grantId, tokenId: refresh.id });
    const ctx = await contextFor(profile, http);
    let body: oauth.TokenEndpointResponse;
    let idClaims: oauth.IDToken | undefined;
    let accessTokenCheck: AccessTokenCheck | null;
    try {
      const response = await step('token', () =>
        oauth.refreshTokenGrantRequest(ctx.as, ctx.client, ctx.auth, refresh.value, {
          ...ctx.opts,
          additionalParameters: tokenParams(profile.settings, false),
        }),
      );
      ({ body, idClaims, accessTokenCheck } = await processTokenResponse(
        ctx,
        response,
        (r) => oauth.processRefreshTokenResponse(ctx.as, ctx.client, r),
        'token',
      ));
    } catch (error) {
      if (error instanceof TokenscopeError && error.code === 'ERR_INVALID_GRANT' && !closed) {
        store.markGrantDead(grantId, error.message);
        store.setTokenStatus(refresh.id, 'inactive');
        tokensChanged([refresh.id]);
      }
      throw error;
    }
    ensureOpen();
    // RFC 6749 §6: no refresh_token in the response means the old one stays valid.
    const rotated = body.refresh_token !== undefined && body.refresh_token !== refresh.value;
    // The new tokens and the old refresh token's new status land together or not at all.
    const result = store.write(() => {
      const saved = persistTokenResponse({
        store,
        now: platform.now(),
        profileId: profile.id,
        settings: profile.settings,
        issuer: ctx.as.issuer,
        grantType: 'refresh_token',
        grantId,
        source: 'refresh',
        response: body,
        idTokenClaims: idClaims,
        requestedScope: grant?.scopes.join(' ') ?? profile.settings.scope,
        accessTokenCheck,
      });
      if (rotated) {
        store.setTokenStatus(refresh.id, 'superseded');
        store.addEvent({
          tokenId: refresh.id,
          grantId,
          type: 'rotated',
          detail: { by: saved.tokens.find((t) => t.kind === 'refresh_token')?.id ?? null },
        });
      }
      store.addEvent({ tokenId: refresh.id, grantId, type: 'refreshed', detail: { newTokenIds: saved.tokens.map((t) => t.id) } });
      return saved;
    });
    tokensChanged([...result.tokens.map((t) => t.id), ...(rotated ? [refresh.id] : [])]);
    scheduleAutoRefresh(profile, result);
    return rotated ? { ...result, supersededTokenId: refresh.id } : result;
  }

  function hintOf(kind: string): string | undefined {
    return kind === 'access_token' || kind === 'refresh_token' ? kind : undefined;
  }

  async function revokeToken(arg: { tokenId: string }): Promise<RevokeResult> {
    const token = tokenOf(arg?.tokenId);
    const profile = await readyProfile(profileForToken(token));
    const ctx = await contextFor(profile, actionHttp({ grantId: token.grantId, tokenId: token.id }));
    if (!ctx.as.revocation_endpoint)
      throw new TokenscopeError('ERR_NOT_SUPPORTED', 'the server has no revocation endpoint (RFC 7009)');
    const hint = hintOf(token.kind);
    const response = await step('revocation', () =>
      oauth.revocationRequest(ctx.as, ctx.client, ctx.auth, token.value, {
        ...ctx.opts,
        ...(hint ? { additionalParameters: { token_type_hint: hint } } : {}),
      }),
    );
    if (response.status === 503) {
      throw new TokenscopeError(
        'ERR_REVOCATION',
        'the server is unavailable (HTTP 503): the token was not revoked and may still be valid',
        { status: 503 },
      );
    }
    await step('revocation', () => oauth.processRevocationResponse(response));
    ensureOpen();
    store.write(() => {
      store.setTokenStatus(token.id, 'revoked');
      store.addEvent({ tokenId: token.id, grantId: token.grantId, type: 'revoked', detail: { issuer: ctx.as.issuer } });
      // Without its refresh token the grant cannot be refreshed any more.
      if (token.kind === 'refresh_token' && token.grantId) store.markGrantDead(token.grantId, 'the refresh token was revoked');
    });
    tokensChanged([token.id]);
    return { tokenId: token.id, revoked: true };
  }

  async function introspectToken(arg: { tokenId: string }): Promise<IntrospectionResult> {
    const token = tokenOf(arg?.tokenId);
    const profile = await readyProfile(profileForToken(token));
    const ctx = await contextFor(profile, actionHttp({ grantId: token.grantId, tokenId: token.id }));
    if (!ctx.as.introspection_endpoint)
      throw new TokenscopeError('ERR_NOT_SUPPORTED', 'the server has no introspection endpoint (RFC 7662)');
    const hint = hintOf(token.kind);
    const response = await step('introspection', () =>
      oauth.introspectionRequest(ctx.as, ctx.client, ctx.auth, token.value, {
        ...ctx.opts,
        ...(hint ? { additionalParameters: { token_type_hint: hint } } : {}),
      }),
    );
    const claims = await step('introspection', () => oauth.processIntrospectionResponse(ctx.as, ctx.client, response));
    ensureOpen();
    const active = claims.active;
    const current = store.getTokenSummary(token.id)?.status;
    if (!active && current === 'active') {
      store.setTokenStatus(token.id, 'inactive');
      tokensChanged([token.id]);
    }
    store.addEvent({ tokenId: token.id, grantId: token.grantId, type: 'introspected', detail: { active } });
    return { tokenId: token.id, active, claims: { ...claims } };
  }

  async function userinfo(arg: { tokenId: string }): Promise<UserinfoResult> {
    const token = tokenOf(arg?.tokenId);
    if (token.kind !== 'access_token') throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'userinfo takes an access token');
    const profile = await readyProfile(profileForToken(token));
    const ctx = await contextFor(profile, actionHttp({ grantId: token.grantId, tokenId: token.id }));
    if (!ctx.as.userinfo_endpoint) throw new TokenscopeError('ERR_NOT_SUPPORTED', 'the server has no userinfo endpoint');
    // The subject must match the grant's ID token when there is one (OpenID Connect Core §5.3.4).
    let expectedSubject: string | typeof oauth.skipSubjectCheck = oauth.skipSubjectCheck;
    if (token.grantId) {
      const idToken = store.getGrantTokens(token.grantId).find((t) => t.kind === 'id_token' && t.subject);
      if (idToken?.subject) expectedSubject = idToken.subject;
    }
    const response = await step('userinfo', () => oauth.userInfoRequest(ctx.as, ctx.client, token.value, ctx.opts));
    const claims = await step('userinfo', () => oauth.processUserInfoResponse(ctx.as, ctx.client, expectedSubject, response));
    return { tokenId: token.id, claims: { ...claims } };
  }

  try {
    rearmAutoRefresh();
  } catch {
    // Auto-refresh is a convenience: a history that cannot be read here fails loudly on the first real call.
  }

  return {
    listProfiles(): ProfileView[] {
      seedDemoProfile(store);
      return listProfileViews(store);
    },
    saveProfile: (input: ProfileInput) => saveProfile(store, input),
    deleteProfile(arg: { id: string }): { deleted: boolean } {
      if (typeof arg?.id !== 'string') throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'id is required');
      for (const [grantId, entry] of autoRefreshTimers) {
        if (entry.profileId !== arg.id) continue;
        clearTimeout(entry.timer);
        autoRefreshTimers.delete(grantId);
      }
      return { deleted: store.deleteProfile(arg.id) };
    },
    async discover(arg: { issuer: string }): Promise<DiscoveryResult> {
      if (
        typeof arg?.issuer !== 'string' ||
        !normalizeProfileSettings({ issuer: arg.issuer, clientId: 'x' }).problems.every((p) => p.field !== 'issuer')
      ) {
        throw new TokenscopeError('ERR_PROFILE_INVALID', 'the issuer must be an https URL (or http on 127.0.0.1/localhost)');
      }
      const as = await track(() =>
        discover(
          arg.issuer,
          httpFor(() => undefined, shutdown.signal),
        ),
      );
      const grants = as.grant_types_supported;
      return {
        issuer: as.issuer,
        metadata: { ...as },
        supports: {
          pkceS256: as.code_challenge_methods_supported?.includes('S256') ?? false,
          par: typeof as.pushed_authorization_request_endpoint === 'string',
          parRequired: as.require_pushed_authorization_requests === true,
          deviceCode: typeof as.device_authorization_endpoint === 'string',
          clientCredentials: grants ? grants.includes('client_credentials') : true,
          revocation: typeof as.revocation_endpoint === 'string',
          introspection: typeof as.introspection_endpoint === 'string',
          userinfo: typeof as.userinfo_endpoint === 'string',
          issParameter: as.authorization_response_iss_parameter_supported === true,
        },
      };
    },
    startLogin,
    cancelFlow,
    getFlow,
    clientCredentials: (arg: { profileId: string }) => track(() => clientCredentials(arg)),
    startDeviceFlow,
    refreshToken: (arg: { tokenId: string }) => track(() => refreshToken(arg)),
    revokeToken: (arg: { tokenId: string }) => track(() => revokeToken(arg)),
    introspectToken: (arg: { tokenId: string }) => track(() => introspectToken(arg)),
    userinfo: (arg: { tokenId: string }) => track(() => userinfo(arg)),
    listExchanges(query: ExchangeQuery): HttpExchange[] {
      const q = query ?? {};
      return [
        ...store.listExchanges({
          ...(typeof q.grantId === 'string' ? { grantId: q.grantId } : {}),
          ...(typeof q.flowId === 'string' ? { flowId: q.flowId } : {}),
          ...(typeof q.tokenId === 'string' ? { tokenId: q.tokenId } : {}),
          ...(typeof q.limit === 'number' ? { limit: q.limit } : {}),
        }),
      ];
    },
    ensureDemoIssuer,
    /**
     * Stops every running flow (listeners closed), aborts the actions in flight (they settle with ERR_CANCELLED and
     * write nothing more) and stops the demo issuer. After it returns the store is not touched again.
     */
    async close(): Promise<void> {
      closed = true;
      shutdown.abort(new TokenscopeError('ERR_CANCELLED', 'Tokenscope is closing'));
      for (const { timer } of autoRefreshTimers.values()) clearTimeout(timer);
      autoRefreshTimers.clear();
      for (const flow of flows.values()) finishFlow(flow, new TokenscopeError('ERR_CANCELLED', 'Tokenscope is closing'));
      await Promise.allSettled([...inFlight]);
      await Promise.all([...flows.values()].map((f) => f.listener?.close() ?? Promise.resolve()));
      flows.clear();
      const running = demo;
      demo = undefined;
      if (running) await running.then((d) => d.close()).catch(() => undefined);
      released = true;
    },
  };
}

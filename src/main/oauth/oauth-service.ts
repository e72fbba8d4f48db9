/**
 * The OAuth side of the back end, wired from its parts: profiles, the flows (code + PKCE, device, client
 * credentials) and the token actions, all through oauth4webapi. Each part is a module of this folder; this file
 * only connects them and keeps the shape services.ts calls.
 */
import { createApiCall, type ApiCallRequest } from './api-call.ts';
import { grantTimeline } from './grant-timeline.ts';
import type { TokenscopeEvent } from '../../shared/api.ts';
import type { AutoRefreshState } from '../../shared/grant-scopes.ts';
import type { TokenAttachResult } from '../../shared/model.ts';
import type { ProfileInput, ProfileView } from '../../shared/profile.ts';
import type { DiscoveryResult, ExchangeQuery, HttpExchange } from '../../shared/oauth.ts';
import { TokenscopeError } from '../../shared/result.ts';
import { KeyFetcher, keyFetcherFor } from '../keys/index.ts';
import type { DemoSealer } from '../demo-issuer/demo-state.ts';
import type { Platform } from '../platform.ts';
import { createAuthorizationServers, discoverIssuer, issuerToDiscover } from './authorization-server.ts';
import { createAutoRefresh } from './auto-refresh.ts';
import { createClientCredentials } from './client-credentials.ts';
import { createCodeFlow } from './code-flow.ts';
import { createDemoLauncher } from './demo-launcher.ts';
import { seedDemoProfile, type DemoIssuerHandle } from './demo-profiles.ts';
import { createDeviceFlow } from './device-flow.ts';
import { createExchangeRecorder } from './exchange-recorder.ts';
import { createFlowRegistry } from './flow-registry.ts';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './http-exchange.ts';
import { createObtain, type GrantDeps } from './obtain.ts';
import { listProfileViews, saveProfile } from './profiles.ts';
import { createServiceLifecycle } from './service-lifecycle.ts';
import type { OAuthStore } from './store-port.ts';
import { createTokenActions } from './token-actions.ts';
import { createTokenExchange, type ExchangeTokenRequest } from './token-exchange.ts';
import { attachToProfile } from './token-availability.ts';
import { createTokenResponseReader } from './token-endpoint.ts';

const DEFAULT_FLOW_TIMEOUT_MS = 5 * 60_000;

export interface OAuthServiceOptions {
  readonly platform: Platform;
  readonly store: OAuthStore;
  readonly emit: (event: TokenscopeEvent) => void;
  /** Seals the demo issuer's state files with the history's data key (OpenedHistory.demoSealer). */
  readonly demoSealer: DemoSealer;
  readonly requestTimeoutMs?: number;
  readonly flowTimeoutMs?: number;
  /** Tests replace fetch to serve malformed responses. */
  readonly fetchImpl?: typeof fetch;
  /** Starts the demo issuer; defaults to the embedded oidc-provider. */
  readonly startDemoIssuer?: () => Promise<DemoIssuerHandle>;
}

export type OAuthService = ReturnType<typeof createOAuthService>;

export function createOAuthService(options: OAuthServiceOptions) {
  const { platform, store, emit } = options;
  const flowTimeoutMs = options.flowTimeoutMs ?? DEFAULT_FLOW_TIMEOUT_MS;
  const lifecycle = createServiceLifecycle();
  const recorder = createExchangeRecorder({
    platform,
    store,
    lifecycle,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    fetchImpl: options.fetchImpl,
  });
  const flows = createFlowRegistry({ emit, recorder, flowTimeoutMs });
  const demo = createDemoLauncher({
    platform,
    store,
    lifecycle,
    demoSealer: options.demoSealer,
    startDemoIssuer: options.startDemoIssuer,
  });
  const servers = createAuthorizationServers(platform);
  // Tests that replace fetch get it for the issuer's JWKS too; otherwise the token domain's shared key cache.
  const keyFetcher = options.fetchImpl
    ? new KeyFetcher({ now: () => platform.now(), fetch: options.fetchImpl })
    : keyFetcherFor(platform);
  const tokenResponses = createTokenResponseReader({ keyFetcher, now: () => platform.now() });
  const tokensChanged = (ids: readonly string[]): void => {
    if (ids.length > 0) emit({ type: 'tokens-changed', ids });
  };
  // A timer fires long after wiring, so the refresh it runs may name `actions`, created below with obtain().
  const autoRefresh = createAutoRefresh({
    platform,
    store,
    lifecycle,
    refresh: (tokenId) => lifecycle.track(() => actions.refreshToken({ tokenId }, true)),
  });
  const grantChanged = (grantId: string): void => emit({ type: 'grant-changed', grantId });
  const obtain = createObtain({ platform, store, lifecycle, flows, autoRefresh, tokensChanged, grantChanged });
  const grants: GrantDeps = { demo, servers, tokenResponses, obtain };
  const actions = createTokenActions({
    ...grants,
    store,
    lifecycle,
    recorder,
    tokensChanged,
    grantChanged,
    now: () => platform.now(),
  });
  const codeFlow = createCodeFlow({ ...grants, platform, flows, flowTimeoutMs });
  const deviceFlow = createDeviceFlow({ ...grants, platform, flows });
  const apiCall = createApiCall({
    platform,
    store,
    recorder,
    refresh: (tokenId) => lifecycle.track(() => actions.refreshToken({ tokenId })),
    proofFor: (tokenId) => actions.resourceProof(tokenId),
  });
  const clientCredentials = createClientCredentials({ ...grants, lifecycle, recorder });
  const exchangeToken = createTokenExchange({ ...grants, store, lifecycle, recorder });

  try {
    autoRefresh.rearm();
  } catch {
    // Auto-refresh is a convenience: a history that cannot be read here fails loudly on the first real call.
  }

  return {
    listProfiles(): ProfileView[] {
      seedDemoProfile(store);
      return listProfileViews(store);
    },
    saveProfile: (input: ProfileInput) => saveProfile(store, input),
    attachProfile(arg: { tokenId: string; profileId: string }): TokenAttachResult {
      const attached = attachToProfile(store, arg);
      options.emit({ type: 'tokens-changed', ids: [attached.tokenId] });
      return attached;
    },
    deleteProfile(arg: { id: string }): { deleted: boolean } {
      autoRefresh.forgetProfile(arg.id);
      return { deleted: store.deleteProfile(arg.id) };
    },
    async discover(arg: { issuer: string }): Promise<DiscoveryResult> {
      const issuer = issuerToDiscover(arg?.issuer);
      // Discovery without a profile is not part of any log.
      return lifecycle.track(() =>
        discoverIssuer(
          issuer,
          recorder.httpContext(() => undefined, lifecycle.signal),
        ),
      );
    },
    startLogin: codeFlow.startLogin,
    cancelFlow: flows.cancelFlow,
    getFlow: flows.getFlow,
    clientCredentials: (arg: { profileId: string }) => lifecycle.track(() => clientCredentials(arg)),
    startDeviceFlow: deviceFlow.startDeviceFlow,
    refreshToken: (arg: { tokenId: string }) => lifecycle.track(() => actions.refreshToken(arg)),
    revokeToken: (arg: { tokenId: string }) => lifecycle.track(() => actions.revokeToken(arg)),
    introspectToken: (arg: { tokenId: string }) => lifecycle.track(() => actions.introspectToken(arg)),
    userinfo: (arg: { tokenId: string }) => lifecycle.track(() => actions.userinfo(arg)),
    tokenBinding: (arg: { tokenId: string }) => actions.tokenBinding(arg),
    exchangeToken: (arg: ExchangeTokenRequest) => lifecycle.track(() => exchangeToken(arg)),
    callApi: (arg: ApiCallRequest) => lifecycle.track(() => apiCall.callApi(arg)),
    listExchanges: (query: ExchangeQuery): HttpExchange[] => recorder.list(query),
    grantTimeline: (arg: { grantId?: string | undefined; tokenId?: string | undefined }) => grantTimeline(store, recorder, arg),
    ensureDemoIssuer: demo.ensureDemoIssuer,
    /** Whether the grant's profile refreshes it automatically, and when the next one fires (the armed timer). */
    autoRefreshOf(grant: { readonly grantId: string; readonly profileId: string | null }): AutoRefreshState {
      const profile = grant.profileId === null ? null : store.getProfile(grant.profileId);
      return { on: profile?.settings['autoRefresh'] === true, nextAtMs: autoRefresh.nextAt(grant.grantId) };
    },
    /**
     * Stops every running flow (listeners closed), aborts the actions in flight (they settle with ERR_CANCELLED and
     * write nothing more) and stops the demo issuer. After it returns the store is not touched again.
     */
    async close(): Promise<void> {
      lifecycle.beginClose();
      autoRefresh.stopAll();
      flows.failAll(new TokenscopeError('ERR_CANCELLED', 'Tokenscope is closing'));
      await lifecycle.settled();
      await flows.forgetAll();
      await demo.stop();
      lifecycle.release();
    },
  };
}

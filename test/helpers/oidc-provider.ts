/** A real oidc-provider for OAuth tests (the demo issuer's configuration plus test clients), and a Tokenscope OAuth service wired to a fresh store. */
import {
  DEMO_JWT_RESOURCE,
  DEMO_NATIVE_CLIENT_ID,
  startIssuer,
  type IssuerOptions,
  type RunningIssuer,
} from '../../src/main/demo-issuer/demo-issuer.ts';
import { createOAuthService, type OAuthService, type OAuthServiceOptions } from '../../src/main/oauth/oauth-service.ts';
import type { OAuthStore } from '../../src/main/oauth/store-port.ts';
import { openStore, type Store } from '../../src/main/store/index.ts';
import type { TokenscopeEvent } from '../../src/shared/api.ts';
import type { GrantResult } from '../../src/shared/oauth.ts';
import { testPlatform, type TestPlatform } from './test-platform.ts';

export { DEMO_JWT_RESOURCE, DEMO_NATIVE_CLIENT_ID, DEMO_OPAQUE_RESOURCE } from '../../src/main/demo-issuer/demo-issuer.ts';

/** A confidential client-credentials client (client_secret_basic) for tests that register it with startTestIssuer. */
export const BASIC_TEST_CLIENT = {
  client_id: 'test-basic',
  client_secret: 'test-basic-secret-0123456789',
  token_endpoint_auth_method: 'client_secret_basic',
  grant_types: ['client_credentials'],
  response_types: [],
  redirect_uris: [],
};

/** The profile of BASIC_TEST_CLIENT at `issuer` (a JWT access token for DEMO_JWT_RESOURCE), secret included. */
export function basicTestProfile(issuer: string) {
  return {
    name: 'basic',
    settings: {
      issuer,
      clientId: BASIC_TEST_CLIENT.client_id,
      authMethod: 'client_secret_basic' as const,
      scope: 'api:read',
      authorizationParams: { resource: DEMO_JWT_RESOURCE },
    },
    clientSecret: BASIC_TEST_CLIENT.client_secret,
  };
}

export function startTestIssuer(options: IssuerOptions = {}): Promise<RunningIssuer> {
  return startIssuer({ deviceIntervalSeconds: 0.2, title: 'Test issuer', ...options });
}

export interface OAuthHarness {
  readonly platform: TestPlatform;
  readonly store: Store;
  readonly oauth: OAuthService;
  readonly events: TokenscopeEvent[];
  /** Resolves with the flow's final event (done, failed or cancelled). */
  finished(flowId: string): Promise<TokenscopeEvent & { type: 'flow-progress' }>;
  close(): Promise<void>;
}

export async function oauthHarness(
  options: Omit<OAuthServiceOptions, 'platform' | 'store' | 'emit' | 'demoSealer'> & {
    onOpen?: (url: string) => void;
    dataDir?: string;
  } = {},
): Promise<OAuthHarness> {
  const { onOpen, dataDir, ...serviceOptions } = options;
  const platform = testPlatform({ ...(onOpen ? { onOpen } : {}), ...(dataDir ? { dataDir } : {}) });
  const store = await openStore(platform);
  const port: OAuthStore = store;
  const events: TokenscopeEvent[] = [];
  const waiters: (() => void)[] = [];
  const oauth = createOAuthService({
    ...serviceOptions,
    platform,
    store: port,
    demoSealer: store.sealer,
    emit: (event) => {
      events.push(event);
      for (const w of waiters.splice(0)) w();
    },
  });
  const finalFor = (flowId: string) =>
    events.find(
      (e): e is TokenscopeEvent & { type: 'flow-progress' } =>
        e.type === 'flow-progress' && e.flowId === flowId && ['done', 'failed', 'cancelled'].includes(e.state),
    );
  return {
    platform,
    store,
    oauth,
    events,
    async finished(flowId) {
      for (;;) {
        const found = finalFor(flowId);
        if (found) return found;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
    async close() {
      await oauth.close();
      store.close();
    },
  };
}

/** The demo/test issuer's login as a user does it: sign in with a username on our login page (consent is automatic). */
export async function signInWithBrowser(page: import('playwright-core').Page, url: string, username = 'alice'): Promise<void> {
  await page.goto(url);
  await page.fill('#username', username);
  await page.click('button:has-text("Sign in")');
}

/** The setup of a test that signs in through a browser: a test issuer, Chromium (off-machine requests blocked), a harness with one profile. */
export interface BrowserLoginSetup {
  readonly issuer: RunningIssuer;
  readonly browser: import('playwright-core').Browser;
  readonly page: import('playwright-core').Page;
  readonly h: OAuthHarness;
  readonly profileId: string;
  /** Signs in (as `username`) with the profile and returns the finished login's result. */
  login(username?: string): Promise<GrantResult>;
  close(): Promise<void>;
}

export async function browserLoginSetup(options: {
  readonly issuer?: IssuerOptions;
  readonly harness?: Parameters<typeof oauthHarness>[0];
  readonly profile: {
    readonly name: string;
    readonly scope: string;
    readonly authorizationParams?: Record<string, string>;
    /** PAR (RFC 9126): the demo issuer advertises it, so `auto` (the default) pushes; `never` keeps the parameters in the URL. */
    readonly par?: 'auto' | 'always' | 'never';
  };
}): Promise<BrowserLoginSetup> {
  const { blockNonLoopback, launchChromium } = await import('./chromium.ts');
  const issuer = await startTestIssuer(options.issuer);
  const browser = await launchChromium();
  const context = await browser.newContext();
  await blockNonLoopback(context);
  const page = await context.newPage();
  const h = await oauthHarness(options.harness);
  const { name, scope, authorizationParams, par } = options.profile;
  const { id: profileId } = await h.oauth.saveProfile({
    name,
    settings: {
      issuer: issuer.issuer,
      clientId: DEMO_NATIVE_CLIENT_ID,
      scope,
      ...(authorizationParams ? { authorizationParams } : {}),
      ...(par ? { par } : {}),
    },
  });
  return {
    issuer,
    browser,
    page,
    h,
    profileId,
    async login(username) {
      const start = await h.oauth.startLogin({ profileId });
      await signInWithBrowser(page, start.authorizationUrl, username);
      await page.waitForSelector('[data-result]');
      const final = await h.finished(start.flowId);
      if (final.state !== 'done') throw new Error(`the login ended ${final.state}: ${JSON.stringify(final)}`);
      const result = h.oauth.getFlow({ flowId: start.flowId }).result;
      if (!result) throw new Error('the finished login has no result');
      return result;
    },
    async close() {
      await h.close();
      await browser.close();
      await issuer.close();
    },
  };
}

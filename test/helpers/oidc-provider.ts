/** A real oidc-provider for OAuth tests (the demo issuer's configuration plus test clients), and a Tokenscope OAuth service wired to a fresh store. */
import { startIssuer, type IssuerOptions, type RunningIssuer } from '../../src/main/demo-issuer/demo-issuer.ts';
import { createOAuthService, type OAuthService, type OAuthServiceOptions } from '../../src/main/oauth/oauth-service.ts';
import type { OAuthStore } from '../../src/main/oauth/store-port.ts';
import { openStore, type Store } from '../../src/main/store/index.ts';
import type { TokenscopeEvent } from '../../src/shared/api.ts';
import { testPlatform, type TestPlatform } from './test-platform.ts';

export { DEMO_JWT_RESOURCE, DEMO_NATIVE_CLIENT_ID, DEMO_OPAQUE_RESOURCE } from '../../src/main/demo-issuer/demo-issuer.ts';

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

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { blockNonLoopback, launchChromium } from '../../helpers/chromium.ts';
import {
  DEMO_JWT_RESOURCE,
  DEMO_NATIVE_CLIENT_ID,
  oauthHarness,
  signInWithBrowser,
  startTestIssuer,
  type OAuthHarness,
} from '../../helpers/oidc-provider.ts';
import type { RunningIssuer } from '../../../src/main/demo-issuer/demo-issuer.ts';
import type { GrantResult } from '../../../src/shared/oauth.ts';

let issuer: RunningIssuer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let h: OAuthHarness;
let login: GrantResult;

beforeAll(async () => {
  issuer = await startTestIssuer();
  browser = await launchChromium();
  context = await browser.newContext();
  await blockNonLoopback(context);
  page = await context.newPage();
  h = await oauthHarness();
  const profileId = (
    await h.oauth.saveProfile({
      name: 'jwt api',
      settings: {
        issuer: issuer.issuer,
        clientId: DEMO_NATIVE_CLIENT_ID,
        scope: 'openid offline_access api:read',
        authorizationParams: { prompt: 'consent', resource: DEMO_JWT_RESOURCE },
        // Every parameter in the authorization request itself (the PAR timeline: dpop.test.ts).
        par: 'never',
      },
    })
  ).id;
  const start = await h.oauth.startLogin({ profileId });
  await signInWithBrowser(page, start.authorizationUrl);
  await page.waitForSelector('[data-result]');
  const final = await h.finished(start.flowId);
  expect(final.state).toBe('done');
  login = h.oauth.getFlow({ flowId: start.flowId }).result!;
});

afterAll(async () => {
  await h?.close();
  await browser?.close();
  await issuer?.close();
});

describe("a grant's exchange log", () => {
  it('holds the authorization request, the callback, the token request and the JWKS fetches, in the order they happened', () => {
    const logged = h.oauth.listExchanges({ grantId: login.grantId });
    const steps = logged.map((e) => e.step);
    const at = (step: string): number => steps.indexOf(step as never);
    expect(at('authorization')).toBeGreaterThanOrEqual(0);
    expect(at('authorization')).toBeLessThan(at('callback'));
    expect(at('callback')).toBeLessThan(at('token'));
    expect(at('token')).toBeLessThan(at('jwks'));
    const starts = logged.map((e) => e.startedAtMs);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    const authorization = new URL(logged[at('authorization')]!.url);
    for (const name of ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'code_challenge', 'nonce', 'resource']) {
      expect(authorization.searchParams.has(name), name).toBe(true);
    }
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    const jwks = logged.filter((e) => e.step === 'jwks');
    expect(jwks.length).toBeGreaterThan(0);
    expect(jwks.every((e) => e.method === 'GET' && e.status === 200 && (e.responseBody ?? '').includes('"keys"'))).toBe(true);
    // The code in the callback is masked, as every secret of the log.
    const callback = new URL(logged[at('callback')]!.url);
    expect(callback.searchParams.get('code')).not.toMatch(/^[\w-]{20,}$/);
  });
});

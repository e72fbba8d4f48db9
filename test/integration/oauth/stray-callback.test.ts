import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserLoginSetup, signInWithBrowser, type BrowserLoginSetup, type OAuthHarness } from '../../helpers/oidc-provider.ts';

let setup: BrowserLoginSetup;
let page: Page;
let h: OAuthHarness;
let profileId: string;

beforeAll(async () => {
  setup = await browserLoginSetup({ profile: { name: 'test issuer', scope: 'openid' } });
  ({ page, h, profileId } = setup);
});

afterAll(async () => {
  await setup?.close();
});

describe('a loopback listener that a stray request cannot kill', () => {
  it('a forged callback, a favicon and a probe are answered and the genuine callback then completes the login', async () => {
    const start = await h.oauth.startLogin({ profileId });
    const forged = new URL(start.redirectUri);
    forged.searchParams.set('code', 'forged-code');
    forged.searchParams.set('state', 'forged-state');
    forged.searchParams.set('iss', setup.issuer.issuer);
    const answer = await fetch(forged);
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('still waiting');
    const favicon = await fetch(new URL('/favicon.ico', start.redirectUri));
    expect(favicon.status).toBe(404);
    await favicon.text();
    expect(h.oauth.getFlow({ flowId: start.flowId }).state).toBe('waiting-for-browser');

    await signInWithBrowser(page, start.authorizationUrl);
    await page.waitForSelector('[data-result]');
    expect(await page.getAttribute('h1', 'data-result')).toBe('ok');
    const final = await h.finished(start.flowId);
    expect(final.state).toBe('done');
    const grantId = h.oauth.getFlow({ flowId: start.flowId }).result!.grantId;
    const callbacks = h.oauth.listExchanges({ grantId }).filter((e) => new URL(e.url).pathname === '/callback');
    expect(callbacks.map((e) => e.status).sort()).toEqual([200, 400]);
    // The forged code never reached the token endpoint: one token request, for the genuine code.
    expect(h.oauth.listExchanges({ grantId }).filter((e) => e.url.endsWith('/token')).length).toBe(1);

    // Once done, the listener is closed: a late callback finds nothing.
    await expect(fetch(start.redirectUri)).rejects.toThrow();
  });
});

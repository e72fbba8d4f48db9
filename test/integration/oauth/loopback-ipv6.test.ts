import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { blockNonLoopback, launchChromium } from '../../helpers/chromium.ts';
import {
  DEMO_NATIVE_CLIENT_ID,
  oauthHarness,
  signInWithBrowser,
  startTestIssuer,
  type OAuthHarness,
} from '../../helpers/oidc-provider.ts';
import type { RunningIssuer } from '../../../src/main/demo-issuer/demo-issuer.ts';
import { listenLoopback } from '../../../src/main/oauth/loopback-redirect.ts';
import { profileInputFrom } from '../../../src/cli/commands/profile.ts';

/** Whether this machine has an IPv6 loopback to bind (containers sometimes run without one). */
function canBindIpv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host: '::1', port: 0 }, () => probe.close(() => resolve(true)));
  });
}

const ipv6 = await canBindIpv6Loopback();
if (!ipv6) console.log('skipping the [::1] listener tests: this machine has no IPv6 loopback (binding ::1 failed)');

let issuer: RunningIssuer;
let browser: Browser | undefined;
let h: OAuthHarness;

beforeAll(async () => {
  issuer = await startTestIssuer();
  h = await oauthHarness();
});

afterAll(async () => {
  await h?.close();
  await browser?.close();
  await issuer?.close();
});

describe('the IPv6 loopback redirect ([::1]) as a profile option', () => {
  it('profiles accept [::1] and refuse other hosts; the CLI takes --redirect-host ::1', async () => {
    const profile = await h.oauth.saveProfile({
      name: 'v6',
      settings: { issuer: issuer.issuer, clientId: DEMO_NATIVE_CLIENT_ID, redirectHost: '[::1]' },
    });
    expect(profile.settings.redirectHost).toBe('[::1]');
    await expect(
      h.oauth.saveProfile({
        name: 'bad host',
        settings: { issuer: issuer.issuer, clientId: 'x', redirectHost: 'localhost' as '[::1]' },
      }),
    ).rejects.toMatchObject({ code: 'ERR_PROFILE_INVALID' });
    const cli = (host?: string) =>
      profileInputFrom('p', { issuer: issuer.issuer, 'client-id': 'c', ...(host ? { 'redirect-host': host } : {}) });
    expect(cli('::1').settings.redirectHost).toBe('[::1]');
    expect(cli('[::1]').settings.redirectHost).toBe('[::1]');
    expect(cli('127.0.0.1').settings.redirectHost).toBe('127.0.0.1');
    expect(cli().settings.redirectHost).toBeUndefined();
    expect(() => cli('0.0.0.0')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }) as Error);
  });

  it.skipIf(!ipv6)('a listener on ::1 receives the callback at http://[::1]:PORT/callback', async () => {
    const received: URL[] = [];
    const listener = await listenLoopback({
      host: '[::1]',
      port: 0,
      onCallback: (url) => {
        received.push(url);
        return Promise.resolve({ status: 200, ok: true, title: 'Signed in', message: 'ok' });
      },
    });
    try {
      expect(listener.redirectUri).toBe(`http://[::1]:${listener.port}/callback`);
      const response = await fetch(`${listener.redirectUri}?code=abc&state=xyz`);
      expect(response.status).toBe(200);
      expect(received).toHaveLength(1);
      expect(received[0]!.searchParams.get('code')).toBe('abc');
      // Only the IPv6 loopback is bound: the same port on 127.0.0.1 is not this listener.
      await expect(fetch(`http://127.0.0.1:${listener.port}/callback?code=abc`)).rejects.toThrow();
    } finally {
      await listener.close();
    }
  });

  it.skipIf(!ipv6)('a sign-in with redirectHost [::1] completes through the IPv6 callback', async () => {
    const profile = await h.oauth.saveProfile({
      name: 'v6 login',
      settings: { issuer: issuer.issuer, clientId: DEMO_NATIVE_CLIENT_ID, scope: 'openid', redirectHost: '[::1]', par: 'never' },
    });
    const start = await h.oauth.startLogin({ profileId: profile.id });
    expect(start.redirectUri).toMatch(/^http:\/\/\[::1\]:\d+\/callback$/);
    expect(new URL(start.authorizationUrl).searchParams.get('redirect_uri')).toBe(start.redirectUri);
    browser = await launchChromium();
    const context = await browser.newContext();
    await blockNonLoopback(context);
    const page = await context.newPage();
    await signInWithBrowser(page, start.authorizationUrl);
    await page.waitForSelector('[data-result]');
    expect(await page.getAttribute('h1', 'data-result')).toBe('ok');
    expect(new URL(page.url()).hostname).toBe('[::1]');
    await context.close();
    const final = await h.finished(start.flowId);
    expect(final.state).toBe('done');
    const result = h.oauth.getFlow({ flowId: start.flowId }).result!;
    expect(result.tokens.map((t) => t.kind).sort()).toEqual(['access_token', 'id_token']);
    const callback = h.oauth
      .listExchanges({ flowId: start.flowId })
      .find((e) => e.method === 'GET' && e.url.includes('/callback'));
    expect(new URL(callback!.url).hostname).toBe('[::1]');
  });
});

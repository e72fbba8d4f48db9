import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { blockNonLoopback } from '../../helpers/chromium.ts';
import {
  browserLoginSetup,
  DEMO_NATIVE_CLIENT_ID,
  signInWithBrowser,
  type BrowserLoginSetup,
  type OAuthHarness,
} from '../../helpers/oidc-provider.ts';
import type { RunningIssuer } from '../../../src/main/demo-issuer/demo-issuer.ts';
import type { GrantResult } from '../../../src/shared/oauth.ts';

let setup: BrowserLoginSetup;
let issuer: RunningIssuer;
let browser: Browser;
let page: Page;
let h: OAuthHarness;
let profileId: string;
let login: GrantResult;

beforeAll(async () => {
  setup = await browserLoginSetup({
    // The parameters travel in the browser URL, where these tests read them (PAR: its own test, and dpop.test.ts).
    profile: {
      name: 'test issuer',
      scope: 'openid profile offline_access',
      authorizationParams: { prompt: 'consent' },
      par: 'never',
    },
  });
  ({ issuer, browser, page, h, profileId } = setup);
});

afterAll(async () => {
  await setup?.close();
});

function tokenOfKind(result: GrantResult, kind: string): string {
  const found = result.tokens.find((t) => t.kind === kind);
  if (!found) throw new Error(`no ${kind}`);
  return found.id;
}

describe('authorization code + PKCE through the loopback redirect', () => {
  it('signs in through the system browser and stores access, refresh and ID tokens', async () => {
    const start = await h.oauth.startLogin({ profileId });
    expect(h.platform.opened).toEqual([start.authorizationUrl]);
    expect(start.browserOpened).toBe(true);
    const url = new URL(start.authorizationUrl);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(start.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);

    await signInWithBrowser(page, start.authorizationUrl);
    await page.waitForSelector('[data-result]');
    expect(await page.getAttribute('h1', 'data-result')).toBe('ok');
    expect(new URL(page.url()).origin).toBe(new URL(start.redirectUri).origin);

    const final = await h.finished(start.flowId);
    expect(final.state).toBe('done');
    const states = h.events
      .filter((e) => e.type === 'flow-progress' && e.flowId === start.flowId)
      .map((e) => (e.type === 'flow-progress' ? e.state : ''));
    expect(states).toEqual(['waiting-for-browser', 'callback-received', 'exchanging', 'done']);

    const status = h.oauth.getFlow({ flowId: start.flowId });
    expect(status.result).toBeDefined();
    login = status.result!;
    expect(login.tokens.map((t) => t.kind).sort()).toEqual(['access_token', 'id_token', 'refresh_token']);
    const access = login.tokens.find((t) => t.kind === 'access_token')!;
    expect(access.format).toBe('opaque');
    expect(login.tokens.find((t) => t.kind === 'id_token')!.format).toBe('jwt');
    expect(access.primary).toBe(true);
    const summary = h.store.getTokenSummary(access.id)!;
    expect(summary.subject).toBe('alice');
    expect(summary.grantId).toBe(login.grantId);

    // The listener is gone once the flow is over.
    await expect(fetch(start.redirectUri)).rejects.toThrow();
  });

  it('logs every exchange of the flow with secrets masked', () => {
    const exchanges = h.oauth.listExchanges({ grantId: login.grantId });
    const tokenCall = exchanges.find((e) => e.method === 'POST' && e.url.endsWith('/token'));
    expect(tokenCall?.status).toBe(200);
    const requestBody = new URLSearchParams(tokenCall!.requestBody ?? '');
    expect(requestBody.get('grant_type')).toBe('authorization_code');
    expect(requestBody.get('code_verifier')).toMatch(/^«secret \d+ chars sha256:[0-9a-f]{6}»$/);
    expect(requestBody.get('code')).toMatch(/^«secret \d+ chars/);
    const callback = exchanges.find((e) => e.method === 'GET' && e.url.includes('/callback'));
    expect(callback?.status).toBe(200);
    expect(new URL(callback!.url).searchParams.get('code')).toMatch(/^«secret \d+ chars/);
    const values = login.tokens.map((t) => h.store.getTokenValue(t.id));
    const everything = JSON.stringify(exchanges);
    for (const value of values) expect(everything.includes(value)).toBe(false);
  });

  it('refresh rotates the refresh token and marks the old one superseded', async () => {
    const oldRefresh = tokenOfKind(login, 'refresh_token');
    const refreshed = await h.oauth.refreshToken({ tokenId: tokenOfKind(login, 'access_token') });
    expect(refreshed.grantId).toBe(login.grantId);
    expect(refreshed.supersededTokenId).toBe(oldRefresh);
    expect(h.store.getTokenSummary(oldRefresh)!.status).toBe('superseded');
    const newRefresh = tokenOfKind(refreshed, 'refresh_token');
    expect(newRefresh).not.toBe(oldRefresh);
    expect(h.store.getTokenSummary(newRefresh)!.status).toBe('active');
    login = { ...refreshed, tokens: refreshed.tokens };
  });

  it('two refreshes at once send one request (single flight per grant)', async () => {
    const tokenId = tokenOfKind(login, 'refresh_token');
    const before = h.oauth.listExchanges({ grantId: login.grantId }).filter((e) => e.url.endsWith('/token')).length;
    const [a, b] = await Promise.all([h.oauth.refreshToken({ tokenId }), h.oauth.refreshToken({ tokenId })]);
    expect(a).toEqual(b);
    const after = h.oauth.listExchanges({ grantId: login.grantId }).filter((e) => e.url.endsWith('/token')).length;
    expect(after - before).toBe(1);
    login = a;
  });

  it('userinfo answers for the access token with the signed-in subject', async () => {
    const info = await h.oauth.userinfo({ tokenId: tokenOfKind(login, 'access_token') });
    expect(info.claims['sub']).toBe('alice');
  });

  it('introspection says active, then revoke, then introspection says inactive', async () => {
    const accessId = tokenOfKind(login, 'access_token');
    const first = await h.oauth.introspectToken({ tokenId: accessId });
    expect(first.active).toBe(true);
    expect(await h.oauth.revokeToken({ tokenId: accessId })).toEqual({ tokenId: accessId, revoked: true });
    expect(h.store.getTokenSummary(accessId)!.status).toBe('revoked');
    const second = await h.oauth.introspectToken({ tokenId: accessId });
    expect(second.active).toBe(false);
    // Told in words and explained member by member like a JWT's claims, not raw JSON.
    expect(first.verdict).toBe('The server says this token is active.');
    expect(first.explained.find((c) => c.name === 'active')).toMatchObject({ registered: true, source: 'RFC 7662 §2.2' });
    expect(first.explained.find((c) => c.name === 'exp')?.time?.readAs).toBe('s');
    expect(first.explained.find((c) => c.name === 'client_id')?.explanation).toMatch(/client/i);
    expect(second.verdict).toMatch(/not active \(active: false\).*no reason/);
  });

  it('pushes the authorization request (PAR, RFC 9126) when the profile asks, and the login still completes', async () => {
    const par = await h.oauth.saveProfile({
      name: 'with PAR',
      settings: { issuer: issuer.issuer, clientId: DEMO_NATIVE_CLIENT_ID, scope: 'openid', par: 'always' },
    });
    const start = await h.oauth.startLogin({ profileId: par.id });
    const url = new URL(start.authorizationUrl);
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
    const fresh = await browser.newContext();
    await blockNonLoopback(fresh);
    const parPage = await fresh.newPage();
    await signInWithBrowser(parPage, start.authorizationUrl, 'alice');
    await parPage.waitForSelector('[data-result="ok"]');
    await fresh.close();
    expect((await h.finished(start.flowId)).state).toBe('done');
    const pushed = h.oauth.listExchanges({ flowId: start.flowId }).find((e) => e.method === 'POST' && e.url.endsWith('/request'));
    expect(pushed?.status).toBe(201);
    expect(new URLSearchParams(pushed!.requestBody ?? '').get('code_challenge_method')).toBe('S256');
  });

  it('a reused rotated refresh token is invalid_grant and marks the grant dead', async () => {
    // oidc-provider revokes the whole grant when a consumed refresh token comes back.
    const supersededId = h.store
      .getGrantTokens(login.grantId)
      .find((t) => t.kind === 'refresh_token' && t.status === 'superseded')!.id;
    h.store.setTokenStatus(supersededId, 'active');
    const current = tokenOfKind(login, 'refresh_token');
    h.store.setTokenStatus(current, 'superseded');
    await expect(h.oauth.refreshToken({ tokenId: supersededId })).rejects.toMatchObject({ code: 'ERR_INVALID_GRANT' });
    expect(h.store.getGrantSummary(login.grantId)!.state).toBe('dead');
    await expect(h.oauth.refreshToken({ tokenId: current })).rejects.toMatchObject({ code: 'ERR_INVALID_GRANT' });
  });
});

import { flowErrorCode } from '../../helpers/flow-events.ts';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_NATIVE_CLIENT_ID, oauthHarness, startTestIssuer, type OAuthHarness } from '../../helpers/oidc-provider.ts';
import type { RunningIssuer } from '../../../src/main/demo-issuer/demo-issuer.ts';
import type { LoginStart } from '../../../src/shared/oauth.ts';

let issuer: RunningIssuer;
let h: OAuthHarness;
let profileId: string;
/** Token requests wait on this gate when a test closes it. */
let gate: Promise<void> | null = null;

beforeAll(async () => {
  issuer = await startTestIssuer();
  h = await oauthHarness({
    fetchImpl: async (input, init) => {
      if (gate && (input instanceof Request ? input.url : input.toString()).endsWith('/token')) await gate;
      return fetch(input, init);
    },
  });
  profileId = (
    await h.oauth.saveProfile({
      name: 'test',
      settings: { issuer: issuer.issuer, clientId: DEMO_NATIVE_CLIENT_ID, scope: 'openid', par: 'never' },
    })
  ).id;
});

afterAll(async () => {
  await h?.close();
  await issuer?.close();
});

function callbackUrl(start: LoginStart, params: Record<string, string>, path = '/callback'): string {
  const url = new URL(path, start.redirectUri);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

function stateOf(start: LoginStart): string {
  return new URL(start.authorizationUrl).searchParams.get('state')!;
}

function tokenRequests(flowId: string): number {
  return h.oauth.listExchanges({ flowId }).filter((e) => e.method === 'POST' && e.url.endsWith('/token')).length;
}

async function failedWith(
  start: LoginStart,
  params: Record<string, string>,
): Promise<{ code: unknown; status: number; page: string }> {
  const response = await fetch(callbackUrl(start, params));
  const page = await response.text();
  const final = await h.finished(start.flowId);
  expect(final.state).toBe('failed');
  return { code: flowErrorCode(final), status: response.status, page };
}

describe('loopback callback rejections', () => {
  it('a wrong or missing state is answered 400, logged, sends no token request, and the flow keeps waiting', async () => {
    const start = await h.oauth.startLogin({ profileId });
    const strays: Record<string, string>[] = [
      { code: 'abc', state: 'not-the-state', iss: issuer.issuer },
      { error: 'access_denied' },
      { code: 'abc', access_token: 'leaked' },
    ];
    for (const params of strays) {
      const response = await fetch(callbackUrl(start, params));
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(await response.text()).toContain('ERR_STATE_MISMATCH');
      expect(h.oauth.getFlow({ flowId: start.flowId }).state).toBe('waiting-for-browser');
    }
    expect(h.oauth.cancelFlow({ flowId: start.flowId }).state).toBe('cancelled');
    const logged = h.oauth.listExchanges({ flowId: start.flowId }).filter((e) => e.url.includes('/callback'));
    expect(logged.map((e) => e.status)).toEqual([400, 400, 400]);
    expect(tokenRequests(start.flowId)).toBe(0);
  });

  it('error=access_denied is ERR_AUTHORIZATION_DENIED, shown escaped, and sends no token request', async () => {
    const start = await h.oauth.startLogin({ profileId });
    const { code, page } = await failedWith(start, {
      error: 'access_denied',
      error_description: '<script>alert(1)</script>',
      state: stateOf(start),
      iss: issuer.issuer,
    });
    expect(code).toBe('ERR_AUTHORIZATION_DENIED');
    expect(page).not.toContain('<script>');
    expect(page).toContain('&#60;script&#62;');
    expect(tokenRequests(start.flowId)).toBe(0);
  });

  it('a callback carrying tokens (implicit/hybrid) is refused with ERR_AUTHORIZATION_RESPONSE', async () => {
    const start = await h.oauth.startLogin({ profileId });
    const { code } = await failedWith(start, {
      access_token: 'leaked',
      token_type: 'bearer',
      state: stateOf(start),
      iss: issuer.issuer,
    });
    expect(code).toBe('ERR_AUTHORIZATION_RESPONSE');
    expect(tokenRequests(start.flowId)).toBe(0);
    const hybrid = await h.oauth.startLogin({ profileId });
    const second = await failedWith(hybrid, { code: 'abc', id_token: 'a.b.c', state: stateOf(hybrid), iss: issuer.issuer });
    expect(second.code).toBe('ERR_AUTHORIZATION_RESPONSE');
    expect(tokenRequests(hybrid.flowId)).toBe(0);
  });

  it('a foreign or missing iss is ERR_ISSUER_MISMATCH (the server advertises RFC 9207)', async () => {
    const start = await h.oauth.startLogin({ profileId });
    expect((await failedWith(start, { code: 'abc', state: stateOf(start), iss: 'https://evil.example' })).code).toBe(
      'ERR_ISSUER_MISMATCH',
    );
    const missing = await h.oauth.startLogin({ profileId });
    expect((await failedWith(missing, { code: 'abc', state: stateOf(missing) })).code).toBe('ERR_ISSUER_MISMATCH');
    expect(tokenRequests(start.flowId) + tokenRequests(missing.flowId)).toBe(0);
  });

  it('a request on another path is answered 404 and the flow keeps waiting', async () => {
    const start = await h.oauth.startLogin({ profileId });
    const response = await fetch(callbackUrl(start, { code: 'abc', state: stateOf(start), iss: issuer.issuer }, '/favicon.ico'));
    expect(response.status).toBe(404);
    await response.text();
    expect(h.oauth.getFlow({ flowId: start.flowId }).state).toBe('waiting-for-browser');
    expect(h.oauth.cancelFlow({ flowId: start.flowId }).state).toBe('cancelled');
    expect(tokenRequests(start.flowId)).toBe(0);
    await expect(fetch(start.redirectUri)).rejects.toThrow();
  });

  it('a second callback is refused while the first is exchanged, and only one token request goes out', async () => {
    const start = await h.oauth.startLogin({ profileId });
    let open!: () => void;
    gate = new Promise<void>((resolve) => (open = resolve));
    const first = fetch(callbackUrl(start, { code: 'bogus-code', state: stateOf(start), iss: issuer.issuer }));
    while (!h.events.some((e) => e.type === 'flow-progress' && e.flowId === start.flowId && e.state === 'exchanging')) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const second = await fetch(callbackUrl(start, { code: 'another-code', state: stateOf(start), iss: issuer.issuer }));
    expect(second.status).toBe(400);
    expect(await second.text()).toContain('ERR_STATE_MISMATCH');
    open();
    gate = null;
    const firstPage = await (await first).text();
    expect(firstPage).toContain('ERR_INVALID_GRANT');
    const final = await h.finished(start.flowId);
    expect(flowErrorCode(final)).toBe('ERR_INVALID_GRANT');
    expect(tokenRequests(start.flowId)).toBe(1);
    expect(h.store.count()).toBe(0);
  });

  it('the result page is self-contained, not cached and sends no referrer', async () => {
    const start = await h.oauth.startLogin({ profileId });
    const response = await fetch(callbackUrl(start, { error: 'access_denied', state: stateOf(start), iss: issuer.issuer }));
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = await response.text();
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(page).not.toContain('<script');
    await h.finished(start.flowId);
  });

  it('a fixed redirect port that is busy is ERR_PORT_IN_USE', async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as AddressInfo).port;
    try {
      const fixed = await h.oauth.saveProfile({
        name: 'fixed port',
        settings: { issuer: issuer.issuer, clientId: DEMO_NATIVE_CLIENT_ID, redirectPort: port },
      });
      await expect(h.oauth.startLogin({ profileId: fixed.id })).rejects.toMatchObject({
        code: 'ERR_PORT_IN_USE',
        detail: { port },
      });
    } finally {
      busy.close();
    }
  });

  it('a flow nobody completes times out with ERR_TIMEOUT and closes its listener', async () => {
    const quick = await oauthHarness({ flowTimeoutMs: 150 });
    try {
      const id = (
        await quick.oauth.saveProfile({ name: 't', settings: { issuer: issuer.issuer, clientId: DEMO_NATIVE_CLIENT_ID } })
      ).id;
      const start = await quick.oauth.startLogin({ profileId: id });
      const final = await quick.finished(start.flowId);
      expect(final.state).toBe('failed');
      expect(flowErrorCode(final)).toBe('ERR_TIMEOUT');
      await expect(fetch(start.redirectUri)).rejects.toThrow();
    } finally {
      await quick.close();
    }
  });

  it('a browser that cannot be opened is reported, and the flow still waits for the URL to be opened by hand', async () => {
    const noBrowser = await oauthHarness({
      onOpen: () => {
        throw new Error('no desktop');
      },
    });
    try {
      const id = (
        await noBrowser.oauth.saveProfile({ name: 't', settings: { issuer: issuer.issuer, clientId: DEMO_NATIVE_CLIENT_ID } })
      ).id;
      const start = await noBrowser.oauth.startLogin({ profileId: id });
      expect(start.browserOpened).toBe(false);
      expect(noBrowser.oauth.getFlow({ flowId: start.flowId }).state).toBe('waiting-for-browser');
    } finally {
      await noBrowser.close();
    }
  });

  it('closing the service cancels running flows', async () => {
    const other = await oauthHarness();
    const id = (
      await other.oauth.saveProfile({ name: 't', settings: { issuer: issuer.issuer, clientId: DEMO_NATIVE_CLIENT_ID } })
    ).id;
    const start = await other.oauth.startLogin({ profileId: id });
    await other.close();
    expect((await other.finished(start.flowId)).state).toBe('cancelled');
    await expect(fetch(start.redirectUri)).rejects.toThrow();
  });
});

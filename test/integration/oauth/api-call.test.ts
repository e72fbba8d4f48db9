import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const TTL_S = 8;
let issuer: RunningIssuer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let h: OAuthHarness;
let api: Server;
let apiBase: string;
let accessId: string;
let loginAtMs: number;

/** A small resource server: checks the token with jose against the issuer's JWKS and answers RFC 6750 errors. */
function startResourceServer(issuerUrl: string): Promise<Server> {
  const jwks = createRemoteJWKSet(new URL(`${issuerUrl}/jwks`));
  const routes: Record<string, { audience: string; scope: string }> = {
    '/api/read': { audience: DEMO_JWT_RESOURCE, scope: 'api:read' },
    '/api/write': { audience: DEMO_JWT_RESOURCE, scope: 'api:write' },
    '/other/read': { audience: 'urn:example:other-api', scope: 'api:read' },
  };
  const server = createServer((req, res) => {
    const route = routes[new URL(req.url ?? '/', 'http://x').pathname];
    const refuse = (status: number, error: string, description: string, scope?: string): void => {
      const scopePart = scope ? `, scope="${scope}"` : '';
      res.writeHead(status, {
        'www-authenticate': `Bearer realm="demo-api", error="${error}", error_description="${description}"${scopePart}`,
      });
      res.end();
    };
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ')) {
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="demo-api"' }).end();
      return;
    }
    jwtVerify(auth.slice(7), jwks, { issuer: issuerUrl, audience: route.audience }).then(
      ({ payload }) => {
        const scopes = typeof payload['scope'] === 'string' ? payload['scope'].split(' ') : [];
        if (!scopes.includes(route.scope)) {
          refuse(403, 'insufficient_scope', 'the request needs more scope', route.scope);
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ hello: payload.sub, method: req.method }));
      },
      (error: unknown) => {
        const code = (error as { code?: string }).code;
        if (code === 'ERR_JWT_EXPIRED') refuse(401, 'invalid_token', 'the token expired');
        else if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') refuse(401, 'invalid_token', 'unexpected aud claim value');
        else refuse(401, 'invalid_token', 'the token is not valid');
      },
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  issuer = await startTestIssuer({ accessTokenTtlSeconds: TTL_S });
  api = await startResourceServer(issuer.issuer);
  apiBase = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  browser = await launchChromium();
  context = await browser.newContext();
  await blockNonLoopback(context);
  page = await context.newPage();
  h = await oauthHarness();
  const profileId = (
    await h.oauth.saveProfile({
      name: 'demo api',
      settings: {
        issuer: issuer.issuer,
        clientId: DEMO_NATIVE_CLIENT_ID,
        scope: 'openid offline_access api:read',
        authorizationParams: { prompt: 'consent', resource: DEMO_JWT_RESOURCE },
        // The authorization request in the browser URL (the pushed one's timeline: dpop.test.ts).
        par: 'never',
      },
    })
  ).id;
  const start = await h.oauth.startLogin({ profileId });
  await signInWithBrowser(page, start.authorizationUrl);
  await page.waitForSelector('[data-result]');
  expect((await h.finished(start.flowId)).state).toBe('done');
  loginAtMs = Date.now();
  accessId = h.oauth.getFlow({ flowId: start.flowId }).result!.tokens.find((t) => t.kind === 'access_token')!.id;
});

afterAll(async () => {
  await h?.close();
  await browser?.close();
  api?.closeAllConnections();
  api?.close();
  await issuer?.close();
});

describe('calling an API with a token', () => {
  it('a call that succeeds shows status, headers, the JSON pretty-printed and its timing, and is logged masked', async () => {
    const result = await h.oauth.callApi({ tokenId: accessId, url: `${apiBase}/api/read` });
    expect(result.outcome).toBe('ok');
    const [attempt] = result.attempts;
    expect(attempt!.response!.status).toBe(200);
    expect(attempt!.response!.headers['content-type']).toBe('application/json');
    expect(attempt!.response!.prettyBody).toBe(JSON.stringify({ hello: 'alice', method: 'GET' }, null, 2));
    expect(attempt!.response!.durationMs).toBeGreaterThanOrEqual(0);
    expect(attempt!.explanation).toEqual([]);
    const logged = h.oauth.listExchanges({ tokenId: accessId }).filter((e) => e.step === 'api-call');
    expect(logged).toHaveLength(1);
    expect(logged[0]!.url).toBe(`${apiBase}/api/read`);
    const value = h.store.getTokenValue(accessId);
    expect(JSON.stringify(logged)).not.toContain(value);
    expect(result.request.headers['authorization']).not.toContain(value);
  });

  it('refused for scope: the explanation names the scope the API needs and the one the token lacks', async () => {
    const result = await h.oauth.callApi({ tokenId: accessId, url: `${apiBase}/api/write`, method: 'POST', body: '{}' });
    expect(result.outcome).toBe('refused');
    const attempt = result.attempts[0]!;
    expect(attempt.response!.status).toBe(403);
    expect(attempt.challenges[0]).toMatchObject({
      scheme: 'Bearer',
      error: 'insufficient_scope',
      realm: 'demo-api',
      scope: ['api:write'],
    });
    expect(attempt.explanation.join('\n')).toContain('the API needs the scope api:write');
    expect(attempt.explanation.join('\n')).toContain('missing: api:write');
  });

  it('refused for audience: the explanation says whom the token is for', async () => {
    const result = await h.oauth.callApi({ tokenId: accessId, url: `${apiBase}/other/read` });
    expect(result.outcome).toBe('refused');
    const text = result.attempts[0]!.explanation.join('\n');
    expect(text).toContain('invalid_token: unexpected aud claim value');
    expect(text).toContain(`the token is for the audience ${DEMO_JWT_RESOURCE}, and the API says the audience is wrong`);
    // invalid_token on a grant that can refresh: "refresh and retry once" is offered.
    expect(result.retryOffered).toBe(true);
  });

  it("the grant's timeline starts with the authorization request, then the callback and the code exchange, each named", () => {
    const timeline = h.oauth.grantTimeline({ tokenId: accessId });
    const labels = timeline.steps.map((s) => s.label);
    expect(labels[0]).toBe('Authorization request');
    expect(labels.indexOf('Callback')).toBeGreaterThan(0);
    expect(labels.indexOf('Token request (code exchange)')).toBeGreaterThan(labels.indexOf('Callback'));
    expect(labels.lastIndexOf('API call')).toBeGreaterThan(labels.indexOf('Token request (code exchange)'));
    expect(timeline.steps[0]!.offsetText).toBe('+0 ms');
    expect(timeline.steps[0]!.parameters.map(([k]) => k)).toEqual(expect.arrayContaining(['code_challenge', 'state', 'nonce']));
    expect(timeline.steps.every((s, i) => i === 0 || s.offsetMs >= timeline.steps[i - 1]!.offsetMs)).toBe(true);
    expect(timeline.summary).toMatch(/^\d+ steps over /);
    expect(JSON.stringify(timeline)).not.toContain(h.store.getTokenValue(accessId));
  });

  it('copy as curl reproduces the call (token revealed on request, masked otherwise)', async () => {
    const masked = await h.oauth.callApi({ tokenId: accessId, url: `${apiBase}/api/read`, send: false });
    expect(masked.sent).toBe(false);
    expect(masked.curl).not.toContain(h.store.getTokenValue(accessId));
    const revealed = await h.oauth.callApi({ tokenId: accessId, url: `${apiBase}/api/read`, send: false, reveal: true });
    const { stdout } = await promisify(execFile)('sh', ['-c', revealed.curl]);
    expect(stdout).toMatch(/^HTTP\/1\.1 200/);
    expect(stdout).toContain('"hello":"alice"');
    expect(h.oauth.listExchanges({ tokenId: accessId }).filter((e) => e.step === 'api-call')).toHaveLength(3);
  });

  it('every logged exchange carries its curl, masked', () => {
    const logged = h.oauth.listExchanges({ tokenId: accessId });
    expect(logged.every((e) => typeof e.curl === 'string' && e.curl.startsWith('curl '))).toBe(true);
    expect(JSON.stringify(logged.map((e) => e.curl))).not.toContain(h.store.getTokenValue(accessId));
  });

  it('expired: explained with the expiry; refresh-and-retry refreshes the grant once and the second call succeeds', async () => {
    const wait = loginAtMs + (TTL_S + 1) * 1000 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const expired = await h.oauth.callApi({ tokenId: accessId, url: `${apiBase}/api/read` });
    expect(expired.outcome).toBe('refused');
    expect(expired.attempts[0]!.explanation.join('\n')).toMatch(/the token expired .* ago/);
    expect(expired.retryOffered).toBe(true);

    const retried = await h.oauth.callApi({ tokenId: accessId, url: `${apiBase}/api/read`, refreshAndRetry: true });
    expect(retried.attempts).toHaveLength(2);
    expect(retried.attempts[0]!.response!.status).toBe(401);
    expect(retried.attempts[1]!.tokenId).not.toBe(accessId);
    expect(retried.attempts[1]!.response!.status).toBe(200);
    expect(retried.outcome).toBe('ok');
    expect(retried.retryOffered).toBe(false);
    expect(h.oauth.grantTimeline({ tokenId: accessId }).steps.map((s) => s.label)).toContain('Refresh');
  }, 30_000);
});

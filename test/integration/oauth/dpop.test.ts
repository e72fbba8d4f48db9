/**
 * DPoP (RFC 9449) end to end: a DPoP-bound login, refresh and API call against the demo issuer (oidc-provider with
 * server nonces) and a resource server started here that checks the proof, its ath and the token's cnf.jkt with
 * jose and asks for its own nonce first (use_dpop_nonce).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { calculateJwkThumbprint, createRemoteJWKSet, decodeJwt, EmbeddedJWK, jwtVerify, type JWK } from 'jose';
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

const RS_NONCE = 'rs-nonce-1';

interface SeenProof {
  readonly htm: unknown;
  readonly htu: unknown;
  readonly ath: unknown;
  readonly nonce: unknown;
  readonly jti: unknown;
  readonly typ: unknown;
  readonly authScheme: string;
}

let issuer: RunningIssuer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let h: OAuthHarness;
let api: Server;
let apiBase: string;
let profileId: string;
let accessId: string;
const seen: SeenProof[] = [];

/** A resource server that accepts only DPoP-bound tokens with a valid proof of the bound key and its own nonce. */
function startDpopResourceServer(issuerUrl: string): Promise<Server> {
  const jwks = createRemoteJWKSet(new URL(`${issuerUrl}/jwks`));
  const jtis = new Set<string>();
  const server = createServer((req, res) => {
    const refuse = (error: string, description: string, nonce = false): void => {
      res.writeHead(401, {
        'www-authenticate': `DPoP algs="ES256", error="${error}", error_description="${description}"`,
        ...(nonce ? { 'dpop-nonce': RS_NONCE } : {}),
      });
      res.end();
    };
    const auth = req.headers.authorization ?? '';
    const proof = req.headers['dpop'];
    if (!auth.startsWith('DPoP ') || typeof proof !== 'string') {
      refuse('invalid_token', 'a DPoP-bound token and a DPoP proof are required');
      return;
    }
    const token = auth.slice(5);
    void (async () => {
      const { payload: p, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256'] });
      seen.push({
        htm: p['htm'],
        htu: p['htu'],
        ath: p['ath'],
        nonce: p['nonce'],
        jti: p.jti,
        typ: protectedHeader.typ,
        authScheme: 'DPoP',
      });
      const expectedHtu = `http://127.0.0.1:${(server.address() as AddressInfo).port}${new URL(req.url ?? '/', 'http://x').pathname}`;
      if (p['htm'] !== req.method || p['htu'] !== expectedHtu) return refuse('invalid_dpop_proof', 'htm or htu mismatch');
      if (typeof p.iat !== 'number' || Math.abs(Date.now() / 1000 - p.iat) > 60) return refuse('invalid_dpop_proof', 'iat');
      if (typeof p.jti !== 'string' || jtis.has(p.jti)) return refuse('invalid_dpop_proof', 'jti replayed');
      jtis.add(p.jti);
      if (p['ath'] !== createHash('sha256').update(token).digest('base64url'))
        return refuse('invalid_dpop_proof', 'ath does not match the token');
      if (p['nonce'] !== RS_NONCE) return refuse('use_dpop_nonce', 'use the DPoP nonce of this resource', true);
      const { payload } = await jwtVerify(token, jwks, { issuer: issuerUrl, audience: DEMO_JWT_RESOURCE });
      const jkt = await calculateJwkThumbprint(protectedHeader.jwk as JWK);
      if ((payload['cnf'] as { jkt?: string } | undefined)?.jkt !== jkt)
        return refuse('invalid_token', 'the token is not bound to the key of the proof');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ hello: payload.sub, boundTo: jkt }));
    })().catch(() => refuse('invalid_token', 'the token or its proof is not valid'));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  issuer = await startTestIssuer();
  api = await startDpopResourceServer(issuer.issuer);
  apiBase = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  browser = await launchChromium();
  context = await browser.newContext();
  await blockNonLoopback(context);
  page = await context.newPage();
  h = await oauthHarness();
  const saved = await h.oauth.saveProfile({
    name: 'dpop api',
    settings: {
      issuer: issuer.issuer,
      clientId: DEMO_NATIVE_CLIENT_ID,
      scope: 'openid offline_access api:read',
      authorizationParams: { prompt: 'consent', resource: DEMO_JWT_RESOURCE },
      dpop: true,
    },
  });
  profileId = saved.id;
  expect(saved.settings.dpopJkt).toMatch(/^[\w-]{43}$/);
}, 60_000);

afterAll(async () => {
  await h?.close();
  await browser?.close();
  api?.closeAllConnections();
  api?.close();
  await issuer?.close();
});

describe('DPoP (RFC 9449)', () => {
  it('a DPoP-bound login: PAR pushed with a proof, the use_dpop_nonce round at the token endpoint, cnf.jkt = the profile key', async () => {
    const start = await h.oauth.startLogin({ profileId });
    expect(start.par.pushed).toBe(true);
    const jkt = h.oauth.listProfiles().find((p) => p.id === profileId)!.settings.dpopJkt!;
    expect(start.dpopJkt).toBe(jkt);
    await signInWithBrowser(page, start.authorizationUrl);
    await page.waitForSelector('[data-result]');
    expect((await h.finished(start.flowId)).state).toBe('done');
    const tokens = h.oauth.getFlow({ flowId: start.flowId }).result!.tokens;
    accessId = tokens.find((t) => t.kind === 'access_token')!.id;
    const access = decodeJwt(h.store.getTokenValue(accessId));
    expect(access['cnf']).toEqual({ jkt });

    const log = h.oauth.listExchanges({ flowId: start.flowId });
    // The first proof (the PAR push) carries no nonce: the server answers use_dpop_nonce with one, and every proof
    // after it to that server has it.
    const parSteps = log.filter((e) => e.step === 'par');
    expect(parSteps.map((e) => e.status)).toEqual([400, 201]);
    expect(parSteps[0]!.responseBody).toContain('use_dpop_nonce');
    expect(parSteps[0]!.responseHeaders['dpop-nonce']).toBeDefined();
    const tokenSteps = log.filter((e) => e.step === 'token');
    expect(tokenSteps.map((e) => e.status)).toEqual([200]);
    for (const e of [...parSteps, ...tokenSteps]) expect(e.requestHeaders['dpop']).toBeDefined();
    expect(JSON.parse(tokenSteps[0]!.responseBody ?? '') as Record<string, unknown>).toMatchObject({ token_type: 'DPoP' });
    // PAR is pushed (with a proof) before the browser is sent to the authorization endpoint.
    const steps = log.map((e) => e.step);
    expect(steps.indexOf('par')).toBeGreaterThanOrEqual(0);
    expect(steps.indexOf('par')).toBeLessThan(steps.indexOf('authorization'));
    expect(log.find((e) => e.step === 'par' && e.status === 201)?.requestHeaders['dpop']).toBeDefined();

    // The grant's timeline starts with the pushed request and its parameters, then the browser's (pushed) request.
    const timeline = h.oauth.grantTimeline({ tokenId: accessId });
    expect(timeline.steps.slice(0, 3).map((s) => s.label)).toEqual([
      'Pushed authorization request (PAR)',
      'Pushed authorization request (PAR)',
      'Authorization request (pushed)',
    ]);
    expect(timeline.steps[1]!.parameters.map(([k]) => k)).toEqual(
      expect.arrayContaining(['code_challenge', 'code_challenge_method', 'state', 'nonce', 'redirect_uri']),
    );

    const binding = h.oauth.tokenBinding({ tokenId: accessId });
    expect(binding).toMatchObject({ kind: 'dpop', basis: 'cnf', tokenJkt: jkt, profileJkt: jkt, matchesProfileKey: true });
    expect(binding.summary).toContain("bound to this profile's DPoP key ✓");
  });

  it('a call with the bound token: Authorization DPoP + proof (htu without query, ath), the API nonce round, then 200', async () => {
    seen.length = 0;
    const result = await h.oauth.callApi({ tokenId: accessId, url: `${apiBase}/api/read?page=2#frag` });
    expect(result.outcome).toBe('ok');
    expect(result.attempts.map((a) => a.response?.status)).toEqual([401, 200]);
    expect(result.attempts[1]!.retry).toBe('use_dpop_nonce');
    expect(result.attempts[0]!.challenges[0]).toMatchObject({ scheme: 'DPoP', error: 'use_dpop_nonce' });
    expect(result.attempts[1]!.binding?.kind).toBe('dpop');
    expect(result.request.headers['authorization']).toMatch(/^DPoP /);
    const token = h.store.getTokenValue(accessId);
    const ath = createHash('sha256').update(token).digest('base64url');
    expect(seen.map((s) => s.htu)).toEqual([`${apiBase}/api/read`, `${apiBase}/api/read`]);
    expect(seen.every((s) => s.htm === 'GET' && s.ath === ath && s.typ === 'dpop+jwt')).toBe(true);
    expect(seen.map((s) => s.nonce)).toEqual([undefined, RS_NONCE]);
    expect(new Set(seen.map((s) => s.jti)).size).toBe(2);
    // The second call already knows the API's nonce: one request.
    const again = await h.oauth.callApi({ tokenId: accessId, url: `${apiBase}/api/read` });
    expect(again.attempts.map((a) => a.response?.status)).toEqual([200]);
  });

  it('the curl command carries Authorization DPoP and a fresh proof, and sends nothing', async () => {
    seen.length = 0;
    const result = await h.oauth.callApi({ tokenId: accessId, url: `${apiBase}/api/read`, send: false, reveal: true });
    expect(result.sent).toBe(false);
    expect(result.curl).toContain(`'authorization: DPoP ${h.store.getTokenValue(accessId)}'`);
    expect(result.curl).toMatch(/'dpop: eyJ[\w-]+\.[\w-]+\.[\w-]+'/);
    expect(seen).toEqual([]);
  });

  it('a DPoP-bound refresh: the refresh request carries a proof, the new access token is bound to the same key', async () => {
    const jkt = h.oauth.listProfiles().find((p) => p.id === profileId)!.settings.dpopJkt!;
    const refreshed = await h.oauth.refreshToken({ tokenId: accessId });
    const next = refreshed.tokens.find((t) => t.kind === 'access_token')!.id;
    expect(next).not.toBe(accessId);
    expect(decodeJwt(h.store.getTokenValue(next))['cnf']).toEqual({ jkt });
    const grantId = refreshed.grantId;
    const refreshes = h.oauth
      .listExchanges({ grantId })
      .filter((e) => e.step === 'token' && (e.requestBody ?? '').includes('grant_type=refresh_token'));
    expect(refreshes.length).toBeGreaterThanOrEqual(1);
    expect(refreshes.every((e) => e.requestHeaders['dpop'] !== undefined)).toBe(true);
    expect(refreshes.at(-1)?.status).toBe(200);
    const refreshToken = refreshed.tokens.find((t) => t.kind === 'refresh_token');
    if (refreshToken) expect(h.oauth.tokenBinding({ tokenId: refreshToken.id }).kind).toBe('dpop');
    const call = await h.oauth.callApi({ tokenId: next, url: `${apiBase}/api/read` });
    expect(call.outcome).toBe('ok');
  });

  it('an opaque DPoP-bound token: bound by the token response (token_type DPoP), userinfo with a proof, introspection cnf', async () => {
    const opaque = await h.oauth.saveProfile({
      name: 'dpop opaque',
      settings: {
        issuer: issuer.issuer,
        clientId: DEMO_NATIVE_CLIENT_ID,
        scope: 'openid offline_access',
        authorizationParams: { prompt: 'consent' },
        dpop: true,
        par: 'never',
      },
    });
    const start = await h.oauth.startLogin({ profileId: opaque.id });
    // In the front channel the code is bound by the key's thumbprint (RFC 9449 §10).
    expect(new URL(start.authorizationUrl).searchParams.get('dpop_jkt')).toBe(opaque.settings.dpopJkt);
    // A fresh browser context: the first sign-in's session at the issuer would skip the login form.
    const second = await browser.newContext();
    await blockNonLoopback(second);
    const secondPage = await second.newPage();
    await signInWithBrowser(secondPage, start.authorizationUrl);
    await secondPage.waitForSelector('[data-result]');
    await second.close();
    expect((await h.finished(start.flowId)).state).toBe('done');
    const tokenId = h.oauth.getFlow({ flowId: start.flowId }).result!.tokens.find((t) => t.kind === 'access_token')!.id;
    expect(h.oauth.tokenBinding({ tokenId })).toMatchObject({
      kind: 'dpop',
      basis: 'token-response',
      tokenJkt: opaque.settings.dpopJkt,
      matchesProfileKey: true,
    });
    const info = await h.oauth.userinfo({ tokenId });
    expect(info.claims['sub']).toBe('alice');
    const logged = h.oauth.listExchanges({ tokenId }).filter((e) => e.step === 'userinfo');
    expect(logged.at(-1)?.status).toBe(200);
    expect(logged.at(-1)?.requestHeaders['dpop']).toBeDefined();
    expect(logged.at(-1)?.requestHeaders['authorization']).toMatch(/^DPoP /);
    const introspected = await h.oauth.introspectToken({ tokenId });
    expect((introspected.claims['cnf'] as { jkt?: string } | undefined)?.jkt).toBe(opaque.settings.dpopJkt);
    expect(introspected.binding).toMatchObject({ kind: 'dpop', basis: 'introspection', matchesProfileKey: true });
  });

  it("the profile's DPoP private key is sealed: the database file never holds it in clear", () => {
    const record = h.store.getProfile(profileId)!;
    const d = (record.secrets['dpopJwk'] as { d?: string } | undefined)?.d;
    expect(d).toMatch(/^[\w-]{43}$/);
    const dir = h.platform.dataDir;
    for (const file of readdirSync(dir).filter((f) => f.startsWith('tokenscope.db'))) {
      expect(readFileSync(join(dir, file)).includes(Buffer.from(d!))).toBe(false);
    }
    expect(JSON.stringify(h.oauth.listProfiles())).not.toContain(d!);
  });

  it('a token bound to another key is not sent with a proof Tokenscope cannot make, and the binding says ✗', async () => {
    // A new key for the profile (DPoP off and on again keeps the key; deleting the secret is what changes it).
    const record = h.store.getProfile(profileId)!;
    const { dpopJwk: _old, ...others } = record.secrets;
    h.store.saveProfile({ id: profileId, name: record.name, settings: record.settings, secrets: others });
    await h.oauth.saveProfile({
      id: profileId,
      name: record.name,
      settings: { ...(record.settings as { issuer: string; clientId: string }), dpop: true },
    });
    const binding = h.oauth.tokenBinding({ tokenId: accessId });
    expect(binding.matchesProfileKey).toBe(false);
    expect(binding.summary).toContain('✗');
    const call = await h.oauth.callApi({ tokenId: accessId, url: `${apiBase}/api/read` });
    expect(call.request.headers['authorization']).toMatch(/^Bearer /);
    expect(call.attempts[0]!.explanation.join('\n')).toContain('bound to another DPoP key ✗');
  });
});

describe('PAR setting (RFC 9126)', () => {
  it('auto pushes against the demo issuer (it advertises PAR); never sends the parameters in the browser URL', async () => {
    const auto = await h.oauth.saveProfile({
      name: 'par auto',
      settings: { issuer: issuer.issuer, clientId: DEMO_NATIVE_CLIENT_ID, scope: 'openid' },
    });
    expect(auto.settings.par).toBe('auto');
    const pushed = await h.oauth.startLogin({ profileId: auto.id });
    expect(pushed.par).toMatchObject({ pushed: true });
    expect([...new URL(pushed.authorizationUrl).searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
    h.oauth.cancelFlow({ flowId: pushed.flowId });

    const never = await h.oauth.saveProfile({
      name: 'par never',
      settings: { issuer: issuer.issuer, clientId: DEMO_NATIVE_CLIENT_ID, scope: 'openid', par: 'never' },
    });
    const front = await h.oauth.startLogin({ profileId: never.id });
    expect(front.par.pushed).toBe(false);
    expect(front.par.why).toContain('the server offers PAR, but the profile says never');
    expect(new URL(front.authorizationUrl).searchParams.get('code_challenge_method')).toBe('S256');
    h.oauth.cancelFlow({ flowId: front.flowId });
  });

  it('always fails clearly against a server without a PAR endpoint', async () => {
    const manual = await h.oauth.saveProfile({
      name: 'par always, no endpoint',
      settings: {
        issuer: issuer.issuer,
        clientId: DEMO_NATIVE_CLIENT_ID,
        discovery: false,
        endpoints: { authorizationEndpoint: `${issuer.issuer}/auth`, tokenEndpoint: `${issuer.issuer}/token` },
        par: 'always',
      },
    });
    await expect(h.oauth.startLogin({ profileId: manual.id })).rejects.toMatchObject({
      code: 'ERR_NOT_SUPPORTED',
      message: expect.stringContaining('advertises no pushed_authorization_request_endpoint') as unknown,
    });
  });

  it('a profile saved before `par` existed loads with usePar mapped (true → always, absent → auto)', () => {
    const legacyId = h.store.saveProfile({
      name: 'legacy',
      settings: { issuer: issuer.issuer, clientId: 'x', usePar: true },
      secrets: {},
    });
    const view = h.oauth.listProfiles().find((p) => p.id === legacyId)!;
    expect(view.settings.par).toBe('always');
    expect(view.settings.dpop).toBe(false);
    expect('usePar' in view.settings).toBe(false);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { blockNonLoopback, launchChromium } from '../../helpers/chromium.ts';
import {
  DEMO_JWT_RESOURCE,
  DEMO_NATIVE_CLIENT_ID,
  DEMO_OPAQUE_RESOURCE,
  oauthHarness,
  signInWithBrowser,
  startTestIssuer,
  type OAuthHarness,
} from '../../helpers/oidc-provider.ts';
import type { RunningIssuer } from '../../../src/main/demo-issuer/demo-issuer.ts';
import { checkAccessToken } from '../../../src/main/oauth/access-token-check.ts';
import { KeyFetcher } from '../../../src/main/keys/index.ts';
import type { AccessTokenCheck } from '../../../src/shared/oauth.ts';

const SERVICE_CLIENT = 'test-at-service';
const SERVICE_SECRET = 'test-at-service-secret-0123456789';
let issuer: RunningIssuer;
let browser: Browser;
/** Plain harness: tokens as the issuer sent them. */
let h: OAuthHarness;
/** A harness whose fetch alters one byte of the JWT access token's signature in token responses. */
let tampered: OAuthHarness;
/** A harness whose token endpoint (seen through its fetch) returns a modified ID token. */
let tamperedId: OAuthHarness;

function tamperSignature(jwt: string): string {
  const [header, payload, signature = ''] = jwt.split('.');
  const i = Math.floor(signature.length / 2);
  const flipped = signature[i] === 'A' ? 'B' : 'A';
  return `${header}.${payload}.${signature.slice(0, i)}${flipped}${signature.slice(i + 1)}`;
}

/** The ID token with one claim added to its payload: every checked claim intact, the signature no longer fits. */
function tamperPayload(jwt: string): string {
  const [header, payload, signature = ''] = jwt.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
  const altered = Buffer.from(JSON.stringify({ ...claims, name: 'Mallory' })).toString('base64url');
  return `${header}.${altered}.${signature}`;
}

const idTamperingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const url = input instanceof Request ? input.url : input.toString();
  if (!url.endsWith('/token') || response.status !== 200) return response;
  const body = (await response.json()) as Record<string, unknown>;
  if (typeof body['id_token'] === 'string') body['id_token'] = tamperPayload(body['id_token']);
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
};

const tamperingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const url = input instanceof Request ? input.url : input.toString();
  if (!url.endsWith('/token') || response.status !== 200) return response;
  const body = (await response.json()) as Record<string, unknown>;
  if (typeof body['access_token'] === 'string') body['access_token'] = tamperSignature(body['access_token']);
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
};

function obtainedCheck(harness: OAuthHarness, tokenId: string): AccessTokenCheck | undefined {
  const event = harness.store.getEvents({ tokenId }).find((e) => e.type === 'obtained');
  expect(event).toBeDefined();
  return event?.detail['verification'];
}

async function serviceProfile(harness: OAuthHarness, resource: string): Promise<string> {
  const profile = await harness.oauth.saveProfile({
    name: `service ${resource}`,
    settings: {
      issuer: issuer.issuer,
      clientId: SERVICE_CLIENT,
      authMethod: 'client_secret_basic',
      scope: 'api:read',
      authorizationParams: { resource },
    },
    clientSecret: SERVICE_SECRET,
  });
  return profile.id;
}

beforeAll(async () => {
  issuer = await startTestIssuer({
    clients: [
      {
        client_id: SERVICE_CLIENT,
        client_secret: SERVICE_SECRET,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      },
    ],
  });
  h = await oauthHarness();
  tampered = await oauthHarness({ fetchImpl: tamperingFetch });
  tamperedId = await oauthHarness({ fetchImpl: idTamperingFetch });
});

afterAll(async () => {
  await h?.close();
  await tampered?.close();
  await tamperedId?.close();
  await browser?.close();
  await issuer?.close();
});

describe('JWT access tokens (RFC 9068) are verified against the issuer JWKS on receipt', () => {
  it('a client-credentials JWT access token is verified, with no profile findings, and the outcome is on its obtained event', async () => {
    const result = await h.oauth.clientCredentials({ profileId: await serviceProfile(h, DEMO_JWT_RESOURCE) });
    const access = result.tokens.find((t) => t.kind === 'access_token')!;
    expect(access.format).toBe('jwt');
    expect(access.verification).toMatchObject({ signature: 'verified', keySource: 'issuer JWKS', alg: 'RS256' });
    const check = obtainedCheck(h, access.id)!;
    expect(check).toEqual(access.verification);
    expect(check.reason).toBeUndefined();
    expect(check.jwksUri).toBe(`${issuer.issuer}/jwks`);
    // oidc-provider's JWT access tokens follow RFC 9068: typ at+jwt and every required claim, for the named resource.
    expect(check.findings).toEqual([]);
  });

  it('a JWT access token whose signature was altered is kept, marked invalid with the reason', async () => {
    const before = tampered.store.count();
    const result = await tampered.oauth.clientCredentials({ profileId: await serviceProfile(tampered, DEMO_JWT_RESOURCE) });
    const access = result.tokens.find((t) => t.kind === 'access_token')!;
    // Not dropped: the user is debugging this token and needs to see it.
    expect(tampered.store.count()).toBe(before + 1);
    expect(tampered.store.getTokenSummary(access.id)?.status).toBe('active');
    expect(access.verification).toMatchObject({ signature: 'invalid', reason: 'SIGNATURE_MISMATCH', keySource: 'issuer JWKS' });
    const check = obtainedCheck(tampered, access.id)!;
    expect(check.signature).toBe('invalid');
    expect(check.findings).toContain('SIGNATURE_INVALID');
  });

  it('an opaque access token is not checked', async () => {
    const result = await h.oauth.clientCredentials({ profileId: await serviceProfile(h, DEMO_OPAQUE_RESOURCE) });
    const access = result.tokens.find((t) => t.kind === 'access_token')!;
    expect(access.format).toBe('opaque');
    expect(access.verification).toBeUndefined();
    expect(obtainedCheck(h, access.id)).toBeUndefined();
  });

  it('the code flow and its refresh verify the JWT access token for the resource', async () => {
    browser = await launchChromium();
    const profile = await h.oauth.saveProfile({
      name: 'native jwt',
      settings: {
        issuer: issuer.issuer,
        clientId: DEMO_NATIVE_CLIENT_ID,
        scope: 'openid offline_access api:read',
        authorizationParams: { prompt: 'consent', resource: DEMO_JWT_RESOURCE },
      },
    });
    const start = await h.oauth.startLogin({ profileId: profile.id });
    const context = await browser.newContext();
    await blockNonLoopback(context);
    const page = await context.newPage();
    await signInWithBrowser(page, start.authorizationUrl);
    await page.waitForSelector('[data-result]');
    await context.close();
    expect((await h.finished(start.flowId)).state).toBe('done');
    const login = h.oauth.getFlow({ flowId: start.flowId }).result!;
    const access = login.tokens.find((t) => t.kind === 'access_token')!;
    expect(access.format).toBe('jwt');
    expect(obtainedCheck(h, access.id)).toMatchObject({ signature: 'verified', keySource: 'issuer JWKS' });
    // The ID token is checked on receipt too: signature, claims with the skew, the flow's nonce, at_hash.
    const id = login.tokens.find((t) => t.kind === 'id_token')!;
    expect(id.verification).toMatchObject({ signature: 'verified', keySource: 'issuer JWKS', nonce: 'matched', findings: [] });
    expect(obtainedCheck(h, id.id)).toEqual(id.verification);

    const refreshed = await h.oauth.refreshToken({ tokenId: login.tokens.find((t) => t.kind === 'refresh_token')!.id });
    const newAccess = refreshed.tokens.find((t) => t.kind === 'access_token')!;
    expect(newAccess.format).toBe('jwt');
    expect(obtainedCheck(h, newAccess.id)).toMatchObject({ signature: 'verified', keySource: 'issuer JWKS' });
    // A refresh sends no nonce: its ID token is verified, and the record says no nonce was sent.
    const newId = refreshed.tokens.find((t) => t.kind === 'id_token')!;
    expect(obtainedCheck(h, newId.id)).toMatchObject({ signature: 'verified', nonce: 'not-sent' });
  });

  it('a modified ID token from the token endpoint is kept and flagged invalid on receipt', async () => {
    browser ??= await launchChromium();
    const profile = await tamperedId.oauth.saveProfile({
      name: 'native, tampered id token',
      settings: { issuer: issuer.issuer, clientId: DEMO_NATIVE_CLIENT_ID, scope: 'openid' },
    });
    const start = await tamperedId.oauth.startLogin({ profileId: profile.id });
    const context = await browser.newContext();
    await blockNonLoopback(context);
    const page = await context.newPage();
    await signInWithBrowser(page, start.authorizationUrl);
    await page.waitForSelector('[data-result]');
    await context.close();
    expect((await tamperedId.finished(start.flowId)).state).toBe('done');
    const id = tamperedId.oauth.getFlow({ flowId: start.flowId }).result!.tokens.find((t) => t.kind === 'id_token')!;
    expect(tamperedId.store.getTokenSummary(id.id)).toBeDefined();
    const check = obtainedCheck(tamperedId, id.id)!;
    expect(check).toMatchObject({ signature: 'invalid', reason: 'SIGNATURE_MISMATCH', nonce: 'matched' });
    expect(check.findings).toContain('SIGNATURE_INVALID');
  });
});

describe('checkAccessToken (unit level, against the real issuer JWKS)', () => {
  async function jwtAccessToken(): Promise<string> {
    const result = await h.oauth.clientCredentials({ profileId: await serviceProfile(h, DEMO_JWT_RESOURCE) });
    return h.store.getTokenValue(result.tokens[0]!.id);
  }
  const deps = (fetcher = new KeyFetcher()) => ({ fetcher, now: () => Date.now() });
  const as = () => ({ issuer: issuer.issuer, jwks_uri: `${issuer.issuer}/jwks` });

  it('reports AUDIENCE_MISMATCH when the token is not for the resource the profile names', async () => {
    const check = await checkAccessToken(await jwtAccessToken(), as(), { audience: 'urn:another:api' }, deps());
    expect(check).toMatchObject({ signature: 'verified' });
    expect(check!.findings).toContain('AUDIENCE_MISMATCH');
  });

  it('is unverified with the error code when the JWKS cannot be fetched, and never throws', async () => {
    const fetcher = new KeyFetcher({ fetch: () => Promise.reject(new TypeError('fetch failed')) });
    const check = await checkAccessToken(await jwtAccessToken(), as(), {}, deps(fetcher));
    expect(check).toMatchObject({ signature: 'unverified', reason: 'ERR_NETWORK', keySource: 'issuer JWKS' });
  });

  it('is unverified without a jwks_uri, and null for an opaque token', async () => {
    const token = await jwtAccessToken();
    expect(await checkAccessToken(token, { issuer: issuer.issuer }, {}, deps())).toMatchObject({
      signature: 'unverified',
      reason: 'NO_JWKS_URI',
    });
    expect(await checkAccessToken('opaque-token-0123456789', as(), {}, deps())).toBeNull();
  });

  it('rejects with ERR_CANCELLED as soon as its signal aborts', async () => {
    const controller = new AbortController();
    const hanging = new KeyFetcher({ fetch: () => new Promise<Response>(() => undefined), timeoutMs: 60_000 });
    const pending = checkAccessToken(await jwtAccessToken(), as(), {}, { ...deps(hanging), signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ERR_CANCELLED' });
  });
});

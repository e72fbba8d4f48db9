import { flowErrorCode } from '../../helpers/flow-events.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { blockNonLoopback, launchChromium } from '../../helpers/chromium.ts';
import {
  BASIC_TEST_CLIENT,
  basicTestProfile,
  DEMO_JWT_RESOURCE,
  oauthHarness,
  startTestIssuer,
  type OAuthHarness,
} from '../../helpers/oidc-provider.ts';
import { DEVICE_CODE_GRANT, type RunningIssuer } from '../../../src/main/demo-issuer/demo-issuer.ts';
import { generateClientKey } from '../../../src/main/oauth/client-keys.ts';
import type { KeyMaterial } from '../../../src/main/oauth/client-keys.ts';

const DEVICE_CLIENT = 'test-device-no-rotation';
let issuer: RunningIssuer;
let browser: Browser;
let h: OAuthHarness;
let key: KeyMaterial;

beforeAll(async () => {
  key = await generateClientKey('ES256');
  issuer = await startTestIssuer({
    omitRefreshTokenFor: [DEVICE_CLIENT],
    clients: [
      BASIC_TEST_CLIENT,
      {
        client_id: 'test-secret-jwt',
        client_secret: 'test-secret-jwt-secret-0123456789-0123456789',
        token_endpoint_auth_method: 'client_secret_jwt',
        token_endpoint_auth_signing_alg: 'HS256',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      },
      {
        client_id: 'test-private-key-jwt',
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'ES256',
        jwks: { keys: [key.publicJwk] },
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      },
      {
        client_id: DEVICE_CLIENT,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: [DEVICE_CODE_GRANT, 'refresh_token'],
        response_types: [],
        redirect_uris: [],
      },
    ],
  });
  browser = await launchChromium();
  h = await oauthHarness();
});

afterAll(async () => {
  await h?.close();
  await browser?.close();
  await issuer?.close();
});

describe('client credentials', () => {
  it('client_secret_basic gets a JWT access token (RFC 9068) for the resource', async () => {
    const profile = await h.oauth.saveProfile(basicTestProfile(issuer.issuer));
    expect(profile.hasClientSecret).toBe(true);
    const result = await h.oauth.clientCredentials({ profileId: profile.id });
    expect(result.tokens).toHaveLength(1);
    const token = result.tokens[0]!;
    expect(token.kind).toBe('access_token');
    expect(token.format).toBe('jwt');
    const exchanges = h.oauth.listExchanges({ grantId: result.grantId });
    const call = exchanges.find((e) => e.url.endsWith('/token'))!;
    expect(call.requestHeaders['authorization']).toMatch(/^Basic «secret \d+ chars sha256:[0-9a-f]{6}»$/);
    expect(JSON.stringify(exchanges)).not.toContain('test-basic-secret-0123456789');
  });

  it('private_key_jwt signs a client assertion with the pasted key', async () => {
    const profile = await h.oauth.saveProfile({
      name: 'pkjwt',
      settings: {
        issuer: issuer.issuer,
        clientId: 'test-private-key-jwt',
        authMethod: 'private_key_jwt',
        scope: 'api:read',
        authorizationParams: { resource: DEMO_JWT_RESOURCE },
      },
      privateKey: JSON.stringify(key.privateJwk),
    });
    expect(profile.hasPrivateKey).toBe(true);
    expect(profile.settings.publicJwk?.['kid']).toBe(key.publicJwk.kid);
    expect(profile.settings.publicJwk?.['d']).toBeUndefined();
    const result = await h.oauth.clientCredentials({ profileId: profile.id });
    expect(result.tokens[0]?.kind).toBe('access_token');
    const body = new URLSearchParams(
      h.oauth.listExchanges({ grantId: result.grantId }).find((e) => e.url.endsWith('/token'))!.requestBody ?? '',
    );
    expect(body.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    expect(body.get('client_assertion')).toMatch(/^«secret \d+ chars/);
  });

  it('client_secret_jwt signs a client assertion with the secret', async () => {
    const profile = await h.oauth.saveProfile({
      name: 'secret-jwt',
      settings: {
        issuer: issuer.issuer,
        clientId: 'test-secret-jwt',
        authMethod: 'client_secret_jwt',
        scope: 'api:read',
        authorizationParams: { resource: DEMO_JWT_RESOURCE },
      },
      clientSecret: 'test-secret-jwt-secret-0123456789-0123456789',
    });
    const result = await h.oauth.clientCredentials({ profileId: profile.id });
    expect(result.tokens[0]?.kind).toBe('access_token');
  });

  it('generates a private_key_jwt key pair and shows only its public half', async () => {
    const profile = await h.oauth.saveProfile({
      name: 'generated',
      settings: { issuer: issuer.issuer, clientId: 'whatever', authMethod: 'private_key_jwt' },
      privateKey: { generate: 'ES256' },
    });
    expect(profile.settings.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(profile.settings.publicJwk?.['d']).toBeUndefined();
    expect(JSON.stringify(h.oauth.listProfiles())).not.toContain('"d":');
  });

  it('a wrong client secret is ERR_TOKEN_ENDPOINT with the OAuth error and stores nothing', async () => {
    const before = h.store.count();
    const profile = await h.oauth.saveProfile({
      name: 'wrong',
      settings: {
        issuer: issuer.issuer,
        clientId: 'test-basic',
        authMethod: 'client_secret_basic',
        scope: 'api:read',
        authorizationParams: { resource: DEMO_JWT_RESOURCE },
      },
      clientSecret: 'not-the-secret',
    });
    await expect(h.oauth.clientCredentials({ profileId: profile.id })).rejects.toMatchObject({
      code: 'ERR_TOKEN_ENDPOINT',
      detail: { status: 401, error: 'invalid_client' },
    });
    expect(h.store.count()).toBe(before);
  });
});

describe('device authorization grant (RFC 8628)', () => {
  it('polls until the user approves in the browser, then refresh without a new refresh token keeps the old one', async () => {
    const profile = await h.oauth.saveProfile({
      name: 'device',
      settings: {
        issuer: issuer.issuer,
        clientId: DEVICE_CLIENT,
        scope: 'openid offline_access',
        authorizationParams: { prompt: 'consent' },
      },
    });
    const start = await h.oauth.startDeviceFlow({ profileId: profile.id });
    expect(start.intervalSeconds).toBe(0.2);
    expect(start.userCode).toMatch(/\w/);
    expect(start.verificationUriComplete).toContain(issuer.issuer);

    const context = await browser.newContext();
    await blockNonLoopback(context);
    const page = await context.newPage();
    await page.goto(start.verificationUriComplete!);
    // verification_uri_complete carries the code, so the issuer asks for confirmation straight away.
    await page.click('#allow');
    await page.fill('#username', 'bob');
    await page.click('button:has-text("Sign in")');
    await page.waitForSelector('h1:has-text("Device connected")');
    await context.close();

    const final = await h.finished(start.flowId);
    expect(final.state).toBe('done');
    const flow = h.oauth.getFlow({ flowId: start.flowId });
    const tokens = flow.result!.tokens;
    expect(tokens.map((t) => t.kind).sort()).toEqual(['access_token', 'id_token', 'refresh_token']);
    const polls = h.events.filter((e) => e.type === 'flow-progress' && e.flowId === start.flowId && e.state === 'polling');
    expect(polls.length).toBeGreaterThanOrEqual(1);

    const refreshId = tokens.find((t) => t.kind === 'refresh_token')!.id;
    const refreshed = await h.oauth.refreshToken({ tokenId: refreshId });
    expect(refreshed.grantId).toBe(flow.result!.grantId);
    expect(refreshed.tokens.some((t) => t.kind === 'refresh_token')).toBe(false);
    expect(refreshed.supersededTokenId).toBeUndefined();
    expect(h.store.getTokenSummary(refreshId)!.status).toBe('active');
    // The kept refresh token still works.
    const again = await h.oauth.refreshToken({ tokenId: refreshId });
    expect(again.tokens.find((t) => t.kind === 'access_token')).toBeDefined();
  });

  it('denying the device is ERR_DEVICE_DENIED', async () => {
    const profile = await h.oauth.saveProfile({
      name: 'device-deny',
      settings: { issuer: issuer.issuer, clientId: DEVICE_CLIENT, scope: 'openid' },
    });
    const start = await h.oauth.startDeviceFlow({ profileId: profile.id });
    const context = await browser.newContext();
    await blockNonLoopback(context);
    const page = await context.newPage();
    await page.goto(start.verificationUriComplete!);
    await page.click('button[name="abort"]');
    await context.close();
    const final = await h.finished(start.flowId);
    expect(final.state).toBe('failed');
    expect(flowErrorCode(final)).toBe('ERR_DEVICE_DENIED');
  });

  it('cancelling a device flow stops polling', async () => {
    const profile = await h.oauth.saveProfile({
      name: 'device-cancel',
      settings: { issuer: issuer.issuer, clientId: DEVICE_CLIENT, scope: 'openid' },
    });
    const start = await h.oauth.startDeviceFlow({ profileId: profile.id });
    expect(h.oauth.cancelFlow({ flowId: start.flowId }).state).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 500));
    expect(h.oauth.listExchanges({ flowId: start.flowId }).filter((e) => e.url.endsWith('/token'))).toHaveLength(0);
  });
});

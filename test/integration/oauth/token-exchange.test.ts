import { decodeJwt } from 'jose';
import type { Browser, Page } from 'playwright-core';
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
import {
  DEMO_BACKEND_RESOURCE,
  DEMO_OPAQUE_RESOURCE,
  DEMO_SERVICE_CLIENT_ID,
  type RunningIssuer,
} from '../../../src/main/demo-issuer/demo-issuer.ts';
import { inspectText } from '../../../src/shared/token/inspect.ts';
import { TokenscopeError } from '../../../src/shared/result.ts';

const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
let issuer: RunningIssuer;
let browser: Browser;
let page: Page;
let h: OAuthHarness;
/** The login's JWT access token (for the demo API) and its opaque one (userinfo only). */
let jwtAccessId: string;
let serviceProfileId: string;

async function login(profileId: string): Promise<string> {
  const start = await h.oauth.startLogin({ profileId });
  await signInWithBrowser(page, start.authorizationUrl);
  await page.waitForSelector('[data-result]');
  expect((await h.finished(start.flowId)).state).toBe('done');
  return h.oauth.getFlow({ flowId: start.flowId }).result!.tokens.find((t) => t.kind === 'access_token')!.id;
}

async function codeOf(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
    return undefined;
  } catch (e) {
    return (e as TokenscopeError).code;
  }
}

beforeAll(async () => {
  issuer = await startTestIssuer();
  browser = await launchChromium();
  const context = await browser.newContext();
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
      },
    })
  ).id;
  jwtAccessId = await login(profileId);
  serviceProfileId = (
    await h.oauth.saveProfile({
      name: 'service',
      settings: {
        issuer: issuer.issuer,
        clientId: DEMO_SERVICE_CLIENT_ID,
        authMethod: 'client_secret_basic',
        scope: 'api:read',
        authorizationParams: { resource: DEMO_OPAQUE_RESOURCE },
      },
      clientSecret: issuer.serviceClientSecret,
    })
  ).id;
});

afterAll(async () => {
  await h?.close();
  await browser?.close();
  await issuer?.close();
});

describe('token exchange (RFC 8693) against the demo issuer', () => {
  it("exchanges a login's access token for another audience: the new token joins the history as its own issuance, linked to the subject, with issued_token_type", async () => {
    const result = await h.oauth.exchangeToken({ tokenId: jwtAccessId, audience: DEMO_BACKEND_RESOURCE });
    expect(result.subjectTokenId).toBe(jwtAccessId);
    expect(result.issuedTokenType).toBe(ACCESS_TOKEN_TYPE);
    expect(result.issuedTokenTypeText).toBe(`an access token (${ACCESS_TOKEN_TYPE})`);
    const [issued] = result.tokens;
    expect(result.tokens).toHaveLength(1);
    expect(issued!.kind).toBe('access_token');
    expect(issued!.created).toBe(true);
    // checked on receipt against the exchange's own audience, not the profile's
    expect(issued!.verification?.signature).toBe('verified');
    expect(issued!.verification?.findings).not.toContain('AUDIENCE_MISMATCH');

    const claims = decodeJwt(h.store.getTokenValue(issued!.id));
    expect(claims.aud).toBe(DEMO_BACKEND_RESOURCE);
    expect(claims.sub).toBe('alice');
    expect(claims['scope']).toBe('api:read');
    expect(claims['act']).toBeUndefined();

    const issuance = h.store.issuanceOfToken(issued!.id)!;
    expect(issuance.id).toBe(result.issuanceId);
    expect(issuance.request).toBe('token_exchange');
    expect(issuance.label).toBe('token exchange');
    expect(issuance.exchange).toEqual({
      subjectTokenId: jwtAccessId,
      actorTokenId: null,
      issuedTokenType: ACCESS_TOKEN_TYPE,
      issuedTokenTypeText: `an access token (${ACCESS_TOKEN_TYPE})`,
    });
    // a grant of its own, through the same profile; the subject's history says what it was exchanged for
    const subject = h.store.getTokenSummary(jwtAccessId)!;
    expect(result.grantId).not.toBe(subject.grantId);
    expect(h.store.getGrantSummary(result.grantId)?.grantType).toBe('urn:ietf:params:oauth:grant-type:token-exchange');
    const exchanged = h.store.getEvents({ tokenId: jwtAccessId }).find((e) => e.type === 'exchanged');
    expect(exchanged?.detail).toEqual({
      newTokenIds: [issued!.id],
      issuanceId: result.issuanceId,
      issuedTokenType: ACCESS_TOKEN_TYPE,
      target: DEMO_BACKEND_RESOURCE,
    });
  });

  it('logs the exchange request with the subject token masked and the grant type named', async () => {
    const result = await h.oauth.exchangeToken({ tokenId: jwtAccessId, resource: DEMO_BACKEND_RESOURCE, scope: 'api:read' });
    const [logged] = h.oauth.listExchanges({ grantId: result.grantId });
    expect(logged?.step).toBe('token');
    const body = new URLSearchParams(logged?.requestBody ?? '');
    expect(body.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:token-exchange');
    expect(body.get('subject_token_type')).toBe(ACCESS_TOKEN_TYPE);
    expect(body.get('resource')).toBe(DEMO_BACKEND_RESOURCE);
    const subjectValue = h.store.getTokenValue(jwtAccessId);
    expect(logged?.requestBody).not.toContain(subjectValue.slice(0, 40));
    expect(logged?.responseBody).not.toContain(h.store.getTokenValue(result.tokens[0]!.id).slice(0, 40));
  });

  it('with an actor token the new token says who acts for whom, nested on a second exchange, explained in words', async () => {
    const service = await h.oauth.clientCredentials({ profileId: serviceProfileId });
    const actorId = service.tokens[0]!.id;
    const first = await h.oauth.exchangeToken({ tokenId: jwtAccessId, audience: DEMO_BACKEND_RESOURCE, actorTokenId: actorId });
    expect(first.actorTokenId).toBe(actorId);
    expect(h.store.issuanceOfToken(first.tokens[0]!.id)?.exchange?.actorTokenId).toBe(actorId);
    const firstClaims = decodeJwt(h.store.getTokenValue(first.tokens[0]!.id));
    expect(firstClaims['act']).toEqual({ sub: DEMO_SERVICE_CLIENT_ID, client_id: DEMO_SERVICE_CLIENT_ID });

    // The exchanged token exchanged again, by the same actor: the earlier actor is nested inside.
    const second = await h.oauth.exchangeToken({
      tokenId: first.tokens[0]!.id,
      resource: DEMO_JWT_RESOURCE,
      actorTokenId: actorId,
    });
    const value = h.store.getTokenValue(second.tokens[0]!.id);
    expect(decodeJwt(value)['act']).toEqual({
      sub: DEMO_SERVICE_CLIENT_ID,
      client_id: DEMO_SERVICE_CLIENT_ID,
      act: { sub: DEMO_SERVICE_CLIENT_ID, client_id: DEMO_SERVICE_CLIENT_ID },
    });
    const inspected = inspectText(value, { nowMs: Date.now() });
    const act = inspected.claims.find((c) => c.name === 'act');
    expect(act?.explanation).toContain(`${DEMO_SERVICE_CLIENT_ID} acts on behalf of alice`);
    expect(act?.explanation).toContain(`before it, ${DEMO_SERVICE_CLIENT_ID} acted`);
  });

  it("the server's refusals come back as codes with its words: a scope beyond the subject's, an unknown target, a type it does not issue", async () => {
    await expect(
      h.oauth.exchangeToken({ tokenId: jwtAccessId, audience: DEMO_BACKEND_RESOURCE, scope: 'api:write' }),
    ).rejects.toMatchObject({ code: 'ERR_TOKEN_ENDPOINT', message: expect.stringContaining('invalid_scope') });
    await expect(h.oauth.exchangeToken({ tokenId: jwtAccessId, audience: 'urn:nobody' })).rejects.toMatchObject({
      code: 'ERR_TOKEN_ENDPOINT',
      message: expect.stringContaining('invalid_target'),
    });
    await expect(
      h.oauth.exchangeToken({ tokenId: jwtAccessId, audience: DEMO_BACKEND_RESOURCE, requestedTokenType: 'id_token' }),
    ).rejects.toMatchObject({ code: 'ERR_TOKEN_ENDPOINT', message: expect.stringContaining('requested_token_type') });
  });

  it('a subject token the server no longer accepts is refused as invalid_grant, in words about the token sent', async () => {
    const service = await h.oauth.clientCredentials({ profileId: serviceProfileId });
    const opaqueId = service.tokens[0]!.id;
    await h.oauth.revokeToken({ tokenId: opaqueId });
    const refused = h.oauth.exchangeToken({ tokenId: opaqueId, audience: DEMO_BACKEND_RESOURCE });
    await expect(refused).rejects.toMatchObject({
      code: 'ERR_INVALID_GRANT',
      message: expect.stringContaining('the server refused the token sent for exchange'),
    });
  });

  it('without an audience or a resource nothing is sent', async () => {
    const before = h.oauth.listExchanges({ tokenId: jwtAccessId, limit: 1000 }).length;
    const logged = h.store.count();
    expect(await codeOf(h.oauth.exchangeToken({ tokenId: jwtAccessId }))).toBe('ERR_INVALID_ARGUMENT');
    expect(h.oauth.listExchanges({ tokenId: jwtAccessId, limit: 1000 })).toHaveLength(before);
    expect(h.store.count()).toBe(logged);
  });
});

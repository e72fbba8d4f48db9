import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { blockNonLoopback, launchChromium } from '../../helpers/chromium.ts';
import { signInWithBrowser } from '../../helpers/oidc-provider.ts';
import { testPlatform, type TestPlatform } from '../../helpers/test-platform.ts';
import { createServices } from '../../../src/main/services.ts';
import type { TokenscopeBackend, TokenscopeEvent } from '../../../src/shared/api.ts';
import { DEMO_PROFILE_NAME } from '../../../src/shared/profile.ts';
import type { Result } from '../../../src/shared/result.ts';

let browser: Browser;
let platform: TestPlatform;
let backend: TokenscopeBackend;
const events: TokenscopeEvent[] = [];

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

beforeAll(async () => {
  browser = await launchChromium();
  platform = testPlatform();
  backend = await createServices(platform);
  backend.onEvent((e) => events.push(e));
});

afterAll(async () => {
  await backend?.close();
  await browser?.close();
});

describe('the built-in demo issuer through the contract', () => {
  let issuer = '';
  let profileId = '';

  it('a fresh install has the demo profile preselectable, before the issuer even runs', async () => {
    const profiles = value(await backend.listProfiles());
    expect(profiles).toHaveLength(1);
    expect(profiles[0]?.name).toBe(DEMO_PROFILE_NAME);
    expect(profiles[0]?.settings.demo).toBe(true);
    profileId = profiles[0]!.id;
  });

  it('ensureDemoIssuer starts it on 127.0.0.1 and points the demo profiles at it', async () => {
    const info = value(await backend.ensureDemoIssuer());
    issuer = info.issuer;
    expect(issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.profileId).toBe(profileId);
    const profiles = value(await backend.listProfiles());
    expect(profiles.filter((p) => p.settings.demo)).toHaveLength(3);
    expect(profiles.every((p) => p.settings.issuer === issuer)).toBe(true);
    const discovery = value(await backend.discover({ issuer }));
    expect(discovery.supports).toMatchObject({
      pkceS256: true,
      deviceCode: true,
      tokenExchange: true,
      revocation: true,
      introspection: true,
      issParameter: true,
    });
    // Same issuer again: no second server.
    expect(value(await backend.ensureDemoIssuer()).issuer).toBe(issuer);
  });

  it('one click: login with the demo profile, then refresh, introspect and revoke work on the token', async () => {
    const start = value(await backend.startLogin({ profileId }));
    expect(platform.opened.at(-1)).toBe(start.authorizationUrl);
    const context = await browser.newContext();
    await blockNonLoopback(context);
    const page = await context.newPage();
    await signInWithBrowser(page, start.authorizationUrl, 'carol');
    await page.waitForSelector('[data-result="ok"]');
    await context.close();
    await expect
      .poll(() => events.some((e) => e.type === 'flow-progress' && e.flowId === start.flowId && e.state === 'done'))
      .toBe(true);
    expect(events.some((e) => e.type === 'tokens-changed')).toBe(true);
    const flow = value(await backend.getFlow({ flowId: start.flowId }));
    const access = flow.result!.tokens.find((t) => t.kind === 'access_token')!;
    expect(flow.result!.tokens.map((t) => t.kind).sort()).toEqual(['access_token', 'id_token', 'refresh_token']);

    const refreshed = value(await backend.refreshToken({ tokenId: access.id }));
    const newAccess = refreshed.tokens.find((t) => t.kind === 'access_token')!;
    expect(value(await backend.userinfo({ tokenId: newAccess.id })).claims['sub']).toBe('carol');
    expect(value(await backend.introspectToken({ tokenId: newAccess.id })).active).toBe(true);
    value(await backend.revokeToken({ tokenId: newAccess.id }));
    expect(value(await backend.introspectToken({ tokenId: newAccess.id })).active).toBe(false);
    expect(value(await backend.listExchanges({ grantId: flow.result!.grantId })).length).toBeGreaterThan(3);
  });

  it('the demo client-credentials profile gets a JWT access token', async () => {
    const info = value(await backend.ensureDemoIssuer());
    const result = value(await backend.clientCredentials({ profileId: info.serviceProfileId }));
    expect(result.tokens[0]).toMatchObject({ kind: 'access_token', format: 'jwt' });
  });

  it('errors come back as Results with stable codes', async () => {
    const missing = await backend.startLogin({ profileId: 'no-such-profile' });
    expect(missing.ok ? '' : missing.error.code).toBe('ERR_NOT_FOUND');
    const flow = await backend.cancelFlow({ flowId: 'nope' });
    expect(flow.ok ? '' : flow.error.code).toBe('ERR_FLOW_NOT_FOUND');
    const invalid = await backend.saveProfile({ name: 'x', settings: { issuer: 'http://example.com', clientId: 'c' } });
    expect(invalid.ok ? '' : invalid.error.code).toBe('ERR_PROFILE_INVALID');
    const secretless = await backend.saveProfile({
      name: 'x',
      settings: { issuer: 'https://example.com', clientId: 'c', authMethod: 'client_secret_basic' },
    });
    expect(secretless.ok ? '' : secretless.error.code).toBe('ERR_PROFILE_INVALID');
  });

  it('close() stops running flows and the demo issuer', async () => {
    const start = value(await backend.startLogin({ profileId }));
    await backend.close();
    await expect(fetch(`${issuer}/.well-known/openid-configuration`)).rejects.toThrow();
    await expect(fetch(start.redirectUri)).rejects.toThrow();
    expect(events.some((e) => e.type === 'flow-progress' && e.flowId === start.flowId && e.state === 'cancelled')).toBe(true);
  });
});

/**
 * Scopes and refresh explained, through the contract with a real oidc-provider: requested vs granted scopes,
 * offline_access asked for without prompt=consent (no refresh token, the cause in words, also in `tokenscope history
 * show`), and a profile with auto-refresh: "next refresh in …" from the armed timer, and the refresh it makes is
 * labelled "auto-refresh", not like a manual one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { blockNonLoopback, launchChromium } from '../../helpers/chromium.ts';
import { io } from '../../helpers/cli-io.ts';
import { DEMO_NATIVE_CLIENT_ID, signInWithBrowser, startTestIssuer } from '../../helpers/oidc-provider.ts';
import { testPlatform, type TestPlatform } from '../../helpers/test-platform.ts';
import { main } from '../../../src/cli/main.ts';
import { createServices } from '../../../src/main/services.ts';
import type { TokenscopeBackend } from '../../../src/shared/api.ts';
import type { GrantResult } from '../../../src/shared/oauth.ts';
import type { Result } from '../../../src/shared/result.ts';

type Issuer = Awaited<ReturnType<typeof startTestIssuer>>;
let issuer: Issuer;
let browser: Browser;
let platform: TestPlatform;
let backend: TokenscopeBackend;
/** The access token of the grant without a refresh token, and the cause the contract gave. */
let noRefresh = { access: '', cause: '' };

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

async function loginWith(settings: Record<string, unknown>): Promise<GrantResult> {
  const profile = value(
    await backend.saveProfile({
      name: `p-${String(Math.random()).slice(2, 8)}`,
      settings: { issuer: issuer.issuer, clientId: DEMO_NATIVE_CLIENT_ID, ...settings },
    }),
  );
  const start = value(await backend.startLogin({ profileId: profile.id }));
  // A fresh browser context each time: no session of the last sign-in skips the login page.
  const context = await browser.newContext();
  await blockNonLoopback(context);
  const page = await context.newPage();
  await signInWithBrowser(page, start.authorizationUrl, 'erin');
  await page.waitForSelector('[data-result]');
  await context.close();
  for (let i = 0; i < 200; i++) {
    const flow = value(await backend.getFlow({ flowId: start.flowId }));
    if (flow.result) return flow.result;
    if (flow.state === 'failed') throw new Error(JSON.stringify(flow.error));
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the login did not finish');
}

beforeAll(async () => {
  // Access tokens live 2 s: the auto-refresh timer fires within the test.
  issuer = await startTestIssuer({ accessTokenTtlSeconds: 2 });
  browser = await launchChromium();
  platform = testPlatform();
  backend = await createServices(platform);
});
afterAll(async () => {
  await backend.close();
  await browser.close();
  await issuer.close();
});

describe('requested vs granted scopes, and why there is no refresh token', () => {
  it('offline_access without prompt=consent: no refresh token, and the cause says prompt=consent', async () => {
    const result = await loginWith({ scope: 'openid profile offline_access' });
    expect(result.tokens.map((t) => t.kind)).not.toContain('refresh_token');
    const lineage = value(await backend.grantLineage({ grantId: result.grantId }));
    expect(lineage.scopes?.requested).toEqual(['openid', 'profile', 'offline_access']);
    expect(lineage.scopes?.granted).not.toContain('offline_access');
    expect(lineage.scopes?.notGranted).toEqual(['offline_access']);
    expect(lineage.scopes?.text).toMatch(/^Requested: openid profile offline_access\. Granted: .*Not granted: offline_access\.$/);
    expect(lineage.scopes?.missingRefresh).toMatch(/offline_access was requested but not granted.*prompt=consent/);
    noRefresh = {
      access: result.tokens.find((t) => t.kind === 'access_token')?.id ?? '',
      cause: lineage.scopes?.missingRefresh ?? '',
    };
  });

  it('with prompt=consent the refresh token comes and nothing is missing; auto-refresh says when, then labels its refresh', async () => {
    const result = await loginWith({
      scope: 'openid offline_access',
      authorizationParams: { prompt: 'consent' },
      autoRefresh: true,
    });
    expect(result.tokens.map((t) => t.kind)).toContain('refresh_token');
    const lineage = value(await backend.grantLineage({ grantId: result.grantId }));
    expect(lineage.scopes?.missingRefresh).toBeNull();
    expect(lineage.scopes?.text).toBe('Granted as requested: openid offline_access.');
    const access = result.tokens.find((t) => t.kind === 'access_token');
    expect(lineage.autoRefresh?.on).toBe(true);
    // A fifth of the 2 s lifetime before the expiry (at most a minute before).
    expect(lineage.autoRefresh?.nextAtMs).toBeGreaterThan(platform.now());
    expect(lineage.autoRefresh?.nextAtMs).toBeLessThanOrEqual(access?.expiresAtMs ?? 0);
    // The timer fires: the grant's next issuance is an auto-refresh, and its events say so.
    let labels: string[] = [];
    for (let i = 0; i < 100 && labels.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      labels = value(await backend.grantLineage({ grantId: result.grantId })).issuances.map((x) => x.label);
    }
    expect(labels.slice(0, 2)).toEqual(['login', 'auto-refresh 1']);
    const events = value(await backend.getEvents({ grantId: result.grantId }));
    expect(events.some((e) => e.type === 'refreshed' && e.detail.by === 'auto-refresh')).toBe(true);
    expect(events.some((e) => e.type === 'obtained' && e.detail.source === 'auto-refresh')).toBe(true);
    // The Timeline (and `tokenscope log`) names the request by who asked: the auto-refresh, not a person's Refresh.
    const steps = value(await backend.grantTimeline({ grantId: result.grantId })).steps.map((s) => s.label);
    expect(steps).toContain('Auto-refresh');
    expect(steps).not.toContain('Refresh');
    expect(steps).toContain('Token request (code exchange)');
  });

  it('tokenscope history show tells the same cause (the CLI reads the same history once the app is closed)', async () => {
    await backend.close();
    const out = io({ TOKENSCOPE_DATA_DIR: platform.dataDir });
    expect(await main(['history', 'show', noRefresh.access], out)).toBe(0);
    expect(out.out()).toContain(`refresh   ${noRefresh.cause}`);
    expect(out.out()).toContain('scopes    Requested: openid profile offline_access.');
    backend = await createServices(platform);
  });
});

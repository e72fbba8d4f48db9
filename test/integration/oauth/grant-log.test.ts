import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserLoginSetup, DEMO_JWT_RESOURCE, type BrowserLoginSetup, type OAuthHarness } from '../../helpers/oidc-provider.ts';
import type { GrantResult } from '../../../src/shared/oauth.ts';

let setup: BrowserLoginSetup;
let h: OAuthHarness;
let login: GrantResult;

beforeAll(async () => {
  setup = await browserLoginSetup({
    profile: {
      name: 'jwt api',
      scope: 'openid offline_access api:read',
      authorizationParams: { prompt: 'consent', resource: DEMO_JWT_RESOURCE },
      // Every parameter in the authorization request itself (the PAR timeline: dpop.test.ts).
      par: 'never',
    },
  });
  h = setup.h;
  login = await setup.login();
});

afterAll(async () => {
  await setup?.close();
});

describe("a grant's exchange log", () => {
  it('holds the authorization request, the callback, the token request and the JWKS fetches, in the order they happened', () => {
    const logged = h.oauth.listExchanges({ grantId: login.grantId });
    const steps = logged.map((e) => e.step);
    const at = (step: string): number => steps.indexOf(step as never);
    expect(at('authorization')).toBeGreaterThanOrEqual(0);
    expect(at('authorization')).toBeLessThan(at('callback'));
    expect(at('callback')).toBeLessThan(at('token'));
    expect(at('token')).toBeLessThan(at('jwks'));
    const starts = logged.map((e) => e.startedAtMs);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    const authorization = new URL(logged[at('authorization')]!.url);
    for (const name of ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'code_challenge', 'nonce', 'resource']) {
      expect(authorization.searchParams.has(name), name).toBe(true);
    }
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    const jwks = logged.filter((e) => e.step === 'jwks');
    expect(jwks.length).toBeGreaterThan(0);
    expect(jwks.every((e) => e.method === 'GET' && e.status === 200 && (e.responseBody ?? '').includes('"keys"'))).toBe(true);
    // The code in the callback is masked, as every secret of the log.
    const callback = new URL(logged[at('callback')]!.url);
    expect(callback.searchParams.get('code')).not.toMatch(/^[\w-]{20,}$/);
  });
});

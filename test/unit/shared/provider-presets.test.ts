import { describe, expect, it } from 'vitest';
import { analyzeToken } from '../../../src/shared/token/analyze.ts';
import { applyPreset, findPreset } from '../../../src/shared/presets/apply.ts';
import { PRESET_IDS, PROVIDER_PRESETS } from '../../../src/shared/presets/providers.ts';
import { normalizeProfileSettings } from '../../../src/shared/profile.ts';
import {
  AUTH0_OPAQUE_JWE,
  GITHUB_ACCESS_TOKEN,
  GOOGLE_ACCESS_TOKEN,
  VENDOR_JWTS,
  jwtOf,
} from '../../fixtures/tokens/vendors/vendor-tokens.ts';

const NOW_MS = 1_780_000_100_000;
const UNREGISTERED = 'Not a registered claim: its meaning is defined by the issuer.';

function analyzed(name: keyof typeof VENDOR_JWTS) {
  return analyzeToken(jwtOf(VENDOR_JWTS[name]), NOW_MS, undefined);
}
const quirks = (findings: readonly { code: string; message: string }[]) =>
  findings.filter((f) => f.code === 'PROVIDER_QUIRK').map((f) => f.message);

describe('vendor claims are explained in the one claim table', () => {
  for (const name of Object.keys(VENDOR_JWTS) as (keyof typeof VENDOR_JWTS)[]) {
    it(`every claim of a ${name} token has an explanation`, () => {
      const unexplained = analyzed(name)
        .claims.filter((c) => c.explanation === UNREGISTERED)
        .map((c) => c.name);
      expect(unexplained).toEqual([]);
    });
  }

  it('names the vendor of the claims the issue lists', () => {
    const byName = (name: keyof typeof VENDOR_JWTS) => new Map(analyzed(name).claims.map((c) => [c.name, c.explanation]));
    const auth0 = byName('auth0Access');
    expect(auth0.get('permissions')).toMatch(/^Auth0 RBAC/);
    expect(auth0.get('org_id')).toMatch(/^Auth0 Organizations/);
    expect(auth0.get('https://acme.example/roles')).toMatch(/namespaced custom claim/);
    const okta = byName('oktaAccess');
    expect(okta.get('groups')).toContain('Okta');
    expect(okta.get('uid')).toContain('Okta');
    expect(okta.get('cid')).toContain('Okta');
    const entra = byName('entraGraphV1');
    for (const claim of ['wids', 'tid', 'oid', 'scp', 'xms_st', 'xms_tcdt'])
      expect(entra.get(claim)).toContain('Microsoft Entra');
    expect(byName('entraApiV2').get('roles')).toContain('Entra');
    const cognito = byName('cognitoAccess');
    expect(cognito.get('cognito:groups')).toContain('AWS Cognito');
    expect(cognito.get('token_use')).toContain('AWS Cognito');
    expect(cognito.get('client_id')).toContain('Cognito');
    const keycloak = byName('keycloakAccess');
    expect(keycloak.get('realm_access')).toContain('Keycloak');
    expect(keycloak.get('resource_access')).toContain('Keycloak');
    const google = byName('googleId');
    expect(google.get('hd')).toContain('Google');
    expect(google.get('email_verified')).toContain('Google');
  });
});

describe("providers' quirks become findings when a token is theirs", () => {
  it('an Entra access token with a nonce in its header cannot be verified by a client (warning), and v1 is said', () => {
    const found = quirks(analyzed('entraGraphV1').findings);
    expect(found.some((m) => m.includes('nonce in its header') && m.includes('no client or API but Graph'))).toBe(true);
    expect(found.some((m) => m.includes('v1.0'))).toBe(true);
    expect(analyzed('entraGraphV1').findings.find((f) => f.code === 'PROVIDER_QUIRK' && f.field === 'nonce')?.severity).toBe(
      'warning',
    );
    expect(quirks(analyzed('entraApiV2').findings)).toEqual([]);
  });

  it("Cognito's token_use: an access token has no aud (check client_id), an ID token is not for APIs", () => {
    expect(quirks(analyzed('cognitoAccess').findings)).toEqual([
      expect.stringContaining('checks client_id and token_use = access'),
    ]);
    expect(quirks(analyzed('cognitoId').findings)).toEqual([expect.stringContaining('token_use = id')]);
  });

  it('Auth0 without an audience: a /userinfo-only JWT, and the opaque JWE named by its header', () => {
    expect(quirks(analyzed('auth0Access').findings)).toEqual([]);
    expect(quirks(analyzed('auth0UserinfoOnly').findings)).toEqual([expect.stringContaining('audience=YOUR_API')]);
    const jwe = analyzeToken(AUTH0_OPAQUE_JWE, NOW_MS, undefined);
    expect(jwe.kind).toBe('jwe');
    expect(quirks(jwe.findings)).toEqual([expect.stringContaining('Auth0 opaque access token')]);
  });

  it("Google's opaque access tokens, GitHub's OAuth without OIDC, Okta's org server, Keycloak's account audience", () => {
    expect(quirks(analyzeToken(GOOGLE_ACCESS_TOKEN, NOW_MS, undefined).findings)).toEqual([
      expect.stringContaining('Google access tokens are opaque'),
    ]);
    expect(quirks(analyzed('googleId').findings)).toEqual([expect.stringContaining('only the ID token is a JWT')]);
    expect(quirks(analyzeToken(GITHUB_ACCESS_TOKEN, NOW_MS, undefined).findings)).toEqual([
      expect.stringContaining('GitHub is OAuth 2.0 without OpenID Connect'),
    ]);
    expect(quirks(analyzed('oktaOrgAccess').findings)).toEqual([expect.stringContaining('org authorization server')]);
    expect(quirks(analyzed('oktaAccess').findings)).toEqual([]);
    expect(quirks(analyzed('keycloakAccess').findings)).toEqual([expect.stringContaining('audience mapper')]);
  });
});

describe('provider presets', () => {
  it('offers the seven providers, each with notes on its quirks', () => {
    expect(PROVIDER_PRESETS.map((p) => p.id)).toEqual([...PRESET_IDS]);
    expect(PRESET_IDS).toEqual(['auth0', 'okta', 'entra', 'google', 'keycloak', 'cognito', 'github']);
    for (const p of PROVIDER_PRESETS) expect(p.notes.length).toBeGreaterThan(0);
    expect(findPreset('Microsoft Entra ID')?.id).toBe('entra');
    expect(findPreset('AUTH0')?.id).toBe('auth0');
    expect(findPreset('ping')).toBeUndefined();
  });

  it("Auth0: the tenant domain fills the issuer (with Auth0's trailing slash); the audience parameter only when given", () => {
    const auth0 = findPreset('auth0')!;
    const bare = applyPreset(auth0, { domain: 'acme.eu.auth0.com' });
    expect(bare.missing).toEqual([]);
    expect(bare.settings.issuer).toBe('https://acme.eu.auth0.com/');
    expect(bare.settings.authorizationParams).toEqual({});
    const withApi = applyPreset(auth0, { domain: 'acme.eu.auth0.com', audience: 'https://api.acme.example/' });
    expect(withApi.settings.authorizationParams).toEqual({ audience: 'https://api.acme.example/' });
    expect(applyPreset(auth0, {}).missing).toEqual(['Tenant domain (e.g. acme.eu.auth0.com)']);
  });

  it('Entra: scope api://…/.default for your API, left out without it; Keycloak realm paths; Cognito region and pool', () => {
    const entra = applyPreset(findPreset('entra')!, { tenant: 'contoso.onmicrosoft.com', apiAppId: 'api://1111-2222' });
    expect(entra.settings.issuer).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0');
    expect(entra.settings.scope).toBe('openid profile offline_access api://1111-2222/.default');
    expect(applyPreset(findPreset('entra')!, { tenant: 'common' }).settings.scope).toBe('openid profile offline_access');
    const keycloak = applyPreset(findPreset('keycloak')!, { baseUrl: 'https://sso.example.com/', realm: 'myrealm' });
    expect(keycloak.settings.issuer).toBe('https://sso.example.com/realms/myrealm');
    const cognito = applyPreset(findPreset('cognito')!, { region: 'eu-west-1', userPoolId: 'eu-west-1_AbCdEfGhI' });
    expect(cognito.settings.issuer).toBe('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI');
    expect(applyPreset(findPreset('cognito')!, { region: 'eu-west-1' }).missing).toHaveLength(1);
  });

  it('GitHub: fixed endpoints without discovery; Google asks for offline access; every filled preset is a valid profile', () => {
    const github = applyPreset(findPreset('github')!, {});
    expect(github.settings.discovery).toBe(false);
    expect(github.settings.endpoints?.tokenEndpoint).toBe('https://github.com/login/oauth/access_token');
    expect(applyPreset(findPreset('google')!, {}).settings.authorizationParams).toEqual({
      access_type: 'offline',
      prompt: 'consent',
    });
    const values: Record<string, string> = {
      domain: 'acme.eu.auth0.com',
      authServer: 'default',
      tenant: 'common',
      baseUrl: 'https://sso.example.com',
      realm: 'r',
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_X',
    };
    for (const preset of PROVIDER_PRESETS) {
      const applied = applyPreset(preset, preset.id === 'okta' ? { ...values, domain: 'dev-1.okta.com' } : values);
      expect(applied.missing, preset.id).toEqual([]);
      expect(normalizeProfileSettings({ ...applied.settings, clientId: 'c' }).problems, preset.id).toEqual([]);
    }
  });
});

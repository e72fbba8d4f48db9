/**
 * Provider presets: what a profile for Auth0, Okta, Microsoft Entra ID, Google, Keycloak, AWS Cognito or GitHub needs
 * (the issuer pattern with the placeholders the user fills, the parameters each provider wants, GitHub's fixed
 * endpoints), and each one's quirks in words. Data used by the profile form and `tokenscope profile add --preset`.
 */
import type { ClientAuthMethod, ManualEndpoints } from '../profile.ts';

export const PRESET_IDS = ['auth0', 'okta', 'entra', 'google', 'keycloak', 'cognito', 'github'] as const;
export type PresetId = (typeof PRESET_IDS)[number];

export interface PresetPlaceholder {
  /** The `{key}` in the patterns. */
  readonly key: string;
  readonly label: string;
  readonly example: string;
  /** Optional: a parameter or scope that names it is left out when it is not given. */
  readonly optional?: boolean;
}

export interface ProviderPreset {
  readonly id: PresetId;
  readonly name: string;
  readonly placeholders: readonly PresetPlaceholder[];
  /** The issuer, with `{key}` placeholders. */
  readonly issuer: string;
  readonly discovery: boolean;
  /** Endpoints of a provider without discovery (GitHub). */
  readonly endpoints?: ManualEndpoints;
  readonly scope: string;
  readonly authorizationParams: Readonly<Record<string, string>>;
  readonly authMethod: ClientAuthMethod;
  /** What to know before the first sign-in, one sentence each. */
  readonly notes: readonly string[];
}

export const PROVIDER_PRESETS: readonly ProviderPreset[] = [
  {
    id: 'auth0',
    name: 'Auth0',
    placeholders: [
      { key: 'domain', label: 'Tenant domain', example: 'acme.eu.auth0.com' },
      { key: 'audience', label: 'API identifier (audience)', example: 'https://api.acme.example', optional: true },
    ],
    // Auth0's issuer ends with a slash: without it, discovery's issuer check fails.
    issuer: 'https://{domain}/',
    discovery: true,
    scope: 'openid profile email offline_access',
    authorizationParams: { audience: '{audience}' },
    authMethod: 'none',
    notes: [
      'Without an audience Auth0 issues an opaque access token good only for its /userinfo endpoint: give the API identifier to get a JWT access token for your API.',
      'Refresh tokens need offline_access and "Allow Offline Access" enabled on the API.',
      "Custom claims must be namespaced (https://…); RBAC permissions arrive in the access token's permissions claim.",
    ],
  },
  {
    id: 'okta',
    name: 'Okta',
    placeholders: [
      { key: 'domain', label: 'Okta domain', example: 'dev-123456.okta.com' },
      { key: 'authServer', label: 'Authorization server id', example: 'default' },
    ],
    issuer: 'https://{domain}/oauth2/{authServer}',
    discovery: true,
    scope: 'openid profile email offline_access',
    authorizationParams: {},
    authMethod: 'none',
    notes: [
      'Use a custom authorization server (/oauth2/default or your own): access tokens of the org authorization server (no /oauth2/…) are for Okta’s own APIs and cannot be validated by yours.',
      'groups reach the tokens only through a groups claim configured on the authorization server.',
    ],
  },
  {
    id: 'entra',
    name: 'Microsoft Entra ID',
    placeholders: [
      { key: 'tenant', label: 'Tenant (id, domain, organizations or common)', example: 'contoso.onmicrosoft.com' },
      { key: 'apiAppId', label: 'API application id URI (for a token for your API)', example: 'api://1111-2222', optional: true },
    ],
    issuer: 'https://login.microsoftonline.com/{tenant}/v2.0',
    discovery: true,
    scope: 'openid profile offline_access {apiAppId}/.default',
    authorizationParams: {},
    authMethod: 'none',
    notes: [
      'Ask for your API with scope api://…/.default (or api://…/scope): without it the access token is for Microsoft Graph, whose signature no client can verify (it carries a nonce in its header).',
      'A multi-tenant app (organizations, common) gets tokens whose iss names the user’s tenant, not the one in the issuer: validate tid.',
      'The API’s manifest decides v1.0 or v2.0 access tokens (accessTokenAcceptedVersion).',
    ],
  },
  {
    id: 'google',
    name: 'Google',
    placeholders: [],
    issuer: 'https://accounts.google.com',
    discovery: true,
    scope: 'openid email profile',
    // A refresh token comes only with access_type=offline, and again only with prompt=consent.
    authorizationParams: { access_type: 'offline', prompt: 'consent' },
    authMethod: 'client_secret_post',
    notes: [
      'Google’s access tokens are opaque (ya29.…): only the ID token is a JWT; an API checks the access token at Google’s tokeninfo endpoint.',
      'Desktop-app clients have a client secret that is not secret: give it, Google asks for it with PKCE.',
      'hd says the Workspace domain: check it to limit sign-in to one domain.',
    ],
  },
  {
    id: 'keycloak',
    name: 'Keycloak',
    placeholders: [
      { key: 'baseUrl', label: 'Server URL', example: 'https://sso.example.com' },
      { key: 'realm', label: 'Realm', example: 'myrealm' },
    ],
    issuer: '{baseUrl}/realms/{realm}',
    discovery: true,
    scope: 'openid profile email offline_access',
    authorizationParams: {},
    authMethod: 'none',
    notes: [
      'Keycloak before version 17 serves realms under /auth: https://host/auth/realms/REALM.',
      'Access tokens carry aud "account" (or none) until an audience mapper adds your API; roles are in realm_access and resource_access.',
    ],
  },
  {
    id: 'cognito',
    name: 'AWS Cognito',
    placeholders: [
      { key: 'region', label: 'Region', example: 'eu-west-1' },
      { key: 'userPoolId', label: 'User pool id', example: 'eu-west-1_AbCdEfGhI' },
    ],
    issuer: 'https://cognito-idp.{region}.amazonaws.com/{userPoolId}',
    discovery: true,
    scope: 'openid email profile',
    authorizationParams: {},
    authMethod: 'none',
    notes: [
      'Cognito access tokens have no aud: an API checks client_id and token_use = access instead.',
      'The sign-in pages live on the user pool’s domain (from discovery); an app client with a secret needs client_secret_basic.',
    ],
  },
  {
    id: 'github',
    name: 'GitHub',
    placeholders: [],
    issuer: 'https://github.com',
    discovery: false,
    endpoints: {
      authorizationEndpoint: 'https://github.com/login/oauth/authorize',
      tokenEndpoint: 'https://github.com/login/oauth/access_token',
      deviceAuthorizationEndpoint: 'https://github.com/login/device/code',
    },
    scope: 'read:user',
    authorizationParams: {},
    authMethod: 'client_secret_post',
    notes: [
      'GitHub is OAuth 2.0 without OpenID Connect: no discovery, no ID token, no JWKS; its tokens are opaque (gho_…, ghu_…) and are checked only by calling GitHub’s API.',
      'OAuth apps need their client secret at the token endpoint; only GitHub Apps with expiring tokens get refresh tokens.',
    ],
  },
];

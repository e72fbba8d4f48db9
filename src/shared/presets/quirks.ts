/**
 * The providers' known quirks as findings, when a token is recognisably theirs (by its issuer, its header, or an opaque
 * token's prefix): what it means for whoever validates the token, in words. Called by the token analysis.
 */
import { finding, type Finding } from '../token/findings.ts';
import type { TokenKind } from '../model.ts';
import type { OpaqueHint } from '../token/opaque-hints.ts';

type JsonObject = Readonly<Record<string, unknown>>;

const ENTRA_V1 = /^https:\/\/sts\.windows\.net\/[^/]+\/$/;
const ENTRA_V2 = /^https:\/\/login\.microsoftonline\.com\/[^/]+\/v2\.0$/;
const COGNITO = /^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com\/[\w-]+$/;
const AUTH0 = /^https:\/\/[^/]+\.auth0\.com\/$/;
const OKTA = /^https:\/\/[^/]+\.(?:okta|oktapreview|okta-emea)\.com(\/oauth2\/[^/]+)?$/;
const GOOGLE = new Set(['https://accounts.google.com', 'accounts.google.com']);
const KEYCLOAK = /^https?:\/\/[^/]+(?:\/auth)?\/realms\/[^/]+$/;

const quirk = (message: string, field?: string, severity: 'info' | 'warning' = 'info'): Finding =>
  finding('PROVIDER_QUIRK', severity, message, field ? { field } : {});

function audiences(payload: JsonObject): string[] {
  const aud = payload['aud'];
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

function entra(header: JsonObject, payload: JsonObject, v1: boolean): Finding[] {
  const out: Finding[] = [];
  if (typeof header['nonce'] === 'string')
    out.push(
      quirk(
        'Microsoft Entra: this access token has a nonce in its header (a Microsoft Graph token): Entra signs it over a hashed nonce, so no client or API but Graph can verify its signature. Do not validate it; ask for your own API with scope api://…/.default',
        'nonce',
        'warning',
      ),
    );
  if (v1 || payload['ver'] === '1.0')
    out.push(
      quirk(
        'Microsoft Entra v1.0 token (iss sts.windows.net): appid instead of azp, upn/unique_name instead of preferred_username; the API manifest’s accessTokenAcceptedVersion 2 gives v2.0 tokens',
        'iss',
      ),
    );
  return out;
}

function cognito(payload: JsonObject, kind: TokenKind): Finding[] {
  const use = payload['token_use'];
  if (use === 'access')
    return [
      quirk(
        'AWS Cognito access token: it has no aud, so an API checks client_id and token_use = access instead (and never accepts an ID token)',
        'token_use',
      ),
    ];
  if (use === 'id')
    return [
      quirk(
        'AWS Cognito ID token (token_use = id): for the client only; an API that gets it must refuse it (token_use is not access)',
        'token_use',
        kind === 'access_token' ? 'warning' : 'info',
      ),
    ];
  return [
    quirk(
      'AWS Cognito token without token_use: Cognito always sets it, so this token may not be what it seems',
      'token_use',
      'warning',
    ),
  ];
}

function auth0(payload: JsonObject): Finding[] {
  const auds = audiences(payload);
  if (auds.length > 0 && auds.every((a) => a.endsWith('/userinfo')))
    return [
      quirk(
        'Auth0: this token’s only audience is /userinfo: no audience was requested, so it is good for userinfo only. Ask with audience=YOUR_API for an access token your API accepts',
        'aud',
        'warning',
      ),
    ];
  return [];
}

function okta(payload: JsonObject, kind: TokenKind, customServer: boolean): Finding[] {
  if (customServer || kind !== 'access_token') return [];
  return [
    quirk(
      'Okta org authorization server access token (iss has no /oauth2/…): meant for Okta’s own APIs; your API cannot validate it. Use a custom authorization server such as /oauth2/default',
      'iss',
      'warning',
    ),
  ];
}

function keycloak(payload: JsonObject, kind: TokenKind): Finding[] {
  const auds = audiences(payload);
  if (kind !== 'access_token' || (auds.length > 0 && !auds.every((a) => a === 'account'))) return [];
  return [
    quirk(
      'Keycloak access token for the "account" service only (or no aud): add an audience mapper to the client so the token names your API',
      'aud',
    ),
  ];
}

/** Which provider an issuer belongs to, by the patterns above (first match wins, in this order). */
type IssuerProvider = 'entra-v1' | 'entra-v2' | 'cognito' | 'auth0' | 'okta-org' | 'okta-custom' | 'google' | 'keycloak' | null;

function matchIssuer(iss: string): IssuerProvider {
  if (ENTRA_V1.test(iss)) return 'entra-v1';
  if (ENTRA_V2.test(iss)) return 'entra-v2';
  if (COGNITO.test(iss)) return 'cognito';
  if (AUTH0.test(iss)) return 'auth0';
  const oktaMatch = OKTA.exec(iss);
  if (oktaMatch) return oktaMatch[1] !== undefined ? 'okta-custom' : 'okta-org';
  if (GOOGLE.has(iss)) return 'google';
  if (KEYCLOAK.test(iss)) return 'keycloak';
  return null;
}

/** Issuers already matched: a history holds tokens of a few issuers, each inspected many times. Bounded. */
const issuerProviders = new Map<string, IssuerProvider>();
const MAX_ISSUERS = 256;

function providerOf(iss: string): IssuerProvider {
  let provider = issuerProviders.get(iss);
  if (provider === undefined) {
    provider = matchIssuer(iss);
    if (issuerProviders.size >= MAX_ISSUERS) issuerProviders.clear();
    issuerProviders.set(iss, provider);
  }
  return provider;
}

/** Quirks of a JWS by its issuer and header. */
export function jwtQuirks(header: JsonObject, payload: JsonObject, kind: TokenKind): Finding[] {
  const iss = typeof payload['iss'] === 'string' ? payload['iss'] : '';
  switch (providerOf(iss)) {
    case 'entra-v1':
      return entra(header, payload, true);
    case 'entra-v2':
      return entra(header, payload, false);
    case 'cognito':
      return cognito(payload, kind);
    case 'auth0':
      return auth0(payload);
    case 'okta-org':
      return okta(payload, kind, false);
    case 'okta-custom':
      return okta(payload, kind, true);
    case 'google':
      return kind === 'id_token'
        ? [
            quirk(
              'Google: only the ID token is a JWT; Google’s access tokens are opaque (ya29.…) and an API checks them at the tokeninfo endpoint',
              'iss',
            ),
          ]
        : [];
    case 'keycloak':
      return keycloak(payload, kind);
    case null:
      return [];
  }
}

/** Quirks of a JWE by its protected header (Auth0 names itself in it). */
export function jweQuirks(header: JsonObject): Finding[] {
  const iss = typeof header['iss'] === 'string' ? header['iss'] : '';
  if (header['alg'] === 'dir' && AUTH0.test(iss))
    return [
      quirk(
        'Auth0 opaque access token (a JWE for Auth0 itself, issued because no audience was requested): only Auth0’s /userinfo accepts it; ask with audience=YOUR_API for a JWT access token',
        'iss',
      ),
    ];
  return [];
}

/** Quirks of an opaque token whose prefix names its provider. */
export function opaqueQuirks(hint: OpaqueHint | undefined): Finding[] {
  if (hint?.issuer === 'GitHub')
    return [
      quirk(
        'GitHub is OAuth 2.0 without OpenID Connect: no ID token, no discovery, no JWKS; this token is checked only by calling GitHub’s API (GET https://api.github.com/user)',
      ),
    ];
  if (hint?.issuer === 'Google' && hint.prefix === 'ya29.')
    return [
      quirk(
        'Google access tokens are opaque: nothing can be read from them locally; an API checks them at https://oauth2.googleapis.com/tokeninfo',
      ),
    ];
  return [];
}

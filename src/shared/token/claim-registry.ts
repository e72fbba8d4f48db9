/** What each JWT claim and JOSE header parameter means, in our own words, with where it is defined. */

export type ClaimCategory = 'registered' | 'oidc' | 'access-token' | 'confirmation' | 'delegation' | 'vendor' | 'header';

export interface ClaimInfo {
  readonly label: string;
  readonly explanation: string;
  readonly source: string;
  readonly category: ClaimCategory;
  /** Epoch seconds (a NumericDate) when true. */
  readonly time?: boolean;
}

const c = (label: string, explanation: string, source: string, category: ClaimCategory, time?: boolean): ClaimInfo =>
  time === undefined ? { label, explanation, source, category } : { label, explanation, source, category, time };

export const CLAIMS: Readonly<Record<string, ClaimInfo>> = {
  // RFC 7519
  iss: c(
    'issuer',
    'Who issued the token: compare it with the issuer you expect before trusting anything else.',
    'RFC 7519 §4.1.1',
    'registered',
  ),
  sub: c(
    'subject',
    'Who the token is about: a user id, or the client itself for client credentials.',
    'RFC 7519 §4.1.2',
    'registered',
  ),
  aud: c(
    'audience',
    'Who the token is meant for: an API must refuse a token whose audience is not itself.',
    'RFC 7519 §4.1.3',
    'registered',
  ),
  exp: c(
    'expires at',
    'After this instant the token must be refused (seconds since 1970).',
    'RFC 7519 §4.1.4',
    'registered',
    true,
  ),
  nbf: c(
    'not before',
    'Before this instant the token must be refused (seconds since 1970).',
    'RFC 7519 §4.1.5',
    'registered',
    true,
  ),
  iat: c('issued at', 'When the token was issued (seconds since 1970).', 'RFC 7519 §4.1.6', 'registered', true),
  jti: c('JWT id', 'A unique id of this token, used to detect replay or to revoke it.', 'RFC 7519 §4.1.7', 'registered'),
  // RFC 9068 / RFC 8693 / RFC 7800
  client_id: c(
    'client',
    'The OAuth client the token was issued to (AWS Cognito access tokens carry it instead of aud: check it there).',
    'RFC 9068 §2.2 / RFC 8693 §4.3',
    'access-token',
  ),
  scope: c('scope', 'The granted permissions, space-separated.', 'RFC 9068 §2.2.3 / RFC 8693 §4.2', 'access-token'),
  groups: c(
    'groups',
    'Groups the subject belongs to, for authorization decisions (Okta: only through a groups claim configured on the authorization server).',
    'RFC 9068 §2.2.3.1 / RFC 7643',
    'access-token',
  ),
  roles: c(
    'roles',
    'Roles granted to the subject (also Microsoft Entra app roles).',
    'RFC 9068 §2.2.3.1 / RFC 7643',
    'access-token',
  ),
  entitlements: c('entitlements', 'Entitlements of the subject.', 'RFC 9068 §2.2.3.1 / RFC 7643', 'access-token'),
  cnf: c(
    'confirmation',
    'Binds the token to a key: only the holder of that key may use it (jkt: DPoP key thumbprint, x5t#S256: mTLS certificate).',
    'RFC 7800 / RFC 9449 / RFC 8705',
    'confirmation',
  ),
  act: c(
    'actor',
    'Token exchange: who is acting on behalf of the subject (may nest a chain of actors).',
    'RFC 8693 §4.1',
    'delegation',
  ),
  may_act: c('may act', 'Token exchange: who is allowed to act on behalf of the subject.', 'RFC 8693 §4.4', 'delegation'),
  // OIDC Core
  auth_time: c(
    'authenticated at',
    'When the user last actively authenticated (seconds since 1970).',
    'OIDC Core §2',
    'oidc',
    true,
  ),
  nonce: c(
    'nonce',
    'The value the client sent in the authorization request: it must match, to stop replayed ID tokens.',
    'OIDC Core §2',
    'oidc',
  ),
  acr: c('authentication context', 'How strongly the user was authenticated (an ACR value).', 'OIDC Core §2', 'oidc'),
  amr: c('authentication methods', 'How the user authenticated (pwd, otp, mfa, hwk, ...).', 'OIDC Core §2 / RFC 8176', 'oidc'),
  azp: c(
    'authorized party',
    'The client the ID token was issued to (Google and Keycloak also put it in access tokens).',
    'OIDC Core §2',
    'oidc',
  ),
  at_hash: c(
    'access token hash',
    'Left half of a hash of the access token issued alongside: binds the two tokens.',
    'OIDC Core §3.1.3.6',
    'oidc',
  ),
  c_hash: c('code hash', 'Left half of a hash of the authorization code issued alongside.', 'OIDC Core §3.3.2.11', 'oidc'),
  s_hash: c('state hash', 'Left half of a hash of the state value (FAPI).', 'FAPI 1.0 Advanced §5.1', 'oidc'),
  sid: c(
    'session id',
    'The identity provider session the token belongs to, used by logout.',
    'OIDC Front/Back-Channel Logout',
    'oidc',
  ),
  events: c(
    'events',
    'Security events this token reports (a logout token or a SET).',
    'RFC 8417 / OIDC Back-Channel Logout',
    'oidc',
  ),
  name: c('name', "The user's full name.", 'OIDC Core §5.1', 'oidc'),
  given_name: c('given name', "The user's given (first) name.", 'OIDC Core §5.1', 'oidc'),
  family_name: c('family name', "The user's family (last) name.", 'OIDC Core §5.1', 'oidc'),
  middle_name: c('middle name', "The user's middle name.", 'OIDC Core §5.1', 'oidc'),
  nickname: c('nickname', 'A casual name of the user.', 'OIDC Core §5.1', 'oidc'),
  preferred_username: c(
    'preferred username',
    'The name the user likes to be called by; not unique, not stable: never key on it.',
    'OIDC Core §5.1',
    'oidc',
  ),
  profile: c('profile page', "URL of the user's profile page.", 'OIDC Core §5.1', 'oidc'),
  picture: c('picture', "URL of the user's picture.", 'OIDC Core §5.1', 'oidc'),
  website: c('website', "URL of the user's web site.", 'OIDC Core §5.1', 'oidc'),
  email: c('email', "The user's email address; trust it only with email_verified.", 'OIDC Core §5.1', 'oidc'),
  email_verified: c(
    'email verified',
    'Whether the issuer verified that the user controls the email address (Google: true for Gmail and Workspace accounts; never trust email without it).',
    'OIDC Core §5.1',
    'oidc',
  ),
  gender: c('gender', "The user's gender.", 'OIDC Core §5.1', 'oidc'),
  birthdate: c('birth date', "The user's birthday (YYYY-MM-DD).", 'OIDC Core §5.1', 'oidc'),
  zoneinfo: c('time zone', "The user's time zone (e.g. Europe/Paris).", 'OIDC Core §5.1', 'oidc'),
  locale: c('locale', "The user's locale (e.g. en-US).", 'OIDC Core §5.1', 'oidc'),
  phone_number: c('phone number', "The user's phone number; trust it only with phone_number_verified.", 'OIDC Core §5.1', 'oidc'),
  phone_number_verified: c('phone verified', 'Whether the issuer verified the phone number.', 'OIDC Core §5.1', 'oidc'),
  address: c('address', "The user's postal address (a JSON object).", 'OIDC Core §5.1', 'oidc'),
  updated_at: c(
    'profile updated at',
    "When the user's profile was last updated (seconds since 1970).",
    'OIDC Core §5.1',
    'oidc',
    true,
  ),
  // Microsoft Entra ID
  oid: c(
    'object id',
    "Microsoft Entra: the user's immutable id across applications in the tenant.",
    'Microsoft Entra ID',
    'vendor',
  ),
  tid: c('tenant id', 'Microsoft Entra: the tenant the user signed in to.', 'Microsoft Entra ID', 'vendor'),
  scp: c(
    'scopes (Entra)',
    'Microsoft Entra / Okta: the delegated scopes granted to the client, space-separated (or an array).',
    'Microsoft Entra ID / Okta',
    'vendor',
  ),
  upn: c(
    'user principal name',
    "Microsoft Entra: the user's sign-in name; can change: never key on it.",
    'Microsoft Entra ID',
    'vendor',
  ),
  unique_name: c('unique name', 'Microsoft Entra (v1): a display name of the user; not stable.', 'Microsoft Entra ID', 'vendor'),
  appid: c('application id', 'Microsoft Entra (v1): the client that requested the token.', 'Microsoft Entra ID', 'vendor'),
  azpacr: c(
    'client authentication',
    'Microsoft Entra: how the client authenticated (0 public, 1 secret, 2 certificate).',
    'Microsoft Entra ID',
    'vendor',
  ),
  idp: c(
    'identity provider',
    'Microsoft Entra / Cognito: the provider that authenticated the user.',
    'Microsoft Entra ID',
    'vendor',
  ),
  ver: c('token version', 'Microsoft Entra / Okta: the version of the token format.', 'Microsoft Entra ID / Okta', 'vendor'),
  wids: c('directory roles', 'Microsoft Entra: the tenant-wide roles of the user.', 'Microsoft Entra ID', 'vendor'),
  uti: c('token id (Entra)', 'Microsoft Entra: an internal token identifier.', 'Microsoft Entra ID', 'vendor'),
  rh: c('refresh hint', 'Microsoft Entra: an internal claim used to revalidate tokens; opaque.', 'Microsoft Entra ID', 'vendor'),
  aio: c('internal data', 'Microsoft Entra: an internal claim; opaque.', 'Microsoft Entra ID', 'vendor'),
  acct: c('account type', 'Microsoft Entra: 0 a member of the tenant, 1 a guest.', 'Microsoft Entra ID', 'vendor'),
  appidacr: c(
    'client authentication (v1)',
    'Microsoft Entra v1.0: how the client authenticated (0 public, 1 secret, 2 certificate); azpacr in v2.0.',
    'Microsoft Entra ID',
    'vendor',
  ),
  app_displayname: c(
    'application name',
    'Microsoft Entra: the display name of the client application.',
    'Microsoft Entra ID',
    'vendor',
  ),
  ipaddr: c('IP address', 'Microsoft Entra: the address the user authenticated from.', 'Microsoft Entra ID', 'vendor'),
  platf: c(
    'device platform',
    'Microsoft Entra: the platform of the device (an internal number).',
    'Microsoft Entra ID',
    'vendor',
  ),
  puid: c('passport id', 'Microsoft Entra: an internal user id; opaque.', 'Microsoft Entra ID', 'vendor'),
  tenant_region_scope: c('tenant region', 'Microsoft Entra: the region of the tenant (NA, EU…).', 'Microsoft Entra ID', 'vendor'),
  idtyp: c(
    'identity type',
    'Microsoft Entra: app for an app-only token (client credentials), user for a delegated one.',
    'Microsoft Entra ID',
    'vendor',
  ),
  // Keycloak
  realm_access: c('realm roles', 'Keycloak: roles the user has in the realm ({ roles: [...] }).', 'Keycloak', 'vendor'),
  resource_access: c(
    'client roles',
    'Keycloak: roles the user has per client ({ client: { roles: [...] } }).',
    'Keycloak',
    'vendor',
  ),
  session_state: c('session state', 'Keycloak: the id of the user session.', 'Keycloak', 'vendor'),
  typ: c('token type (Keycloak)', 'Keycloak: Bearer, ID or Refresh: which kind of token this is.', 'Keycloak', 'vendor'),
  allowed_origins: c('allowed origins', 'Keycloak: web origins allowed to use the token (CORS).', 'Keycloak', 'vendor'),
  'allowed-origins': c('allowed origins', 'Keycloak: web origins allowed to use the token (CORS).', 'Keycloak', 'vendor'),
  // Auth0
  permissions: c(
    'permissions (Auth0)',
    'Auth0 RBAC: the permissions the user has on this API (with "Add Permissions in the Access Token" on); an API checks them like scopes.',
    'Auth0',
    'vendor',
  ),
  org_id: c(
    'organization id',
    'Auth0 Organizations: the organization the user signed in through; an API checks it per tenant.',
    'Auth0',
    'vendor',
  ),
  org_name: c(
    'organization name',
    'Auth0 Organizations: the name of that organization; not stable: key on org_id.',
    'Auth0',
    'vendor',
  ),
  gty: c(
    'grant type (Auth0)',
    'Auth0: the grant the token came from (client-credentials, password, refresh_token…).',
    'Auth0',
    'vendor',
  ),
  // AWS Cognito
  'cognito:groups': c('Cognito groups', 'AWS Cognito: the user pool groups of the user.', 'AWS Cognito', 'vendor'),
  'cognito:username': c('Cognito username', 'AWS Cognito: the user name in the user pool.', 'AWS Cognito', 'vendor'),
  'cognito:roles': c('Cognito roles', "AWS Cognito: IAM roles of the user's groups.", 'AWS Cognito', 'vendor'),
  token_use: c('token use', 'AWS Cognito: access or id: which kind of token this is.', 'AWS Cognito', 'vendor'),
  username: c(
    'username',
    'A human-readable name of the user the token is about (RFC 7662 introspection; AWS Cognito access tokens too).',
    'RFC 7662 §2.2',
    'access-token',
  ),
  // RFC 7662 introspection responses (their other members are the JWT claims above)
  active: c(
    'active',
    'Whether the server holds the token valid right now; false says no more (expired, revoked, or never issued by it).',
    'RFC 7662 §2.2',
    'access-token',
  ),
  token_type: c('token type', 'The type of the token, e.g. Bearer or DPoP (RFC 6749 §7.1).', 'RFC 7662 §2.2', 'access-token'),
  event_id: c('event id', 'AWS Cognito: the id of the authentication event.', 'AWS Cognito', 'vendor'),
  origin_jti: c(
    'origin token id',
    'AWS Cognito: the id of the authentication that started the token family (for revocation).',
    'AWS Cognito',
    'vendor',
  ),
  version: c(
    'token version (Cognito)',
    'AWS Cognito: the version of the access token format (2 adds custom scopes and claims).',
    'AWS Cognito',
    'vendor',
  ),
  // Google
  hd: c(
    'hosted domain',
    'Google: the Google Workspace domain of the user; check it to limit sign-in to one domain.',
    'Google',
    'vendor',
  ),
  // Okta
  cid: c('client id (Okta)', 'Okta: the client the access token was issued to.', 'Okta', 'vendor'),
  uid: c('user id (Okta)', "Okta: the user's id.", 'Okta', 'vendor'),
};

export const HEADER_PARAMS: Readonly<Record<string, ClaimInfo>> = {
  alg: c(
    'algorithm',
    'The algorithm that signed (JWS) or encrypts the key (JWE); "none" means no signature.',
    'RFC 7515 §4.1.1',
    'header',
  ),
  typ: c(
    'type',
    'The media type of the whole token: at+jwt for RFC 9068 access tokens, JWT, logout+jwt, dpop+jwt.',
    'RFC 7515 §4.1.9',
    'header',
  ),
  cty: c('content type', 'The media type of the payload (JWT when a JWT is nested).', 'RFC 7515 §4.1.10', 'header'),
  kid: c('key id', "Which key of the issuer's JWKS signed the token.", 'RFC 7515 §4.1.4', 'header'),
  jku: c(
    'JWK set URL',
    'A URL of keys chosen by whoever made the token: Tokenscope never fetches it.',
    'RFC 7515 §4.1.2',
    'header',
  ),
  jwk: c(
    'embedded key',
    'A public key carried in the token itself: anyone can embed one, so it proves nothing.',
    'RFC 7515 §4.1.3',
    'header',
  ),
  x5u: c(
    'certificate URL',
    'A URL of a certificate chosen by whoever made the token: Tokenscope never fetches it.',
    'RFC 7515 §4.1.5',
    'header',
  ),
  x5c: c(
    'certificate chain',
    'Certificates carried in the token itself: not used as keys without a trusted chain check.',
    'RFC 7515 §4.1.6',
    'header',
  ),
  x5t: c('certificate thumbprint', 'SHA-1 thumbprint of the signing certificate.', 'RFC 7515 §4.1.7', 'header'),
  'x5t#S256': c(
    'certificate thumbprint (SHA-256)',
    'SHA-256 thumbprint of the signing certificate.',
    'RFC 7515 §4.1.8',
    'header',
  ),
  crit: c('critical', 'Extensions the verifier must understand, or refuse the token.', 'RFC 7515 §4.1.11', 'header'),
  enc: c('content encryption', 'The algorithm that encrypts the payload of a JWE.', 'RFC 7516 §4.1.2', 'header'),
  zip: c('compression', 'The payload was compressed before encryption (DEF).', 'RFC 7516 §4.1.3', 'header'),
  b64: c('base64url payload', 'false means the payload is not base64url-encoded (RFC 7797).', 'RFC 7797', 'header'),
  epk: c('ephemeral key', "The sender's ephemeral public key for ECDH key agreement (JWE).", 'RFC 7518 §4.6.1', 'header'),
};

/** Microsoft Entra's optional and internal claims all start with xms_ (xms_cc, xms_tcdt, xms_pdl…). */
export function isEntraInternalClaim(name: string): boolean {
  return name.startsWith('xms_');
}

/** Auth0 (and others) namespace custom claims with a URL so they never collide with registered names. */
export function isNamespacedClaim(name: string): boolean {
  return /^https?:\/\//.test(name);
}

/**
 * The six documented token shapes as data (from the doc pages in ../shared/seeds/ and FORMATS.md).
 * Detection, mapping, validation and comparison are all driven by these specs, never by per-format code.
 */
import type { Concept, FieldSpec, FormatId, FormatSpec } from './types.ts';

const TOKEN_TYPES = ['Bearer', 'DPoP', 'N_A', 'mac'];

/** Authlete's grant-type enum and the OAuth wire value each one stands for. */
export const AUTHLETE_GRANT_TYPES: Readonly<Record<string, string>> = {
  AUTHORIZATION_CODE: 'authorization_code',
  IMPLICIT: 'implicit',
  PASSWORD: 'password',
  CLIENT_CREDENTIALS: 'client_credentials',
  REFRESH_TOKEN: 'refresh_token',
  CIBA: 'urn:openid:params:grant-type:ciba',
  DEVICE_CODE: 'urn:ietf:params:oauth:grant-type:device_code',
  TOKEN_EXCHANGE: 'urn:ietf:params:oauth:grant-type:token-exchange',
  JWT_BEARER: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
  PRE_AUTHORIZED_CODE: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
};

const rfc6749: FormatSpec = {
  id: 'rfc6749.TokenResponse',
  title: 'OAuth 2.0 token response',
  vendor: 'IETF / OpenID Foundation',
  source: 'RFC 6749 §5.1, RFC 8693 §2.2.1, OpenID Connect Core §3.1.3.3',
  cases: 'snake',
  defaultCase: 'snake',
  summary: 'The standard token endpoint response.',
  notes: [
    'expires_in is in seconds, relative to the time the response was generated.',
    'token_type compares case-insensitively (Bearer, bearer, DPoP, N_A).',
  ],
  fields: [
    { name: 'access_token', type: 'string', documentedType: 'string', required: true, nullable: false, unit: 'text', concept: 'accessToken', meaning: 'The access token the authorization server issued.' },
    { name: 'token_type', type: 'string', documentedType: 'string', required: true, nullable: false, unit: 'text', concept: 'tokenType', meaning: 'How to present the access token (Bearer, DPoP, ...); case-insensitive.', enumValues: TOKEN_TYPES, enumClosed: false },
    { name: 'expires_in', type: 'number', documentedType: 'number (seconds)', required: false, nullable: false, unit: 'duration-s', concept: 'expiresInS', meaning: 'Lifetime of the access token in seconds from the response time.' },
    { name: 'refresh_token', type: 'string', documentedType: 'string', required: false, nullable: false, unit: 'text', concept: 'refreshToken', meaning: 'A token to obtain new access tokens with the refresh_token grant.' },
    { name: 'scope', type: 'string', documentedType: 'string (space-separated)', required: false, nullable: false, unit: 'space-separated', concept: 'scopes', meaning: 'The granted scopes, space-separated; absent means "as requested".' },
    { name: 'id_token', type: 'string', documentedType: 'string (JWT)', required: false, nullable: false, unit: 'text', concept: 'idToken', meaning: 'OpenID Connect ID token: a signed JWT about the authentication.' },
    { name: 'issued_token_type', type: 'string', documentedType: 'string (URI)', required: false, nullable: false, unit: 'text', concept: 'issuedTokenType', meaning: 'RFC 8693 token exchange: the type of the token issued (a URN).' },
  ],
};

const serendip: FormatSpec = {
  id: 'serendip.TokenModel',
  title: 'Serendip TokenModel',
  vendor: 'Serendip',
  source: 'serendip-business-model src/auth/TokenModel.ts, filled by serendip-framework AuthService.insertToken',
  docPage: '000_9655c90d778cd386.txt',
  cases: 'snake',
  defaultCase: 'snake',
  summary: 'A stored token record of the Serendip framework; every time is in milliseconds.',
  notes: [
    'All times are milliseconds: issue_at and expires_at are epoch ms, and expires_in is ms too (default 7 200 000 = 2 h).',
    'Tokens are random strings, not JWTs.',
    'grant_type is an open string: the documented values are examples.',
  ],
  fields: [
    { name: '_id', type: 'string', documentedType: 'string', required: false, nullable: false, unit: 'text', concept: 'recordId', meaning: 'The id of the stored token record (MongoDB).' },
    { name: 'access_token', type: 'string', documentedType: 'string', required: true, nullable: false, unit: 'text', concept: 'accessToken', meaning: 'The access token (a random string).' },
    { name: 'expires_at', type: 'number', documentedType: 'number', required: true, nullable: false, unit: 'epoch-ms', concept: 'expiresAtMs', meaning: 'When the access token expires, epoch milliseconds.' },
    { name: 'expires_in', type: 'number', documentedType: 'number', required: true, nullable: false, unit: 'duration-ms', concept: 'expiresInS', meaning: 'Lifetime of the access token in milliseconds (not seconds).', defaultValue: 7_200_000 },
    { name: 'grant_type', type: 'string', documentedType: 'string | "password" | "client_credentials" | "refresh_token" | "authorization_code"', required: true, nullable: false, unit: 'text', concept: 'grantType', meaning: 'The grant that issued the token; other strings than the listed ones may appear.', enumValues: ['password', 'client_credentials', 'refresh_token', 'authorization_code'], enumClosed: false },
    { name: 'groups', type: 'string[]', documentedType: 'string[]', required: false, nullable: false, unit: 'string-array', concept: 'groups', meaning: 'The user groups the token carries.' },
    { name: 'issue_at', type: 'number', documentedType: 'number', required: true, nullable: false, unit: 'epoch-ms', concept: 'issuedAtMs', meaning: 'When the token was issued, epoch milliseconds.' },
    { name: 'refresh_token', type: 'string', documentedType: 'string', required: true, nullable: false, unit: 'text', concept: 'refreshToken', meaning: 'The refresh token (a random string).' },
    { name: 'token_type', type: 'string', documentedType: 'string | "bearer"', required: true, nullable: false, unit: 'text', concept: 'tokenType', meaning: 'The token type, usually "bearer".', enumValues: ['bearer'], enumClosed: false },
    { name: 'userId', type: 'string', documentedType: 'string', required: false, nullable: false, unit: 'text', concept: 'userId', meaning: 'The id of the user the token belongs to.' },
    { name: 'useragent', type: 'string', documentedType: 'string', required: true, nullable: false, unit: 'text', concept: 'userAgent', meaning: 'The User-Agent of the client that obtained the token.' },
    { name: 'username', type: 'string', documentedType: 'string', required: false, nullable: false, unit: 'text', concept: 'username', meaning: 'The name of the user the token belongs to.' },
  ],
};

const AFFINIDI_ID_TOKEN_NOTE =
  'Documented as a number (from an old Ory Hydra swagger, with a description about refresh tokens); real responses carry a JWT string.';

function affinidiFields(intName: 'number' | 'int'): readonly FieldSpec[] {
  return [
    { name: 'access_token', type: 'string', documentedType: 'string', required: false, nullable: false, unit: 'text', concept: 'accessToken', meaning: 'The access token the authorization server issued.' },
    { name: 'expires_in', type: intName === 'int' ? 'integer' : 'number', documentedType: intName, required: false, nullable: false, unit: 'duration-s', concept: 'expiresInS', meaning: 'Lifetime of the access token in seconds from the response time.' },
    { name: 'id_token', type: intName === 'int' ? 'integer' : 'number', documentedType: intName, required: false, nullable: false, unit: 'text', concept: 'idToken', meaning: 'The OpenID Connect ID token (a JWT string in practice).', docIssue: { actualType: 'string', note: AFFINIDI_ID_TOKEN_NOTE } },
    { name: 'refresh_token', type: 'string', documentedType: 'string', required: false, nullable: false, unit: 'text', concept: 'refreshToken', meaning: 'The refresh token; requested with the "offline" scope.' },
    { name: 'scope', type: 'string', documentedType: 'string', required: false, nullable: false, unit: 'space-separated', concept: 'scopes', meaning: 'The scopes of the access token, space-separated.' },
    { name: 'token_type', type: 'string', documentedType: 'string', required: false, nullable: false, unit: 'text', concept: 'tokenType', meaning: 'The type of the token issued (bearer).' },
  ];
}

const affinidiTs: FormatSpec = {
  id: 'affinidi.ConsumerAuthTokenEndpointOutput',
  title: 'Affinidi ConsumerAuthTokenEndpointOutput',
  vendor: 'Affinidi',
  source: 'Affinidi TDK @affinidi-tdk/iam-client (TypeScript), response of POST /v1/consumer/oauth2/token',
  docPage: '001_0051a66a3139a0c0.txt',
  cases: 'snake',
  defaultCase: 'snake',
  summary: 'The consumer token endpoint output of the Affinidi TypeScript TDK; every field optional.',
  notes: ['id_token is documented as a number but is a JWT string in practice: reported as a documentation finding.', 'Same wire shape as affinidi.OAuth2Token.'],
  fields: affinidiFields('number'),
  valueHints: [
    { concept: 'accessToken', prefix: 'ory_at_', reason: "the access token carries Ory Hydra's ory_at_ prefix (Affinidi's login runs on Ory Hydra)" },
    { concept: 'refreshToken', prefix: 'ory_rt_', reason: "the refresh token carries Ory Hydra's ory_rt_ prefix (Affinidi's login runs on Ory Hydra)" },
  ],
};

const affinidiPy: FormatSpec = {
  id: 'affinidi.OAuth2Token',
  title: 'Affinidi OAuth2Token',
  vendor: 'Affinidi',
  source: 'Affinidi TDK Python login_configuration_client, model OAuth2Token',
  docPage: '002_50cb86c7b398594a.txt',
  cases: 'snake',
  defaultCase: 'snake',
  summary: 'The OAuth2 token model of the Affinidi Python TDK; every field optional.',
  notes: ['id_token is documented as an int but is a JWT string in practice: reported as a documentation finding.', 'Same wire shape as affinidi.ConsumerAuthTokenEndpointOutput.'],
  fields: affinidiFields('int'),
  valueHints: [
    { concept: 'accessToken', prefix: 'ory_at_', reason: "the access token carries Ory Hydra's ory_at_ prefix (Affinidi's login runs on Ory Hydra)" },
    { concept: 'refreshToken', prefix: 'ory_rt_', reason: "the refresh token carries Ory Hydra's ory_rt_ prefix (Affinidi's login runs on Ory Hydra)" },
  ],
};

const gusto: FormatSpec = {
  id: 'gusto.RefreshTokenAuthentication',
  title: 'Gusto RefreshTokenAuthentication',
  vendor: 'Gusto',
  source: 'Gusto Embedded Payroll API POST /oauth/token, Speakeasy-generated TypeScript SDK',
  docPage: '003_2753a1f8b98e1a02.txt',
  cases: 'snake+camel',
  defaultCase: 'camel',
  summary: 'Gusto token response: camelCase in the SDK, snake_case on the wire; createdAt is epoch seconds.',
  notes: [
    'createdAt is epoch seconds; an older SDK edition typed it as a string (a numeric string is accepted).',
    'expiresIn is seconds, default 7200.',
    "Gusto's grant types are system_access and refresh_token.",
  ],
  fields: [
    { name: 'access_token', sdkName: 'accessToken', type: 'string', documentedType: 'string', required: true, nullable: false, unit: 'text', concept: 'accessToken', meaning: 'The new access token for authenticated requests.' },
    { name: 'token_type', sdkName: 'tokenType', type: 'string', documentedType: 'string', required: false, nullable: false, unit: 'text', concept: 'tokenType', meaning: "The literal string 'Bearer'.", enumValues: ['Bearer'], enumClosed: true },
    { name: 'expires_in', sdkName: 'expiresIn', type: 'number', documentedType: 'number', required: false, nullable: false, unit: 'duration-s', concept: 'expiresInS', meaning: 'Lifetime of the access token in seconds (default 7200).', defaultValue: 7200 },
    { name: 'created_at', sdkName: 'createdAt', type: 'number', documentedType: 'number', required: true, nullable: false, unit: 'epoch-s', concept: 'issuedAtMs', meaning: 'When the access token was created, epoch seconds.', acceptsNumericString: true },
    { name: 'refresh_token', sdkName: 'refreshToken', type: 'string', documentedType: 'string', required: false, nullable: false, unit: 'text', concept: 'refreshToken', meaning: 'The token to pass to the refresh endpoint for a new access token.' },
    { name: 'scope', sdkName: 'scope', type: 'string', documentedType: 'string', required: false, nullable: false, unit: 'space-separated', concept: 'scopes', meaning: 'All scopes the access token grants, space-separated.' },
  ],
};

const authlete: FormatSpec = {
  id: 'authlete.AccessToken',
  title: 'Authlete AccessToken',
  vendor: 'Authlete',
  source: 'Authlete API GET /api/{serviceId}/auth/token/get/list item, Speakeasy-generated Ruby SDK',
  docPage: '004_d278848c3f55d1ab.txt',
  cases: 'snake',
  defaultCase: 'snake',
  summary: 'A record about a token, not the token: it holds hashes, never token values; every time is epoch ms.',
  notes: [
    'access_token_hash and refresh_token_hash are opaque lookup keys (the hash algorithm is not documented).',
    'All *_at fields are epoch milliseconds; refresh_token_expires_at and last_refreshed_at are 0 for "none".',
    "client_id is Authlete's numeric client id, not the OAuth client_id string; subject is null for client credentials.",
  ],
  fields: [
    { name: 'access_token_hash', type: 'string', documentedType: 'T.nilable(::String)', required: false, nullable: true, unit: 'text', concept: 'accessTokenHash', meaning: 'A hash of the access token: a lookup key, not the token.' },
    { name: 'access_token_expires_at', type: 'integer', documentedType: 'T.nilable(::Integer)', required: false, nullable: true, unit: 'epoch-ms', concept: 'expiresAtMs', meaning: 'When the access token expires, epoch milliseconds.' },
    { name: 'refresh_token_hash', type: 'string', documentedType: 'T.nilable(::String)', required: false, nullable: true, unit: 'text', concept: 'refreshTokenHash', meaning: 'A hash of the refresh token: a lookup key, not the token.' },
    { name: 'refresh_token_expires_at', type: 'integer', documentedType: 'T.nilable(::Integer)', required: false, nullable: true, unit: 'epoch-ms', concept: 'refreshExpiresAtMs', meaning: 'When the refresh token expires, epoch milliseconds; 0 when there is none.', zeroMeansNone: true },
    { name: 'created_at', type: 'integer', documentedType: 'T.nilable(::Integer)', required: false, nullable: true, unit: 'epoch-ms', concept: 'issuedAtMs', meaning: 'When the access token was first created, epoch ms; unchanged by refresh.' },
    { name: 'last_refreshed_at', type: 'integer', documentedType: 'T.nilable(::Integer)', required: false, nullable: true, unit: 'epoch-ms', concept: 'lastRefreshedAtMs', meaning: 'When the token was last refreshed, epoch ms; 0 when never.', zeroMeansNone: true },
    { name: 'client_id', type: 'integer', documentedType: 'T.nilable(::Integer)', required: false, nullable: true, unit: 'numeric-id', concept: 'clientId', meaning: "Authlete's numeric client id (not the OAuth client_id string)." },
    { name: 'subject', type: 'string', documentedType: 'T.nilable(::String)', required: false, nullable: true, unit: 'text', concept: 'subject', meaning: 'The unique user id; null for client credentials.' },
    { name: 'grant_type', type: 'string', documentedType: 'T.nilable(Models::Components::GrantType)', required: false, nullable: true, unit: 'upper-grant-enum', concept: 'grantType', meaning: 'The grant that created the token (upper-case enum); unchanged by refresh.', enumValues: Object.keys(AUTHLETE_GRANT_TYPES), enumClosed: true },
    { name: 'scopes', type: 'string[]', documentedType: 'T::Array<::String>', required: false, nullable: false, unit: 'string-array', concept: 'scopes', meaning: 'The scopes of the access token.' },
    { name: 'properties', type: 'object[]', documentedType: 'T::Array<Models::Components::Property>', required: false, nullable: false, unit: 'property-array', concept: 'properties', meaning: 'Extra { key, value, hidden } properties; hidden ones are not shown to clients.' },
    { name: 'refresh_token_scopes', type: 'string[]', documentedType: 'T::Array<::String>', required: false, nullable: false, unit: 'string-array', concept: 'refreshScopes', meaning: 'The scopes of the refresh token.' },
  ],
};

export const FORMAT_SPECS: readonly FormatSpec[] = [rfc6749, serendip, affinidiTs, affinidiPy, gusto, authlete];

export const SPEC_BY_ID: Readonly<Record<FormatId, FormatSpec>> = {
  'rfc6749.TokenResponse': rfc6749,
  'serendip.TokenModel': serendip,
  'affinidi.ConsumerAuthTokenEndpointOutput': affinidiTs,
  'affinidi.OAuth2Token': affinidiPy,
  'gusto.RefreshTokenAuthentication': gusto,
  'authlete.AccessToken': authlete,
};

/** Every concept in the order the comparison table lists them, with a label for people. */
export const CONCEPTS: readonly { readonly concept: Concept; readonly label: string }[] = [
  { concept: 'accessToken', label: 'access token' },
  { concept: 'accessTokenHash', label: 'access token hash' },
  { concept: 'refreshToken', label: 'refresh token' },
  { concept: 'refreshTokenHash', label: 'refresh token hash' },
  { concept: 'idToken', label: 'ID token' },
  { concept: 'tokenType', label: 'token type' },
  { concept: 'issuedTokenType', label: 'issued token type' },
  { concept: 'scopes', label: 'scope' },
  { concept: 'refreshScopes', label: 'refresh token scope' },
  { concept: 'issuedAtMs', label: 'issued at' },
  { concept: 'expiresAtMs', label: 'expires at' },
  { concept: 'expiresInS', label: 'lifetime' },
  { concept: 'refreshExpiresAtMs', label: 'refresh expiry' },
  { concept: 'lastRefreshedAtMs', label: 'last refreshed' },
  { concept: 'grantType', label: 'grant type' },
  { concept: 'subject', label: 'subject' },
  { concept: 'clientId', label: 'client' },
  { concept: 'userId', label: 'user id' },
  { concept: 'username', label: 'username' },
  { concept: 'groups', label: 'groups' },
  { concept: 'userAgent', label: 'user agent' },
  { concept: 'recordId', label: 'record id' },
  { concept: 'properties', label: 'properties' },
];

/**
 * One argument schema per contract method (valibot: small and tree-shakable, so a front door that only
 * imports the contract's types pays nothing). `TokenscopeApi` takes its argument types from here, and the
 * back end checks every call against its method's schema once, before the method runs
 * (`checkArgument`, used by `createServices`): IPC, serve and the CLI all go through that one check.
 *
 * The schemas check shapes and ranges (types, ids, limits, the closed lists). What depends on the data
 * (an unknown profile, a format id, a profile's URL rules) stays with the code that knows it.
 */
import * as v from 'valibot';
import { LIST_SORTS, REDACTIONS, TOKEN_KINDS, TOKEN_STATUSES } from './model.ts';
import type {
  EventsQuery,
  ExportRequest,
  ImportRequest,
  ListTokensQuery,
  SaveTokenRequest,
  SetProtectionRequest,
  ChangePassphraseRequest,
} from './model.ts';
import { CLIENT_AUTH_METHODS, KEY_ALGORITHMS, PAR_MODES, type ProfileInput } from './profile.ts';
import type { ExchangeQuery } from './oauth.ts';
import type { ConvertTokenRequest, DiffTokensRequest } from './token/convert.ts';
import type { VerifyTokenRequest } from './token/verify.ts';
import { TokenscopeError } from './result.ts';

// ── building blocks, each with the message a caller reads ──

const NON_EMPTY_ID = 'expected a non-empty string of at most 200 characters';
/** An id of the history, a profile or a flow. */
const id = v.pipe(v.string(NON_EMPTY_ID), v.nonEmpty(NON_EMPTY_ID), v.maxLength(200, NON_EMPTY_ID));
const text = v.string('expected a string');
const flag = v.boolean('expected true or false');
const finiteNumber = v.pipe(v.number('expected a number'), v.finite('expected a finite number'));

/** A page size from 1 to `max`. */
function limit(max: number) {
  const message = `expected a number from 1 to ${String(max)}`;
  return v.pipe(v.number(message), v.integer(message), v.minValue(1, message), v.maxValue(max, message));
}

function oneOf<const T extends readonly [string, ...string[]]>(options: T) {
  return v.picklist(options, `expected one of ${options.join(', ')}`);
}

function object<const E extends v.ObjectEntries>(entries: E) {
  return v.object(entries, 'expected an object');
}

const ids = v.pipe(v.array(id, 'expected an array of ids'), v.readonly());
const stringMap = v.record(v.string(), v.string('expected a string value'), 'expected an object of string values');
const noArgument = v.undefined('takes no argument');

// ── history ──

const tokenFilter = {
  text: v.optional(v.pipe(text, v.maxLength(1000, 'expected a string of at most 1000 characters'))),
  status: v.optional(oneOf(TOKEN_STATUSES)),
  kind: v.optional(oneOf(TOKEN_KINDS)),
  profileId: v.optional(id),
  grantId: v.optional(id),
  expiringWithinMinutes: v.optional(v.pipe(finiteNumber, v.minValue(0, 'expected 0 or more minutes'))),
  fromMs: v.optional(finiteNumber),
  toMs: v.optional(finiteNumber),
};

const listTokensQuery = object({
  limit: v.optional(limit(500)),
  cursor: v.optional(v.nullable(v.string('expected a page cursor'))),
  sort: v.optional(oneOf(LIST_SORTS)),
  ...tokenFilter,
});

const exportRequest = object({
  format: text,
  redact: oneOf(REDACTIONS),
  encrypt: v.optional(flag),
  passphrase: v.optional(text),
  ids: v.optional(ids),
  filter: v.optional(object(tokenFilter)),
  includeValues: v.optional(flag),
});

const importRequest = object({
  content: v.optional(text),
  fileName: v.optional(text),
  passphrase: v.optional(text),
  format: v.optional(text),
  skipBad: v.optional(flag),
});

// ── token domain ──

const keySource = v.variant(
  'type',
  [
    object({ type: v.literal('jwks-url'), url: text }),
    object({ type: v.literal('issuer'), issuer: text }),
    object({ type: v.literal('key'), key: text }),
    object({ type: v.literal('secret'), secret: text, encoding: v.optional(oneOf(['utf8', 'base64url', 'hex'])) }),
    object({ type: v.literal('none') }),
  ],
  'expected a key source { type: jwks-url | issuer | key | secret | none }',
);

const verifyTokenRequest = object({
  token: text,
  keySource,
  tokenId: v.optional(id),
  expect: v.optional(
    object({
      issuer: v.optional(text),
      audience: v.optional(text),
      nonce: v.optional(text),
      clockSkewS: v.optional(v.pipe(finiteNumber, v.minValue(0, 'expected 0 or more seconds'))),
    }),
  ),
});

// ── oauth ──

const endpoint = v.optional(text);
const profileSettings = object({
  issuer: text,
  clientId: text,
  discovery: v.optional(flag),
  endpoints: v.optional(
    object({
      authorizationEndpoint: endpoint,
      tokenEndpoint: endpoint,
      revocationEndpoint: endpoint,
      introspectionEndpoint: endpoint,
      userinfoEndpoint: endpoint,
      deviceAuthorizationEndpoint: endpoint,
      pushedAuthorizationRequestEndpoint: endpoint,
      jwksUri: endpoint,
    }),
  ),
  authMethod: v.optional(oneOf(CLIENT_AUTH_METHODS)),
  scope: v.optional(text),
  authorizationParams: v.optional(stringMap),
  tokenParams: v.optional(stringMap),
  redirectHost: v.optional(oneOf(['127.0.0.1', '[::1]'])),
  redirectPort: v.optional(v.number('expected a port number')),
  par: v.optional(oneOf(PAR_MODES)),
  dpop: v.optional(flag),
  primaryToken: v.optional(oneOf(['access_token', 'id_token'])),
  autoRefresh: v.optional(flag),
  publicJwk: v.optional(v.record(v.string(), v.unknown(), 'expected a JWK object')),
  signingAlg: v.optional(text),
  demo: v.optional(flag),
  demoRole: v.optional(oneOf(['native', 'native-jwt', 'service'])),
});

const profileInput = object({
  id: v.optional(id),
  name: text,
  settings: profileSettings,
  clientSecret: v.optional(v.nullable(text)),
  privateKey: v.optional(
    v.nullable(
      v.union(
        [text, object({ generate: oneOf(KEY_ALGORITHMS) })],
        `expected a PEM or JWK text, or { generate: ${KEY_ALGORITHMS.join(' | ')} }`,
      ),
    ),
  ),
});

const byProfile = object({ profileId: id });
/** A token exchange's audience or resource (RFC 8693 §2.1). */
const target = v.pipe(
  text,
  v.nonEmpty('expected a non-empty audience or resource'),
  v.maxLength(2000, 'expected at most 2000 characters'),
);
const byFlow = object({ flowId: id });
const byToken = object({ tokenId: id });

/** What an API expects of a token (inspectToken's and checkTokenExpectations' `expect`). */
const apiExpectations = object({
  issuer: v.optional(text),
  audience: v.optional(text),
  nonce: v.optional(text),
  clockSkewS: v.optional(v.pipe(finiteNumber, v.minValue(0, 'expected 0 or more seconds'))),
  scopes: v.optional(v.pipe(v.array(text, 'expected an array of scopes'), v.maxLength(100, 'at most 100 scopes'), v.readonly())),
  atMs: v.optional(v.pipe(finiteNumber, v.minValue(0, 'expected an epoch time in ms'))),
  typ: v.optional(text),
  algorithms: v.optional(v.pipe(v.array(text, 'expected an array of algorithms'), v.maxLength(20, 'at most 20'), v.readonly())),
});

/** Every method's argument schema; the compiler checks that no method is missing. */
const API_SCHEMAS = {
  // core
  appInfo: noArgument,
  // history
  listTokens: listTokensQuery,
  getToken: id,
  revealToken: id,
  deleteToken: id,
  deleteTokens: object({ ids }),
  purgeExpired: object({ olderThanDays: v.pipe(finiteNumber, v.minValue(0, 'expected a number of days, 0 or more')) }),
  saveToken: object({
    text,
    profileId: v.optional(id),
    receivedAtMs: v.optional(v.pipe(finiteNumber, v.minValue(0, 'expected an epoch time in ms'))),
  }),
  getGrant: id,
  canonicalRecord: byToken,
  grantLineage: object({ grantId: id }),
  listGrantLineages: v.optional(object({ limit: v.optional(limit(200)) })),
  issuanceDiff: byToken,
  diffHistoryTokens: object({ a: id, b: id }),
  getEvents: object({ tokenId: v.optional(id), grantId: v.optional(id), limit: v.optional(limit(1000)) }),
  exportTokens: exportRequest,
  importTokens: importRequest,
  storageStatus: noArgument,
  setProtection: object({ choice: oneOf(['session', 'weak']), wipeDisk: v.optional(flag) }),
  changePassphrase: object({ newPassphrase: text }),
  wipeHistory: v.optional(object({ profiles: v.optional(flag) })),
  // token domain
  inspect: text,
  verifyToken: verifyTokenRequest,
  listFormats: noArgument,
  convertToken: object({ text, to: text, from: v.optional(text), case: v.optional(oneOf(['snake', 'camel'])) }),
  diffTokens: object({ a: text, b: text }),
  findInHistory: object({ text }),
  inspectToken: object({
    text,
    formatId: v.optional(text),
    expect: v.optional(apiExpectations),
  }),
  checkTokenExpectations: object({ tokenId: id, expect: apiExpectations }),
  // oauth
  listProfiles: noArgument,
  saveProfile: profileInput,
  deleteProfile: object({ id }),
  attachProfile: object({ tokenId: id, profileId: id }),
  discover: object({ issuer: text }),
  startLogin: byProfile,
  cancelFlow: byFlow,
  getFlow: byFlow,
  clientCredentials: byProfile,
  startDeviceFlow: byProfile,
  refreshToken: byToken,
  revokeToken: byToken,
  introspectToken: byToken,
  userinfo: byToken,
  tokenBinding: byToken,
  exchangeToken: object({
    tokenId: id,
    audience: v.optional(target),
    resource: v.optional(target),
    scope: v.optional(v.pipe(text, v.maxLength(2000, 'expected scopes of at most 2000 characters'))),
    requestedTokenType: v.optional(
      v.pipe(text, v.nonEmpty('expected a token type'), v.maxLength(200, 'expected a token type of at most 200 characters')),
    ),
    actorTokenId: v.optional(id),
  }),
  callApi: object({
    tokenId: id,
    url: v.pipe(text, v.nonEmpty('expected a URL'), v.maxLength(8192, 'expected a URL of at most 8192 characters')),
    method: v.optional(v.pipe(text, v.regex(/^[A-Za-z]{1,16}$/, 'expected an HTTP method such as GET or POST'))),
    headers: v.optional(stringMap),
    body: v.optional(v.pipe(text, v.maxLength(1_000_000, 'expected a body of at most 1,000,000 characters'))),
    refreshAndRetry: v.optional(flag),
    send: v.optional(flag),
    reveal: v.optional(flag),
  }),
  grantTimeline: object({ grantId: v.optional(id), tokenId: v.optional(id) }),
  listExchanges: object({
    grantId: v.optional(id),
    flowId: v.optional(id),
    tokenId: v.optional(id),
    limit: v.optional(limit(1000)),
  }),
  listLoggedGrants: v.optional(object({ limit: v.optional(limit(1000)) })),
  ensureDemoIssuer: noArgument,
} as const;

type SchemaMethod = keyof typeof API_SCHEMAS;
/** The argument type of a contract method, as its schema describes it. */
export type ArgumentOf<M extends SchemaMethod> = v.InferOutput<(typeof API_SCHEMAS)[M]>;

/** What a bare argument (not an object) is called in messages. */
const ARGUMENT_NAMES: Partial<Record<SchemaMethod, string>> = {
  getToken: 'id',
  revealToken: 'id',
  deleteToken: 'id',
  getGrant: 'id',
  inspect: 'text',
};

function fieldPath(method: SchemaMethod, issue: v.BaseIssue<unknown>): string {
  const keys = (issue.path ?? []).map((item) => item.key);
  if (keys.length === 0) return ARGUMENT_NAMES[method] ?? `${method}'s argument`;
  return keys.reduce<string>((path, key, index) => {
    if (typeof key === 'number') return `${path}[${String(key)}]`;
    return index === 0 ? String(key) : `${path}.${String(key)}`;
  }, '');
}

/**
 * Checks a method's argument against its schema; throws ERR_INVALID_ARGUMENT naming the field
 * ("limit: expected a number from 1 to 1000"), with `detail.field`. Returns the argument as given.
 */
export function checkArgument<M extends SchemaMethod>(method: M, argument: unknown): ArgumentOf<M> {
  const checked = v.safeParse(API_SCHEMAS[method], argument, { abortPipeEarly: true });
  if (checked.success) return argument as ArgumentOf<M>;
  const [issue] = checked.issues;
  const field = fieldPath(method, issue);
  throw new TokenscopeError('ERR_INVALID_ARGUMENT', `${field}: ${issue.message}`, { method, field });
}

// ── the request types kept beside their domain code must stay what the schemas accept ──

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Expect<T extends true> = T;

/** Fails to compile when a request type kept beside its domain code and its method's schema drift apart. */
type _RequestTypesMatchSchemas = [
  Expect<Same<ArgumentOf<'listTokens'>, ListTokensQuery>>,
  Expect<Same<ArgumentOf<'saveToken'>, SaveTokenRequest>>,
  Expect<Same<ArgumentOf<'getEvents'>, EventsQuery>>,
  Expect<Same<ArgumentOf<'exportTokens'>, ExportRequest>>,
  Expect<Same<ArgumentOf<'importTokens'>, ImportRequest>>,
  Expect<Same<ArgumentOf<'setProtection'>, SetProtectionRequest>>,
  Expect<Same<ArgumentOf<'changePassphrase'>, ChangePassphraseRequest>>,
  Expect<Same<ArgumentOf<'verifyToken'>, VerifyTokenRequest>>,
  Expect<Same<ArgumentOf<'convertToken'>, ConvertTokenRequest>>,
  Expect<Same<ArgumentOf<'diffTokens'>, DiffTokensRequest>>,
  Expect<Same<ArgumentOf<'saveProfile'>, ProfileInput>>,
  Expect<Same<ArgumentOf<'listExchanges'>, ExchangeQuery>>,
];

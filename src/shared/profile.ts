/** OAuth client profiles as the renderer and the CLI see them: settings, the secrets' presence (never their values), validation. */

export const CLIENT_AUTH_METHODS = [
  'none',
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
] as const;
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];

/** Algorithms offered when generating a private_key_jwt key pair. */
export const KEY_ALGORITHMS = ['ES256', 'RS256', 'PS256', 'EdDSA'] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

/** When the authorization request is pushed first (PAR, RFC 9126): when the server advertises it, always, or never. */
export const PAR_MODES = ['auto', 'always', 'never'] as const;
export type ParMode = (typeof PAR_MODES)[number];
/** What each PAR mode does, in the words the profile form and `tokenscope profile list` show. */
export const PAR_MODE_WORDS: Readonly<Record<ParMode, string>> = {
  auto: 'when the server advertises it',
  always: 'always (fails without a PAR endpoint)',
  never: 'never (unless the server requires it)',
};

/** Endpoints typed by hand when the server has no discovery document. */
export interface ManualEndpoints {
  readonly authorizationEndpoint?: string;
  readonly tokenEndpoint?: string;
  readonly revocationEndpoint?: string;
  readonly introspectionEndpoint?: string;
  readonly userinfoEndpoint?: string;
  readonly deviceAuthorizationEndpoint?: string;
  readonly pushedAuthorizationRequestEndpoint?: string;
  readonly jwksUri?: string;
}

/** The non-secret part of a profile, stored as JSON settings. */
export interface ProfileSettings {
  /** Issuer identifier (https, or http on loopback). */
  readonly issuer: string;
  /** True: read OpenID Connect / RFC 8414 metadata; false: use `endpoints`. */
  readonly discovery: boolean;
  readonly endpoints?: ManualEndpoints;
  readonly clientId: string;
  readonly authMethod: ClientAuthMethod;
  /** Space-separated scopes. */
  readonly scope: string;
  /** Extra authorization request parameters: audience, resource, prompt, login_hint, acr_values, free keys. */
  readonly authorizationParams: Readonly<Record<string, string>>;
  /** Extra token request parameters. */
  readonly tokenParams: Readonly<Record<string, string>>;
  /** Loopback redirect: 127.0.0.1 by default, [::1] as an option. */
  readonly redirectHost: '127.0.0.1' | '[::1]';
  /** 0 = any free port (the server must accept any loopback port), else the port registered with the server. */
  readonly redirectPort: number;
  /**
   * Push the authorization request (RFC 9126): `auto` when the server advertises a PAR endpoint, `always` (refused
   * when it has none), `never` (unless the server requires it, which the sign-in then refuses to hide).
   */
  readonly par: ParMode;
  /** Sender-constrain the tokens with DPoP (RFC 9449): proofs signed by the profile's own key pair. */
  readonly dpop: boolean;
  /** The JWK thumbprint (RFC 7638) of the profile's DPoP public key; its private half is sealed with the secrets. */
  readonly dpopJkt?: string;
  /** Which token of a response is "the" token. */
  readonly primaryToken: 'access_token' | 'id_token';
  /** Refresh shortly before expiry (off by default). */
  readonly autoRefresh: boolean;
  /** private_key_jwt: the public JWK to register with the server, and the signing algorithm. */
  readonly publicJwk?: Readonly<Record<string, unknown>>;
  readonly signingAlg?: string;
  /** True for the built-in local demo issuer's profiles (their issuer URL is filled in when it starts). */
  readonly demo?: boolean;
  /** Which demo profile: the public client (opaque access token), the same with a JWT access token (RFC 9068), or the client-credentials client. */
  readonly demoRole?: 'native' | 'native-jwt' | 'service';
}

/** A profile as the contract returns it: secrets are reported as present or not, never returned. */
export interface ProfileView {
  readonly id: string;
  readonly name: string;
  readonly settings: ProfileSettings;
  readonly hasClientSecret: boolean;
  readonly hasPrivateKey: boolean;
}

/** saveProfile's argument. Secrets: a string sets, null clears, undefined keeps what is stored. */
export interface ProfileInput {
  readonly id?: string;
  readonly name: string;
  readonly settings: Partial<ProfileSettings> & { readonly issuer: string; readonly clientId: string };
  readonly clientSecret?: string | null;
  /** A private key as PEM (PKCS#8) or JWK JSON, `{ generate: alg }` for a new key pair, or null to clear. */
  readonly privateKey?: string | { readonly generate: KeyAlgorithm } | null;
}

export const DEFAULT_PROFILE_SETTINGS: Omit<ProfileSettings, 'issuer' | 'clientId'> = {
  discovery: true,
  authMethod: 'none',
  scope: 'openid',
  authorizationParams: {},
  tokenParams: {},
  redirectHost: '127.0.0.1',
  redirectPort: 0,
  par: 'auto',
  dpop: false,
  primaryToken: 'access_token',
  autoRefresh: false,
};

export const DEMO_PROFILE_NAME = 'Demo issuer (local)';

/** Parameters the client itself sets; a profile may not override them. */
const RESERVED_AUTH_PARAMS = new Set([
  'client_id',
  'redirect_uri',
  'response_type',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'scope',
  'request_uri',
  'response_mode',
  'dpop_jkt',
]);
const RESERVED_TOKEN_PARAMS = new Set([
  'grant_type',
  'code',
  'code_verifier',
  'redirect_uri',
  'refresh_token',
  'client_id',
  'client_secret',
  'client_assertion',
  'client_assertion_type',
  'device_code',
]);

export interface ProfileProblem {
  readonly field: string;
  readonly message: string;
}

/** Loopback http or any https; what the client accepts as an issuer or endpoint. */
export function isAcceptableServerUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username || url.password || url.hash) return false;
  if (url.protocol === 'https:') return url.hostname.length > 0;
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

function stringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

/** Fills defaults and lists every problem with a clear message; an empty list means the settings are usable. */
export function normalizeProfileSettings(input: ProfileInput['settings']): {
  settings: ProfileSettings;
  problems: ProfileProblem[];
} {
  const problems: ProfileProblem[] = [];
  // Profiles saved before `par` existed carry `usePar` (true: push even when not required).
  const { usePar, ...rest } = input as ProfileInput['settings'] & { readonly usePar?: unknown };
  const legacyPar: Partial<ProfileSettings> = usePar === true && rest.par === undefined ? { par: 'always' } : {};
  const settings: ProfileSettings = { ...DEFAULT_PROFILE_SETTINGS, ...legacyPar, ...rest };
  if (typeof settings.issuer !== 'string' || !isAcceptableServerUrl(settings.issuer)) {
    problems.push({ field: 'issuer', message: 'the issuer must be an https URL (or http on 127.0.0.1/localhost)' });
  }
  if (typeof settings.clientId !== 'string' || settings.clientId.trim() === '') {
    problems.push({ field: 'clientId', message: 'the client id is required' });
  }
  if (!(CLIENT_AUTH_METHODS as readonly string[]).includes(settings.authMethod)) {
    problems.push({ field: 'authMethod', message: `client authentication must be one of ${CLIENT_AUTH_METHODS.join(', ')}` });
  }
  if (typeof settings.scope !== 'string') problems.push({ field: 'scope', message: 'scopes must be a space-separated string' });
  if (!stringRecord(settings.authorizationParams)) {
    problems.push({ field: 'authorizationParams', message: 'extra authorization parameters must be string key/values' });
  } else {
    for (const key of Object.keys(settings.authorizationParams)) {
      if (RESERVED_AUTH_PARAMS.has(key))
        problems.push({ field: 'authorizationParams', message: `"${key}" is set by Tokenscope itself` });
    }
  }
  if (!stringRecord(settings.tokenParams)) {
    problems.push({ field: 'tokenParams', message: 'extra token parameters must be string key/values' });
  } else {
    for (const key of Object.keys(settings.tokenParams)) {
      if (RESERVED_TOKEN_PARAMS.has(key))
        problems.push({ field: 'tokenParams', message: `"${key}" is set by Tokenscope itself` });
    }
  }
  if (settings.redirectHost !== '127.0.0.1' && settings.redirectHost !== '[::1]') {
    problems.push({ field: 'redirectHost', message: 'the redirect host must be 127.0.0.1 or [::1]' });
  }
  if (!Number.isInteger(settings.redirectPort) || settings.redirectPort < 0 || settings.redirectPort > 65535) {
    problems.push({ field: 'redirectPort', message: 'the redirect port must be 0 (any) or 1 to 65535' });
  }
  if (!(PAR_MODES as readonly string[]).includes(settings.par)) {
    problems.push({ field: 'par', message: `par must be one of ${PAR_MODES.join(', ')}` });
  }
  if (typeof settings.dpop !== 'boolean') problems.push({ field: 'dpop', message: 'dpop must be true or false' });
  if (settings.primaryToken !== 'access_token' && settings.primaryToken !== 'id_token') {
    problems.push({ field: 'primaryToken', message: 'the primary token must be access_token or id_token' });
  }
  if (!settings.discovery) {
    const endpoints = settings.endpoints ?? {};
    for (const [key, value] of Object.entries(endpoints)) {
      if (value !== undefined && (typeof value !== 'string' || !isAcceptableServerUrl(value))) {
        problems.push({ field: `endpoints.${key}`, message: `${key} must be an https URL (or http on loopback)` });
      }
    }
    if (!endpoints.tokenEndpoint)
      problems.push({ field: 'endpoints.tokenEndpoint', message: 'without discovery the token endpoint is required' });
  }
  return { settings, problems };
}

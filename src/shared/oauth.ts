/** What the OAuth contract methods return: discovery, flows and their tokens, token actions, the exchange log, the demo issuer. */
import type { ErrorCode } from './result.ts';
import type { FindingCode } from './token/findings.ts';
import type { IssuanceDiff } from './issuance.ts';
import type { ClaimView } from './token/claims.ts';

export interface DiscoveryResult {
  readonly issuer: string;
  /** The metadata document as served (public information). */
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly supports: {
    readonly pkceS256: boolean;
    readonly par: boolean;
    readonly parRequired: boolean;
    /** DPoP (RFC 9449): the server names the proof algorithms it accepts. */
    readonly dpop: boolean;
    readonly deviceCode: boolean;
    readonly clientCredentials: boolean;
    /** Token exchange (RFC 8693): the server lists its grant type (no list: not assumed). */
    readonly tokenExchange: boolean;
    readonly revocation: boolean;
    readonly introspection: boolean;
    readonly userinfo: boolean;
    readonly issParameter: boolean;
  };
}

/** A token a flow or action just stored. */
export interface StoredTokenRef {
  readonly id: string;
  readonly kind: 'access_token' | 'refresh_token' | 'id_token';
  readonly format: string;
  readonly expiresAtMs: number | null;
  /** False when the same value was already in the history. */
  readonly created: boolean;
  /** The profile's "the" token. */
  readonly primary: boolean;
  /** A JWT access token or an ID token: checked against the issuer's JWKS on receipt (also on its 'obtained' event). */
  readonly verification?: AccessTokenCheck;
}

/**
 * A JWT from a token response checked on receipt: a JWT access token (RFC 9068) or an ID token (OIDC Core §3.1.3.7).
 * Recorded, never enforced: a token that fails is still stored, flagged, because the user is debugging it.
 */
export interface AccessTokenCheck {
  readonly signature: 'verified' | 'invalid' | 'unverified';
  /** Why not verified: a verify reason (SIGNATURE_MISMATCH, NO_MATCHING_KEY, UNSIGNED...) or an error code (ERR_JWKS_FETCH...). */
  readonly reason?: string;
  readonly message?: string;
  readonly keySource: 'issuer JWKS';
  readonly jwksUri?: string;
  readonly alg?: string;
  readonly kid?: string;
  /**
   * The token domain's finding codes: RFC 9068 / ID token profile, expiry with the skew, issuer / audience / nonce
   * expectations, AZP_MISMATCH, AT_HASH_MISMATCH, C_HASH_MISMATCH.
   */
  readonly findings: readonly FindingCode[];
  /** ID tokens: whether the nonce is the one the flow sent ('not-sent': a refresh or device flow sends none). */
  readonly nonce?: 'matched' | 'mismatched' | 'missing' | 'not-sent';
  /** ID tokens: at_hash / c_hash against the access token and code that came with it, when the token has them. */
  readonly atHash?: 'matched' | 'mismatched';
  readonly cHash?: 'matched' | 'mismatched';
  /** The clock skew the check allowed for exp / iat, seconds. */
  readonly clockSkewS?: number;
}

export interface GrantResult {
  readonly grantId: string;
  readonly tokens: readonly StoredTokenRef[];
  /** Refresh: the refresh token the server rotated away (now superseded), if any. */
  readonly supersededTokenId?: string;
  /** The issuance the response was recorded as (which tokens arrived together). */
  readonly issuanceId?: string;
  /** Refresh: what changed from the grant's previous issuance, in words (computed by the back end). */
  readonly refreshDiff?: IssuanceDiff;
}

/** What `exchangeToken` (RFC 8693) gives back: the new tokens stored as their own issuance, and what the server issued. */
export interface TokenExchangeResult extends GrantResult {
  /** The history token sent as subject_token. */
  readonly subjectTokenId: string;
  readonly actorTokenId: string | null;
  /** The server's `issued_token_type`; null when it named none (RFC 8693 §2.2.1 requires it). */
  readonly issuedTokenType: string | null;
  /** In words: "an access token (urn:ietf:params:oauth:token-type:access_token)". */
  readonly issuedTokenTypeText: string;
}

export interface LoginStart {
  readonly flowId: string;
  readonly authorizationUrl: string;
  readonly redirectUri: string;
  readonly expiresAtMs: number;
  /** False when the system browser could not be opened (or the URL policy refused it): show the URL to open by hand. */
  readonly browserOpened: boolean;
  /** Whether the authorization request was pushed first (PAR, RFC 9126), and why, in words. */
  readonly par: { readonly pushed: boolean; readonly why: string };
  /** The thumbprint of the DPoP key the tokens are to be bound to (RFC 9449); absent without DPoP. */
  readonly dpopJkt?: string;
}

export interface DeviceFlowStart {
  readonly flowId: string;
  readonly userCode: string;
  readonly verificationUri: string;
  readonly verificationUriComplete: string | null;
  readonly expiresAtMs: number;
  readonly intervalSeconds: number;
}

export type FlowState = 'waiting-for-browser' | 'callback-received' | 'exchanging' | 'polling' | 'done' | 'failed' | 'cancelled';

export interface FlowStatus {
  readonly flowId: string;
  readonly kind: 'authorization_code' | 'device_code';
  readonly profileId: string;
  readonly state: FlowState;
  readonly error?: { readonly code: ErrorCode; readonly message: string };
  readonly result?: GrantResult;
}

export interface RevokeResult {
  readonly tokenId: string;
  readonly revoked: true;
}

export interface IntrospectionResult {
  readonly tokenId: string;
  readonly active: boolean;
  readonly claims: Readonly<Record<string, unknown>>;
  /** The token's binding now that the server has said its cnf (RFC 7662 with RFC 9449 §6.2). */
  readonly binding: TokenBinding;
  /** The answer in words: active, or not active and what that does (not) say. */
  readonly verdict: string;
  /** Each member of the response explained like a JWT claim (the token domain's claim registry). */
  readonly explained: readonly ClaimView[];
}

/**
 * Whether a token is sender-constrained (RFC 9449 DPoP, RFC 8705 mTLS) and, for DPoP, whether the key it is bound to
 * is its profile's: from its own `cnf` claim, else the last introspection's `cnf`, else the token response's
 * token_type and the key that proved the request.
 */
export interface TokenBinding {
  readonly tokenId: string;
  /** dpop: bound to a DPoP key; mtls: to a client certificate; bearer: whoever holds it may use it; unknown: cannot tell. */
  readonly kind: 'dpop' | 'mtls' | 'bearer' | 'unknown';
  /** Where Tokenscope read it. */
  readonly basis: 'cnf' | 'introspection' | 'token-response' | 'none';
  /** The thumbprint the token is bound to (cnf.jkt, or the key that proved the token request). */
  readonly tokenJkt: string | null;
  /** The thumbprint of the DPoP key of the token's profile; null when it has none. */
  readonly profileJkt: string | null;
  /** True/false when both thumbprints are known; null otherwise. */
  readonly matchesProfileKey: boolean | null;
  /** One sentence: "bound to this profile's DPoP key ✓ (cnf.jkt …)". */
  readonly summary: string;
}

export interface UserinfoResult {
  readonly tokenId: string;
  readonly claims: Readonly<Record<string, unknown>>;
}

export interface ExchangeQuery {
  readonly grantId?: string;
  readonly flowId?: string;
  readonly tokenId?: string;
  readonly limit?: number;
}

/**
 * Which step of a grant an exchange was: a request to one of the server's endpoints, the authorization request the
 * browser was sent to, the loopback callback, a JWKS fetch or an API call made with a token.
 */
export type ExchangeStep =
  | 'discovery'
  | 'authorization'
  | 'par'
  | 'callback'
  | 'token'
  | 'device-authorization'
  | 'device-token'
  | 'revocation'
  | 'introspection'
  | 'userinfo'
  | 'jwks'
  | 'api-call';

/** Who made a request when nobody clicked: the profile's auto-refresh (before a token expires). */
export type ExchangeAskedBy = 'auto-refresh';

/** One logged HTTP request/response, secrets masked. */
export interface HttpExchange {
  readonly id: string;
  readonly grantId?: string | null;
  readonly flowId?: string | null;
  readonly tokenId?: string | null;
  readonly method: string;
  readonly url: string;
  readonly status: number | null;
  readonly requestHeaders: Readonly<Record<string, string>>;
  readonly requestBody: string | null;
  readonly responseHeaders: Readonly<Record<string, string>>;
  readonly responseBody: string | null;
  readonly durationMs: number | null;
  readonly startedAtMs: number;
  /** Absent on exchanges logged before steps were recorded. */
  readonly step?: ExchangeStep | null;
  /** Who asked, when not a person: the profile's auto-refresh. Absent for a person's request (and on older rows). */
  readonly by?: ExchangeAskedBy;
  /** The request as a curl command, secrets masked as in the log. */
  readonly curl?: string;
}

export interface DemoIssuerInfo {
  readonly issuer: string;
  /** The "Demo issuer (local)" profile (public native client, authorization code + PKCE, device flow; opaque access token). */
  readonly profileId: string;
  /** The same client asking for the demo API resource: a JWT access token (RFC 9068). */
  readonly jwtProfileId: string;
  /** The demo's confidential client-credentials profile. */
  readonly serviceProfileId: string;
}

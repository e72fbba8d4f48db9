/** What calling an API with a history token returns: the request, the answer, the server's challenges and why it refused. */
import type { TokenBinding } from './oauth.ts';

/** One WWW-Authenticate challenge, with the parameters the OAuth RFCs define read out. */
export interface AuthChallenge {
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
  /** RFC 6750 §3.1: invalid_request, invalid_token, insufficient_scope; RFC 9470: insufficient_user_authentication; RFC 9449: use_dpop_nonce, invalid_dpop_proof. */
  readonly error?: string;
  readonly errorDescription?: string;
  readonly realm?: string;
  /** The scopes the resource says it needs (RFC 6750 §3). */
  readonly scope?: readonly string[];
  /** RFC 9470 step-up: the authentication context classes and the most seconds since authentication it accepts. */
  readonly acrValues?: readonly string[];
  readonly maxAgeS?: number;
  /** RFC 9449 §7.1: the DPoP proof algorithms the resource accepts. */
  readonly algs?: readonly string[];
}

export interface ApiCallResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The body pretty-printed when it is JSON. */
  readonly prettyBody?: string;
  readonly durationMs: number;
}

/** One request with the token, and what came of it. */
export interface ApiCallAttempt {
  /** The token that was sent. */
  readonly tokenId: string;
  readonly response?: ApiCallResponse;
  /** No answer at all (network, timeout). */
  readonly failure?: { readonly code: string; readonly message: string };
  readonly challenges: readonly AuthChallenge[];
  /** In words, why the API refused, checked against the token's claims (audience, scopes, expiry, acr, binding). */
  readonly explanation: readonly string[];
  /** Whether the token went as a bearer token or DPoP-bound (with a proof), as Tokenscope knows it. */
  readonly binding?: TokenBinding;
  /** Why this attempt was made after the one before: the API's DPoP nonce (RFC 9449 §9), or the refreshed token. */
  readonly retry?: 'use_dpop_nonce' | 'refreshed';
}

export interface ApiCallResult {
  readonly request: {
    readonly method: string;
    readonly url: string;
    /** Secrets masked. */
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string;
  };
  /** The same request as a curl command (the token masked unless the call asked to reveal it). */
  readonly curl: string;
  /** False when only the curl command was asked for. */
  readonly sent: boolean;
  /** The attempts in order: the first; again with the API's DPoP nonce when it asked for one; again after a refresh when it said invalid_token. */
  readonly attempts: readonly ApiCallAttempt[];
  /** 'ok' 2xx/3xx, 'refused' 401/403, 'error' any other answer, 'failed' no answer, 'not-sent' curl only. */
  readonly outcome: 'ok' | 'refused' | 'error' | 'failed' | 'not-sent';
  /** The API said invalid_token, the grant can refresh, and the call did not ask to: "refresh and retry once" may help. */
  readonly retryOffered: boolean;
}

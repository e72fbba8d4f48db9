/** What callers pass to the store's write methods. */
import type { EventType, TokenKind, TokenStatus } from '../../shared/model.ts';
import type { ExchangeQuery as SharedExchangeQuery } from '../../shared/oauth.ts';
import type { HttpExchange } from '../../shared/oauth.ts';

export interface SaveTokenInput {
  /** The token value itself (access, refresh or ID token). */
  readonly value: string;
  readonly kind: TokenKind;
  /** Format id of FORMATS.md the token came in, or 'jwt' / 'opaque' for a bare token. */
  readonly format: string;
  readonly grantId?: string | null;
  readonly profileId?: string | null;
  /** Left out: taken from the JWT's claims when the value is a JWT. */
  readonly issuer?: string | null;
  readonly subject?: string | null;
  readonly clientId?: string | null;
  readonly scopes?: readonly string[];
  readonly issuedAtMs?: number | null;
  readonly expiresAtMs?: number | null;
  /** A lifetime whose start is unknown (an `expires_in` with no response time): kept, status 'unknown' while there is no expiry. */
  readonly lifetimeS?: number | null;
  /** Where it came from: 'authorization_code', 'refresh', 'client_credentials', 'paste', 'import', ... */
  readonly source: string;
  /** Import only: keep the original id, status and times of a bundle record. */
  readonly id?: string;
  readonly status?: TokenStatus;
  readonly createdAtMs?: number;
  /** Import: a value that looks like a JWT but does not decode is refused (ERR_MALFORMED_JWT) instead of kept as opaque. */
  readonly strict?: boolean;
}

/** The fields of SaveTokenInput only an import sets. */
export type ImportOnlyTokenFields = 'id' | 'status' | 'createdAtMs' | 'strict';

export interface SaveTokenOutcome {
  readonly id: string;
  /** False when a token with the same value (hash) was already in the history. */
  readonly created: boolean;
}

export interface CreateGrantInput {
  readonly profileId?: string | null;
  /** 'authorization_code', 'client_credentials', 'device_code', 'refresh_token', 'imported', ... */
  readonly grantType: string;
  readonly issuer?: string | null;
  readonly clientId?: string | null;
  readonly scopes?: readonly string[];
  /** Import only. */
  readonly id?: string;
  readonly createdAtMs?: number;
}

export interface SaveProfileInput {
  /** Left out: a new profile. */
  readonly id?: string;
  readonly name: string;
  /** Non-secret settings (issuer, client id, scopes, redirect port...): stored as plain JSON. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Client secrets, private keys...: encrypted at rest. */
  readonly secrets: Readonly<Record<string, unknown>>;
}

export interface ProfileRecord extends SaveProfileInput {
  readonly id: string;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

export interface ProfileListItem extends Omit<ProfileRecord, 'secrets'> {
  readonly hasSecrets: boolean;
}

export interface AddEventInput {
  readonly tokenId?: string | null;
  readonly grantId?: string | null;
  readonly type: EventType;
  /** Non-secret facts only. */
  readonly detail?: Readonly<Record<string, unknown>>;
  /** Import only. */
  readonly id?: string;
  readonly atMs?: number;
}

/** One HTTP request/response of a flow. Callers mask secrets before; the store also encrypts headers and bodies. */
export type ExchangeInput = Omit<HttpExchange, 'id'>;

export type ExchangeRecord = HttpExchange;

/** `limit`: 1..1000, default 200, oldest first (the order they happened). */
export type ExchangeQuery = SharedExchangeQuery;

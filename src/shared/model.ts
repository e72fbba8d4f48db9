/** Data shapes of the token history as the contract returns them (plain, serializable, readonly). */

export const TOKEN_KINDS = ['access_token', 'refresh_token', 'id_token', 'unknown'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

export const TOKEN_STATUSES = ['active', 'expired', 'revoked', 'inactive', 'superseded', 'unreadable'] as const;
export type TokenStatus = (typeof TOKEN_STATUSES)[number];

export interface TokenSummary {
  readonly id: string;
  readonly kind: TokenKind;
  /** Format id of FORMATS.md the token came in, or 'jwt' / 'opaque' for a bare token. */
  readonly format: string;
  readonly issuer: string | null;
  readonly subject: string | null;
  readonly clientId: string | null;
  readonly scopes: readonly string[];
  readonly issuedAtMs: number | null;
  readonly expiresAtMs: number | null;
  readonly status: TokenStatus;
  readonly grantId: string | null;
  readonly profileId: string | null;
  readonly createdAtMs: number;
  /** Masked preview (prefix…suffix); never the full value. */
  readonly preview: string;
}

export interface ListTokensQuery {
  /** 1..500, default 100. */
  readonly limit?: number;
  /** Opaque keyset cursor from the previous page's `nextCursor`. */
  readonly cursor?: string | null;
  readonly text?: string;
  readonly status?: TokenStatus;
  readonly kind?: TokenKind;
  readonly profileId?: string;
  readonly expiringWithinMinutes?: number;
  readonly fromMs?: number;
  readonly toMs?: number;
}

export interface TokenPage {
  readonly items: readonly TokenSummary[];
  readonly nextCursor: string | null;
}

/** The part of the token history the OAuth layer uses (implemented by main/store's Store). */
import type {
  EventType,
  GrantSummary,
  ListTokensQuery,
  TokenKind,
  TokenPage,
  TokenStatus,
  TokenSummary,
} from '../../shared/model.ts';
import type { HttpExchange } from '../../shared/oauth.ts';

export interface OAuthStore {
  /** True when the history lives in memory only: nothing of the demo issuer may reach the disk either. */
  readonly inMemory: boolean;
  /** Seal / open a blob kept beside the database (the demo issuer's state) with the history's data key. */
  sealBlob(plain: string, context: string): Uint8Array;
  openBlob(sealed: Uint8Array, context: string): string;
  /** One all-or-nothing write transaction (nested calls join it). */
  write<T>(fn: () => T): T;
  saveToken(input: {
    readonly value: string;
    readonly kind: TokenKind;
    readonly format: string;
    readonly grantId?: string | null;
    readonly profileId?: string | null;
    readonly issuer?: string | null;
    readonly subject?: string | null;
    readonly clientId?: string | null;
    readonly scopes?: readonly string[];
    readonly issuedAtMs?: number | null;
    readonly expiresAtMs?: number | null;
    readonly source: string;
  }): { readonly id: string; readonly created: boolean };
  getTokenValue(id: string): string;
  getTokenSummary(id: string): TokenSummary | null;
  listTokens(query: ListTokensQuery): TokenPage;
  setTokenStatus(id: string, status: TokenStatus): void;
  createGrant(input: {
    readonly profileId?: string | null;
    readonly grantType: string;
    readonly issuer?: string | null;
    readonly clientId?: string | null;
    readonly scopes?: readonly string[];
  }): string;
  getGrantSummary(grantId: string): GrantSummary | null;
  getGrantTokens(grantId: string): readonly TokenSummary[];
  markGrantDead(grantId: string, reason: string): void;
  saveProfile(input: {
    readonly id?: string;
    readonly name: string;
    readonly settings: Readonly<Record<string, unknown>>;
    readonly secrets: Readonly<Record<string, unknown>>;
  }): string;
  getProfile(id: string): {
    readonly id: string;
    readonly name: string;
    readonly settings: Readonly<Record<string, unknown>>;
    readonly secrets: Readonly<Record<string, unknown>>;
  } | null;
  listProfiles(): readonly {
    readonly id: string;
    readonly name: string;
    readonly settings: Readonly<Record<string, unknown>>;
    readonly hasSecrets: boolean;
  }[];
  deleteProfile(id: string): boolean;
  addEvent(input: {
    readonly tokenId?: string | null;
    readonly grantId?: string | null;
    readonly type: EventType;
    readonly detail?: Readonly<Record<string, unknown>>;
  }): string;
  addExchange(input: Omit<HttpExchange, 'id'>): string;
  listExchanges(query: {
    readonly grantId?: string;
    readonly flowId?: string;
    readonly tokenId?: string;
    readonly limit?: number;
  }): readonly HttpExchange[];
}

/** The part of the token history the OAuth layer uses (implemented by main/store's Store). */
import type {
  EventsQuery,
  GrantSummary,
  ListTokensQuery,
  TokenEvent,
  TokenPage,
  TokenStatus,
  TokenSummary,
} from '../../shared/model.ts';
import type { ExchangeQuery, HttpExchange } from '../../shared/oauth.ts';
import type {
  AddEventInput,
  CreateGrantInput,
  ImportOnlyTokenFields,
  ProfileListItem,
  ProfileRecord,
  SaveProfileInput,
  SaveTokenInput,
  SaveTokenOutcome,
} from '../store/inputs.ts';
import type { RecordIssuanceInput } from '../store/issuance-repository.ts';
import type { Issuance } from '../../shared/issuance.ts';

export interface OAuthStore {
  /** True when the history lives in memory only: nothing of the demo issuer may reach the disk either. */
  readonly inMemory: boolean;
  /** Seal / open a blob kept beside the database (the demo issuer's state) with the history's data key. */
  /** One all-or-nothing write transaction (nested calls join it). */
  write<T>(fn: () => T): T;
  /** One write as soon as no import holds the history (others' writes are refused meanwhile): see Store.writeWhenWritable. */
  writeWhenWritable<T>(fn: () => T): Promise<T>;
  saveToken(input: Omit<SaveTokenInput, ImportOnlyTokenFields>): SaveTokenOutcome;
  getTokenValue(id: string): string;
  getTokenSummary(id: string): TokenSummary | null;
  listTokens(query: ListTokensQuery): TokenPage;
  setTokenStatus(id: string, status: TokenStatus): void;
  setTokenProfile(id: string, profileId: string, grantId: string | null): void;
  createGrant(input: Omit<CreateGrantInput, 'id' | 'createdAtMs'>): string;
  getGrantSummary(grantId: string): GrantSummary | null;
  getGrantTokens(grantId: string): readonly TokenSummary[];
  markGrantDead(grantId: string, reason: string): void;
  saveProfile(input: SaveProfileInput): string;
  getProfile(id: string): Omit<ProfileRecord, 'createdAtMs' | 'updatedAtMs'> | null;
  listProfiles(): readonly Omit<ProfileListItem, 'createdAtMs' | 'updatedAtMs'>[];
  deleteProfile(id: string): boolean;
  addEvent(input: Omit<AddEventInput, 'id' | 'atMs'>): string;
  /** A token's (or grant's) events, newest first. */
  getEvents(query: EventsQuery): TokenEvent[];
  recordIssuance(input: RecordIssuanceInput): Issuance;
  addExchange(input: Omit<HttpExchange, 'id'>): string;
  listExchanges(query: ExchangeQuery): readonly HttpExchange[];
}

/**
 * The token history: one SQLite database (WAL, synchronous=FULL, IMMEDIATE write transactions) whose
 * secret values (tokens, profile secrets, HTTP exchanges) are sealed with envelope encryption.
 * `Store` is a thin facade over the repositories (one per table or read model); its methods are
 * synchronous (better-sqlite3); only opening (the key provider) is async.
 */
import type Database from 'better-sqlite3';
import type {
  EventsQuery,
  GrantDetail,
  GrantSummary,
  ListTokensQuery,
  LoggedGrant,
  StatusCounts,
  StorageStatus,
  TokenDetail,
  TokenEvent,
  TokenPageWithCounts,
  TokenStatus,
  TokenSummary,
} from '../../shared/model.ts';
import type { Issuance, IssuanceToken } from '../../shared/issuance.ts';
import type { KeyProvider, KeyProviderInfo, Platform } from '../platform.ts';
import { keyringSealer, type BlobSealer } from './blob-sealer.ts';
import { Connection } from './connection.ts';
import { openDatabase } from './database.ts';
import { Keyring } from './envelope.ts';
import { assertHistoryKey } from './history-key.ts';
import { EventLog } from './event-log.ts';
import { ExchangeLog } from './exchange-log.ts';
import { FtsIndex } from './fts-index.ts';
import { GrantRepository } from './grant-repository.ts';
import { IssuanceRepository, type RecordIssuanceInput } from './issuance-repository.ts';
import type {
  AddEventInput,
  CreateGrantInput,
  ExchangeInput,
  ExchangeQuery,
  ExchangeRecord,
  ProfileListItem,
  ProfileRecord,
  SaveProfileInput,
  SaveTokenInput,
  SaveTokenOutcome,
} from './inputs.ts';
import { acquireLock, type StoreLock } from './lock.ts';
import { ProfileRepository } from './profile-repository.ts';
import { grantDetail, storageStatus, tokenDetail } from './read-models.ts';
import type { EventRow, TokenRow } from './rows.ts';
import { TokenCounts } from './token-counts.ts';
import { StatusPolicy } from './status-policy.ts';
import { TokenListing } from './token-listing.ts';
import type { TokenFilterQuery } from './token-query.ts';
import { TokenRepository, type TokenSelection } from './token-repository.ts';

export type * from './inputs.ts';

export interface StoreOptions {
  /** Take the lock file (default: yes for a data dir, no for ':memory:'). */
  readonly lock?: boolean;
}

export class Store {
  readonly db: Database.Database;
  /** What protects the data keys (changed by `rewrapDataKeys`). */
  private keyProviderInfo: KeyProviderInfo;
  readonly dataDir: string;
  /** Seals blobs kept outside the database (the demo issuer's state) with the current data key. */
  readonly sealer: BlobSealer;
  private readonly conn: Connection;
  private readonly keyring: Keyring;
  private readonly lock: StoreLock | null;
  private readonly tokens: TokenRepository;
  private readonly listing: TokenListing;
  private readonly status: StatusPolicy;
  private readonly grants: GrantRepository;
  private readonly profiles: ProfileRepository;
  private readonly events: EventLog;
  private readonly exchanges: ExchangeLog;
  private readonly fts: FtsIndex;
  private readonly issuances: IssuanceRepository;
  private closed = false;

  /** Use `openStore`. */
  constructor(
    db: Database.Database,
    keyring: Keyring,
    keyInfo: KeyProviderInfo,
    lock: StoreLock | null,
    dataDir: string,
    now: () => number,
  ) {
    this.db = db;
    this.keyring = keyring;
    this.keyProviderInfo = keyInfo;
    this.lock = lock;
    this.dataDir = dataDir;
    this.sealer = keyringSealer(keyring);
    this.conn = new Connection(db, now);
    const fts = new FtsIndex(this.conn, keyring.searchKey());
    this.fts = fts;
    const counts = new TokenCounts(this.conn);
    this.events = new EventLog(this.conn);
    this.status = new StatusPolicy(this.conn, this.events, counts);
    this.tokens = new TokenRepository(this.conn, keyring, fts, this.events, counts);
    this.listing = new TokenListing({ conn: this.conn, fts, tokens: this.tokens, counts, status: this.status });
    this.grants = new GrantRepository(this.conn, this.events);
    this.profiles = new ProfileRepository(this.conn, keyring, (seqs) => this.tokens.reindex(seqs));
    this.exchanges = new ExchangeLog(this.conn, keyring);
    this.issuances = new IssuanceRepository(this.conn);
  }

  get keyInfo(): KeyProviderInfo {
    return this.keyProviderInfo;
  }

  /**
   * Re-wraps every data key with `provider` (a new passphrase), in one transaction: the next open needs `provider`'s
   * key, the old one no longer opens the history. Keys that did not unwrap at open stay as they were (unreadable).
   */
  async rewrapDataKeys(provider: KeyProvider): Promise<{ readonly rewrapped: number; readonly unreadableKeys: number }> {
    const rewrapped = await this.keyring.rewrapped(provider);
    this.write(() => {
      const update = this.conn.sql('UPDATE data_keys SET wrapped = ?, backend = ? WHERE id = ?');
      for (const k of rewrapped) update.run(k.wrapped, provider.info.backend, k.id);
    });
    this.keyProviderInfo = provider.info;
    return { rewrapped: rewrapped.length, unreadableKeys: this.keyring.failed.length };
  }

  /** True when the history lives in memory only (':memory:', the session-only protection mode). */
  get inMemory(): boolean {
    return this.dataDir === ':memory:';
  }

  /** A cached prepared statement (for the store's own modules and tests). */
  sql(source: string): Database.Statement {
    return this.conn.sql(source);
  }

  /** Runs `fn` in one IMMEDIATE write transaction (all or nothing). Nested calls join the outer one. */
  write<T>(fn: () => T): T {
    return this.conn.write(fn);
  }

  /**
   * Runs `fn` in one write now or, while a `writeAsync` (an import) holds the history, as soon as it ends: for what a
   * server already did (tokens it issued, a revocation, an introspection's answer), which must be neither refused
   * (the fact would be lost) nor joined to the import's transaction (it may roll back).
   */
  writeWhenWritable<T>(fn: () => T): Promise<T> {
    return this.conn.writeWhenWritable(fn);
  }

  /**
   * Runs the async `fn` in one IMMEDIATE write transaction that stays open across its awaits (an import that reads
   * a stream and yields to the event loop): `fn` does its writes inside `step(…)`; a write from anyone else while
   * it is open is refused (ERR_UNAVAILABLE) rather than joined to a transaction that may roll back (an exchange-log
   * entry is held and written when it ends: Connection.writeWhenFree). Reads go on.
   */
  writeAsync<T>(fn: (step: <R>(work: () => R) => R) => Promise<T>): Promise<T> {
    return this.conn.writeAsync(fn);
  }

  /** Runs `fn` in a savepoint of the current transaction: what fails half-way leaves nothing behind. */
  savepoint<T>(fn: () => T): T {
    return this.conn.savepoint(fn);
  }

  // ── tokens ──

  saveToken(input: SaveTokenInput): SaveTokenOutcome {
    return this.tokens.saveToken(input);
  }
  getTokenValue(id: string): string {
    return this.tokens.getTokenValue(id);
  }
  findTokenByValue(value: string): string | null {
    return this.tokens.findTokenByValue(value);
  }
  findTokenByHash(hash: string): string | null {
    return this.tokens.findTokenByHash(hash);
  }
  hasToken(id: string): boolean {
    return this.tokens.hasToken(id);
  }
  setTokenStatus(id: string, status: TokenStatus): void {
    this.tokens.setTokenStatus(id, status);
  }
  setTokenProfile(id: string, profileId: string, grantId: string | null): void {
    this.tokens.setTokenProfile(id, profileId, grantId);
  }
  fillTokenLinks(id: string, grantId: string | null, profileId: string | null): void {
    this.tokens.fillLinks(id, grantId, profileId);
  }
  grantIdsOf(tokenIds: readonly string[]): Map<string, string> {
    return this.tokens.grantIdsOf(tokenIds);
  }
  getTokenSummary(id: string): TokenSummary | null {
    return this.tokens.getTokenSummary(id);
  }
  getToken(id: string): TokenDetail {
    return tokenDetail(this.tokens, this.events, id);
  }
  getGrantTokens(grantId: string): TokenSummary[] {
    return this.tokens.getGrantTokens(grantId);
  }
  deleteTokens(ids: readonly string[]): number {
    return this.tokens.deleteTokens(ids);
  }
  purgeExpired(days: number): number {
    return this.tokens.purgeExpired(days);
  }
  wipe(options: { readonly profiles?: boolean } = {}): number {
    return this.tokens.wipe(options);
  }
  sweepExpired(force = false): number {
    return this.status.sweepExpired(force);
  }
  count(): number {
    return this.tokens.count();
  }
  listTokens(query: ListTokensQuery = {}): TokenPageWithCounts {
    return this.listing.listTokens(query);
  }
  countByStatus(query: TokenFilterQuery = {}): StatusCounts {
    return this.listing.countByStatus(query);
  }
  eachToken<K extends keyof TokenRow = keyof TokenRow>(
    selection: TokenSelection = {},
    batch = 500,
    columns?: readonly K[],
  ): Generator<Pick<TokenRow, K | 'seq'>[]> {
    return this.tokens.eachToken(selection, batch, columns);
  }
  valueOfRow(row: Pick<TokenRow, 'id' | 'value_enc'>): string | null {
    return this.tokens.valueOfRow(row);
  }

  // ── grants ──

  createGrant(input: CreateGrantInput): string {
    return this.grants.createGrant(input);
  }
  getGrantSummary(grantId: string): GrantSummary | null {
    return this.grants.getGrantSummary(grantId);
  }
  hasGrant(id: string): boolean {
    return this.grants.hasGrant(id);
  }
  fillGrantProfile(grantId: string, profileId: string): void {
    this.grants.fillGrantProfile(grantId, profileId);
  }
  getGrant(grantId: string): GrantDetail {
    return grantDetail(this.grants, this.tokens, this.events, grantId);
  }
  markGrantDead(grantId: string, reason: string): void {
    this.grants.markGrantDead(grantId, reason);
  }
  restoreGrantState(grantId: string, state: GrantSummary['state'], deadReason: string | null, updatedAtMs: number | null): void {
    this.grants.restoreGrantState(grantId, state, deadReason, updatedAtMs);
  }
  eachGrant(ids?: Iterable<string>): Generator<GrantSummary[]> {
    return this.grants.eachGrant(ids);
  }
  listLoggedGrants(limit = 200): LoggedGrant[] {
    return this.grants.listLoggedGrants(limit);
  }

  // ── issuances (token responses) ──

  recordIssuance(input: RecordIssuanceInput): Issuance {
    return this.issuances.recordIssuance(input);
  }
  recordSingleIssuances(...args: Parameters<IssuanceRepository['recordSingleIssuances']>): number {
    return this.issuances.recordSingleIssuances(...args);
  }
  issuanceOfToken(tokenId: string): Issuance | null {
    return this.issuances.issuanceOfToken(tokenId);
  }
  getIssuance(id: string): Issuance | null {
    return this.issuances.getIssuance(id);
  }
  requestFactsOfGrant(grantId: string): ReturnType<IssuanceRepository['requestFactsOfGrant']> {
    return this.issuances.requestFactsOfGrant(grantId);
  }
  issuancesOfGrant(grantId: string): Issuance[] {
    return this.issuances.issuancesOfGrant(grantId);
  }
  previousIssuance(issuance: Issuance): Issuance | null {
    return this.issuances.previousIssuance(issuance);
  }
  recentGrantIds(limit: number): string[] {
    return this.issuances.recentGrantIds(limit);
  }
  ownIssuanceSeqs(tokenIds: readonly string[]): Map<string, number> {
    return this.issuances.ownIssuanceSeqs(tokenIds);
  }
  issuanceMemberIds(seq: number): IssuanceToken[] {
    return this.issuances.issuanceMemberIds(seq);
  }
  deriveIssuances(grantIds: readonly string[]): number {
    return this.issuances.deriveFor(grantIds);
  }

  // ── profiles ──

  saveProfile(input: SaveProfileInput): string {
    return this.profiles.saveProfile(input);
  }
  getProfile(id: string): ProfileRecord | null {
    return this.profiles.getProfile(id);
  }
  listProfiles(): ProfileListItem[] {
    return this.profiles.listProfiles();
  }
  hasProfile(id: string): boolean {
    return this.profiles.hasProfile(id);
  }
  deleteProfile(id: string): boolean {
    return this.profiles.deleteProfile(id);
  }
  mergeProfileInto(fromId: string, intoId: string): void {
    this.profiles.mergeProfileInto(fromId, intoId);
  }
  /** Merges just-imported profiles into the profile of the same client (issuer + client id) already here. */
  mergeSameClientProfiles(ids: readonly string[]): number {
    return this.profiles.mergeSameClient(ids);
  }

  // ── events ──

  addEvent(input: AddEventInput): string {
    return this.events.addEvent(input);
  }
  getEvents(query: EventsQuery = {}): TokenEvent[] {
    return this.events.getEvents(query);
  }
  hasEvent(id: string): boolean {
    return this.events.hasEvent(id);
  }
  eachEventRow(
    selection: { readonly tokenIds: readonly string[]; readonly grantIds: Iterable<string> } | null,
  ): Generator<EventRow[]> {
    return this.events.eachEventRow(selection);
  }

  // ── HTTP exchange log ──

  addExchange(input: ExchangeInput): string {
    return this.exchanges.addExchange(input);
  }
  listExchanges(query: ExchangeQuery): ExchangeRecord[] {
    return this.exchanges.listExchanges(query);
  }

  // ── status and life cycle ──

  storageStatus(): StorageStatus {
    return storageStatus(this.conn, this.tokens, this.keyInfo, this.dataDir);
  }

  applyKeyStatus(usable: readonly number[], failed: readonly number[]): void {
    this.status.applyKeyStatus(usable, failed);
  }

  /**
   * Builds the search index when it was not built with the current data key (a history from schema 2, or whose
   * key changed, e.g. a session-only key): returns how many tokens were indexed (0 when it was current).
   */
  ensureSearchIndex(): number {
    if (this.tokens.searchIndexCurrent()) return 0;
    if (this.tokens.count() === 0) {
      this.write(() => this.tokens.markSearchIndexCurrent());
      return 0;
    }
    return this.tokens.rebuildSearchIndex();
  }

  /** Rewrites, once, previews of earlier versions that kept characters of the value; returns how many. */
  repairPreviews(): number {
    return this.tokens.repairPreviews();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.conn.close();
      this.fts.close();
      this.db.pragma('optimize');
      // A clean close checkpoints and removes the -wal/-shm files.
      this.db.close();
    } finally {
      this.keyring.clear();
      this.lock?.release();
    }
  }
}

/**
 * Opens the history of a Platform: takes the lock file (ERR_STORE_LOCKED when another process holds
 * it), checks SQLite (ERR_SQLITE_TOO_OLD), migrates, and loads the data keys through the Platform's
 * KeyProvider: ERR_WRONG_PASSPHRASE / ERR_KEY_UNAVAILABLE, before anything is written, when none of the history's
 * data keys unwraps. Rows sealed with a later key that is gone (a history from before this check) become `unreadable`.
 */
export async function openStore(
  platform: Pick<Platform, 'dataDir' | 'mode' | 'keyProvider' | 'now'>,
  options: StoreOptions = {},
): Promise<Store> {
  const provider: KeyProvider = await platform.keyProvider();
  return openStoreWith(platform.dataDir, provider, { mode: platform.mode, now: () => platform.now(), ...options });
}

export async function openStoreWith(
  dataDir: string,
  provider: KeyProvider,
  options: StoreOptions & { readonly mode?: string; readonly now?: () => number } = {},
): Promise<Store> {
  const memory = dataDir === ':memory:';
  await assertHistoryKey(dataDir, provider);
  const lock = (options.lock ?? !memory) && !memory ? acquireLock(dataDir, options.mode ?? 'cli') : null;
  let db: Database.Database | undefined;
  try {
    db = openDatabase(dataDir);
    const now = options.now ?? Date.now;
    const keyring = new Keyring();
    const status = await keyring.load(db, provider, now());
    const store = new Store(db, keyring, provider.info, lock, dataDir, now);
    store.applyKeyStatus(status.usable, status.failed);
    store.ensureSearchIndex();
    store.repairPreviews();
    store.sweepExpired(true);
    return store;
  } catch (e) {
    db?.close();
    lock?.release();
    throw e;
  }
}

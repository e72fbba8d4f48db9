/** The one implementation of the contract: every front door calls these methods. */
import type { ApiArg, AppInfo, EventListener, TokenscopeBackend, TokenscopeEvent } from '../shared/api.ts';
import type {
  EventsQuery,
  ExportRequest,
  HistoryStatus,
  ImportRequest,
  ListTokensQuery,
  SaveTokenRequest,
  SetProtectionRequest,
} from '../shared/model.ts';
import { TokenscopeError } from '../shared/result.ts';
import { attempt } from './errors.ts';
import { inspectText } from '../shared/token/inspect.ts';
import { convertText, diffTexts, type ConvertTokenRequest, type DiffTokensRequest } from '../shared/token/convert.ts';
import { checkFacts, type KeySource, type VerifyOutcome, type VerifyTokenRequest } from '../shared/token/verify.ts';
import { listFormats } from '../shared/formats/index.ts';
import { keyFetcherFor, verifyWithKeySource } from './keys/index.ts';
import type { Platform } from './platform.ts';
import { APP } from './app-version.ts';
import { sqliteVersion } from './store/database.ts';
import { openHistory, switchProtection, type OpenedHistory } from './history/protection.ts';
import { exportHistory, importHistory, saveText } from './history/history-service.ts';
import { createOAuthService } from './oauth/oauth-service.ts';
import type { ExchangeQuery, ProfileInput } from '../shared/profile.ts';

const KEY_SOURCE_LABEL: Record<KeySource['type'], string> = {
  issuer: 'issuer JWKS',
  'jwks-url': 'JWKS URL',
  key: 'pasted key',
  secret: 'HMAC secret',
  none: 'no key',
};

/** What a `verified` event records: the outcome and where the key came from, never the key itself. */
function verificationDetail(outcome: VerifyOutcome): Record<string, string> {
  const { signature } = outcome;
  return {
    signature: signature.state,
    ...checkFacts(outcome, KEY_SOURCE_LABEL[outcome.keySource.type]),
    ...(signature.reason !== undefined ? { reason: signature.reason } : {}),
  };
}

export async function createServices(platform: Platform): Promise<TokenscopeBackend> {
  // The history (lock file, SQLite check, migrations, data keys): `store` is what main/oauth writes to.
  // With a weak key it is on disk or in memory as the user chose (src/main/history/protection.ts); the choice
  // can change while running, so `history`, `store` and `oauth` are replaced together.
  let history: OpenedHistory = await openHistory(platform);
  let store = history.store;
  const listeners = new Set<EventListener>();
  /** Pushes an event to every front door (IPC, SSE). */
  const emit = (event: TokenscopeEvent): void => {
    for (const listener of listeners) listener(event);
  };
  const tokensChanged = (ids: readonly string[]): void => emit({ type: 'tokens-changed', ids });
  // Flows, token actions and the demo issuer; it pushes flow-progress and tokens-changed itself.
  let oauth = createOAuthService({ platform, store, emit, demoSealer: history.demoSealer });
  const historyStatus = (): HistoryStatus => ({
    ...store.storageStatus(),
    protection: history.mode,
    choiceNeeded: history.choiceNeeded,
    diskKeyBackend: history.providerBackend,
  });

  return {
    // ── core ──
    appInfo: () =>
      attempt<AppInfo>(() => ({
        name: 'Tokenscope',
        version: APP.version,
        mode: platform.mode,
        dataDir: platform.dataDir,
        nodeVersion: process.versions.node,
        sqliteVersion: sqliteVersion(store.db),
        tokenCount: store.count(),
      })),

    // ── history (store) ──
    listTokens: (query: ListTokensQuery) => attempt(() => store.listTokens(query ?? {})),
    getToken: (id: string) => attempt(() => store.getToken(id)),
    revealToken: (id: string) => attempt(() => ({ id, value: store.getTokenValue(id) })),
    deleteToken: (id: string) =>
      attempt(() => {
        const deleted = store.deleteTokens([id]);
        if (deleted === 0) throw new TokenscopeError('ERR_NOT_FOUND', 'no such token in the history');
        tokensChanged([id]);
        return { deleted };
      }),
    deleteTokens: (request: { readonly ids: readonly string[] }) =>
      attempt(() => {
        const deleted = store.deleteTokens(request?.ids);
        if (deleted > 0) tokensChanged(request.ids);
        return { deleted };
      }),
    purgeExpired: (request: { readonly olderThanDays: number }) =>
      attempt(() => {
        const deleted = store.purgeExpired(request?.olderThanDays);
        if (deleted > 0) tokensChanged([]);
        return { deleted };
      }),
    saveToken: (request: SaveTokenRequest) =>
      attempt(() => {
        const saved = saveText(store, request);
        if (saved.created > 0) tokensChanged(saved.ids);
        return saved;
      }),
    getGrant: (id: string) => attempt(() => store.getGrant(id)),
    getEvents: (query: EventsQuery) => attempt(() => store.getEvents(query ?? {})),
    exportTokens: (request: ExportRequest) => attempt(() => exportHistory(store, platform, request)),
    importTokens: (request: ImportRequest) =>
      attempt(async () => {
        const report = await importHistory(store, platform, request);
        if (report.committed && report.imported > 0) tokensChanged([]);
        return report;
      }),
    storageStatus: () => attempt(() => historyStatus()),
    setProtection: (request: SetProtectionRequest) =>
      attempt(async () => {
        // Running flows write to the history being replaced: they stop first.
        await oauth.close();
        const outcome = await switchProtection(platform, history, request).catch((e: unknown) => {
          oauth = createOAuthService({ platform, store, emit, demoSealer: history.demoSealer });
          throw e;
        });
        history = outcome.opened;
        store = history.store;
        oauth = createOAuthService({ platform, store, emit, demoSealer: history.demoSealer });
        tokensChanged([]);
        return { status: historyStatus(), carriedOver: outcome.carriedOver, wipedFromDisk: outcome.wipedFromDisk };
      }),
    wipeHistory: (request?: { readonly profiles?: boolean }) =>
      attempt(() => {
        const deletedTokens = store.wipe({ profiles: request?.profiles === true });
        tokensChanged([]);
        return { deletedTokens };
      }),

    // ── token domain ──
    inspect: (text: string) => attempt(() => inspectText(text, { nowMs: platform.now(), comparison: true })),
    verifyToken: (request: VerifyTokenRequest) =>
      attempt(async () => {
        const deps = { fetcher: keyFetcherFor(platform), now: () => platform.now() };
        const tokenId = (request as { tokenId?: unknown } | null)?.tokenId;
        if (tokenId === undefined) return verifyWithKeySource(request, deps);
        if (typeof tokenId !== 'string') throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'tokenId must be a string');
        // The stored value, not what the caller sent: the event must be about this token.
        const outcome = await verifyWithKeySource({ ...request, token: store.getTokenValue(tokenId) }, deps);
        store.addEvent({ tokenId, type: 'verified', detail: { verification: verificationDetail(outcome) } });
        tokensChanged([tokenId]);
        return outcome;
      }),
    listFormats: () => attempt(() => listFormats()),
    convertToken: (request: ConvertTokenRequest) => attempt(() => convertText(request, platform.now())),
    diffTokens: (request: DiffTokensRequest) => attempt(() => diffTexts(request, platform.now())),
    inspectToken: (request: ApiArg<'inspectToken'>) =>
      attempt(() => {
        if (typeof request !== 'object' || request === null)
          throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'inspectToken takes { text }');
        const { text, formatId, expect } = request;
        return inspectText(text, {
          nowMs: platform.now(),
          comparison: true,
          ...(formatId !== undefined ? { formatId } : {}),
          ...(expect !== undefined ? { expect } : {}),
        });
      }),

    // ── oauth ──
    listProfiles: () => attempt(() => oauth.listProfiles()),
    saveProfile: (input: ProfileInput) => attempt(() => oauth.saveProfile(input)),
    deleteProfile: (arg: { id: string }) => attempt(() => oauth.deleteProfile(arg)),
    discover: (arg: { issuer: string }) => attempt(() => oauth.discover(arg)),
    startLogin: (arg: { profileId: string }) => attempt(() => oauth.startLogin(arg)),
    cancelFlow: (arg: { flowId: string }) => attempt(() => oauth.cancelFlow(arg)),
    getFlow: (arg: { flowId: string }) => attempt(() => oauth.getFlow(arg)),
    clientCredentials: (arg: { profileId: string }) => attempt(() => oauth.clientCredentials(arg)),
    startDeviceFlow: (arg: { profileId: string }) => attempt(() => oauth.startDeviceFlow(arg)),
    refreshToken: (arg: { tokenId: string }) => attempt(() => oauth.refreshToken(arg)),
    revokeToken: (arg: { tokenId: string }) => attempt(() => oauth.revokeToken(arg)),
    introspectToken: (arg: { tokenId: string }) => attempt(() => oauth.introspectToken(arg)),
    userinfo: (arg: { tokenId: string }) => attempt(() => oauth.userinfo(arg)),
    listExchanges: (query: ExchangeQuery) => attempt(() => oauth.listExchanges(query)),
    listLoggedGrants: (query?: { readonly limit?: number }) =>
      attempt(() => {
        if (query !== undefined && (query === null || typeof query !== 'object'))
          throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'the query must be an object');
        return store.listLoggedGrants(query?.limit ?? 200);
      }),
    ensureDemoIssuer: () => attempt(() => oauth.ensureDemoIssuer()),

    // ── plumbing ──
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => {
      // Running flows (their loopback listeners) and the demo issuer stop before the history closes.
      await oauth.close();
      listeners.clear();
      store.close();
    },
  };
}

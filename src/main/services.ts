/** The one implementation of the contract: every front door calls these methods. */
import type { AppInfo, EventListener, TokenscopeBackend, TokenscopeEvent } from '../shared/api.ts';
import type { HistoryStatus, VerificationRecord } from '../shared/model.ts';
import { TokenscopeError } from '../shared/result.ts';
import { attempt } from './errors.ts';
import { inspectText } from '../shared/token/inspect.ts';
import { checkFacts, type KeySource, type VerifyOutcome } from '../shared/token/verify.ts';
import { tokenDomainMethods, verifyGiven, withArgumentChecks } from './token-services.ts';
import type { Platform } from './platform.ts';
import { APP } from './app-version.ts';
import { sqliteVersion } from './store/database.ts';
import { changePassphrase } from './history/passphrase.ts';
import { openHistory, protectionStatus, switchProtection, type OpenedHistory } from './history/protection.ts';
import { exportHistory, importHistory, saveText } from './history/history-service.ts';
import { canonicalRecordOfToken } from './history/canonical-record.ts';
import { findInHistory } from './history/history-lookup.ts';
import { diffHistoryTokens, grantLineage, issuanceDiff, issuanceDiffOfToken, recentGrantLineages } from './history/lineage.ts';
import { createOAuthService } from './oauth/oauth-service.ts';
import { autoRefreshView } from './history/grant-scopes.ts';
import { tokenDetailView } from './oauth/token-availability.ts';

const KEY_SOURCE_LABEL: Record<KeySource['type'], string> = {
  issuer: 'issuer JWKS',
  'jwks-url': 'JWKS URL',
  key: 'pasted key',
  secret: 'HMAC secret',
  none: 'no key',
};

/** What a `verified` event records: the outcome and where the key came from, never the key itself. */
function verificationRecord(outcome: VerifyOutcome): VerificationRecord {
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
  const historyStatus = (): HistoryStatus => ({ ...store.storageStatus(), ...protectionStatus(history) });

  return withArgumentChecks({
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
    listTokens: (query) => attempt(() => store.listTokens(query)),
    getToken: (id) => attempt(() => tokenDetailView(store, store.getToken(id))),
    revealToken: (id) => attempt(() => ({ id, value: store.getTokenValue(id) })),
    checkTokenExpectations: ({ tokenId, expect }) =>
      attempt(() => {
        const token = store.getToken(tokenId);
        const result = inspectText(store.getTokenValue(tokenId), {
          nowMs: platform.now(),
          expect: { clockSkewS: 0, ...expect },
          recorded: {
            ...(token.summary.expiresAtMs !== null ? { expiresAtMs: token.summary.expiresAtMs } : {}),
            scopes: token.summary.scopes,
          },
        });
        if (result.expectations === undefined) throw new TokenscopeError('ERR_INTERNAL', 'no expectations report');
        return result.expectations;
      }),
    deleteToken: (id) =>
      attempt(() => {
        const deleted = store.deleteTokens([id]);
        if (deleted === 0) throw new TokenscopeError('ERR_NOT_FOUND', 'no such token in the history');
        tokensChanged([id]);
        return { deleted };
      }),
    deleteTokens: (request) =>
      attempt(() => {
        const deleted = store.deleteTokens(request.ids);
        if (deleted > 0) tokensChanged(request.ids);
        return { deleted };
      }),
    purgeExpired: (request) =>
      attempt(() => {
        const deleted = store.purgeExpired(request.olderThanDays);
        if (deleted > 0) tokensChanged([]);
        return { deleted };
      }),
    saveToken: (request) =>
      attempt(() => {
        const saved = saveText(store, request, platform.now());
        if (saved.created > 0) tokensChanged(saved.ids);
        return saved;
      }),
    getGrant: (id) => attempt(() => store.getGrant(id)),
    canonicalRecord: ({ tokenId }) => attempt(() => canonicalRecordOfToken(store, tokenId)),
    findInHistory: ({ text }) => attempt(() => findInHistory(store, text, platform.now())),
    grantLineage: ({ grantId }) =>
      attempt(() => {
        const lineage = grantLineage(store, grantId);
        const grant = store.getGrantSummary(grantId);
        if (!grant) return lineage;
        // "Next refresh in …": the armed timer of the profile's auto-refresh, or why none is armed.
        const liveRefresh = store.getGrantTokens(grantId).some((t) => t.kind === 'refresh_token' && t.status === 'active');
        return { ...lineage, autoRefresh: autoRefreshView(oauth.autoRefreshOf(lineage), grant, liveRefresh) };
      }),
    listGrantLineages: (query) => attempt(() => recentGrantLineages(store, query?.limit ?? 50)),
    issuanceDiff: ({ tokenId }) => attempt(() => issuanceDiffOfToken(store, tokenId)),
    diffHistoryTokens: (request) => attempt(() => diffHistoryTokens(store, request, platform.now())),
    getEvents: (query) => attempt(() => store.getEvents(query)),
    exportTokens: (request) =>
      attempt(() => exportHistory(store, platform, request, (done, total) => emit({ type: 'export-progress', done, total }))),
    importTokens: (request) =>
      attempt(async () => {
        const report = await importHistory(store, platform, request, (done, total) =>
          emit({ type: 'import-progress', done, total }),
        );
        if (report.committed && report.imported > 0) tokensChanged([]);
        return report;
      }),
    storageStatus: () => attempt(() => historyStatus()),
    setProtection: (request) =>
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
    changePassphrase: (request) =>
      attempt(async () => {
        const outcome = await changePassphrase(history, request);
        history = outcome.opened;
        return { status: historyStatus(), ...outcome.result };
      }),
    wipeHistory: (request) =>
      attempt(() => {
        const deletedTokens = store.wipe({ profiles: request?.profiles === true });
        tokensChanged([]);
        return { deletedTokens };
      }),

    // ── token domain ──
    ...tokenDomainMethods(platform),
    verifyToken: (request) =>
      attempt(async () => {
        const { tokenId } = request;
        if (tokenId === undefined) return verifyGiven(platform, request);
        // The stored value, not what the caller sent: the event must be about this token.
        const outcome = await verifyGiven(platform, { ...request, token: store.getTokenValue(tokenId) });
        await store.writeWhenWritable(() =>
          store.addEvent({ tokenId, type: 'verified', detail: { verification: verificationRecord(outcome) } }),
        );
        tokensChanged([tokenId]);
        return outcome;
      }),

    // ── oauth ──
    listProfiles: () => attempt(() => oauth.listProfiles()),
    saveProfile: (input) => attempt(() => oauth.saveProfile(input)),
    deleteProfile: (arg) => attempt(() => oauth.deleteProfile(arg)),
    attachProfile: (arg) => attempt(() => oauth.attachProfile(arg)),
    discover: (arg) => attempt(() => oauth.discover(arg)),
    startLogin: (arg) => attempt(() => oauth.startLogin(arg)),
    cancelFlow: (arg) => attempt(() => oauth.cancelFlow(arg)),
    getFlow: (arg) => attempt(() => oauth.getFlow(arg)),
    clientCredentials: (arg) => attempt(() => oauth.clientCredentials(arg)),
    startDeviceFlow: (arg) => attempt(() => oauth.startDeviceFlow(arg)),
    refreshToken: (arg) =>
      attempt(async () => {
        const result = await oauth.refreshToken(arg);
        // Told as it happened: what this response changed against the grant's previous one.
        const issuance = result.issuanceId === undefined ? null : store.getIssuance(result.issuanceId);
        const refreshDiff = issuance === null ? null : issuanceDiff(store, issuance);
        return refreshDiff === null ? result : { ...result, refreshDiff };
      }),
    revokeToken: (arg) => attempt(() => oauth.revokeToken(arg)),
    introspectToken: (arg) => attempt(() => oauth.introspectToken(arg)),
    userinfo: (arg) => attempt(() => oauth.userinfo(arg)),
    tokenBinding: (arg) => attempt(() => oauth.tokenBinding(arg)),
    exchangeToken: (arg) => attempt(() => oauth.exchangeToken(arg)),
    callApi: (arg) => attempt(() => oauth.callApi(arg)),
    grantTimeline: (arg) => attempt(() => oauth.grantTimeline(arg)),
    listExchanges: (query) => attempt(() => oauth.listExchanges(query)),
    listLoggedGrants: (query) => attempt(() => store.listLoggedGrants(query?.limit ?? 200)),
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
  });
}

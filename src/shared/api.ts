/**
 * The one contract between every front door (Electron preload, the serve HTTP bridge, the CLI)
 * and the back end. Every method takes at most one plain, serializable argument and returns
 * Promise<Result<T>>; adding a capability means adding it here and implementing it in services.ts.
 * Argument types come from the methods' schemas (src/shared/api-schema.ts), checked once by the back end.
 * Front ends call methods through the typed client (`api.listTokens(...)`), never by name strings: a
 * renamed or missing method must be a compile error, not a runtime "not offered" message.
 */
import type { ExpectationReport } from './token/expectations.ts';
import type { AppError, Result } from './result.ts';
import type { ApiCallResult } from './api-call.ts';
import type { GrantTimeline } from './timeline.ts';
import type { ArgumentOf } from './api-schema.ts';
import type {
  ExportResult,
  GrantDetail,
  HistoryMatch,
  ImportReport,
  LoggedGrant,
  SaveTokenResult,
  HistoryStatus,
  SetProtectionResult,
  ChangePassphraseResult,
  TokenAttachResult,
  TokenDetailView,
  TokenEvent,
  TokenPageWithCounts,
  WipeResult,
} from './model.ts';
import type { InspectResult } from './token/inspect.ts';
import type { ConvertTokenResult, DiffTokensResult } from './token/convert.ts';
import type { VerifyOutcome } from './token/verify.ts';
import type { CanonicalRecord, ComparisonTable, FormatSpec } from './formats/types.ts';
import type { FormatSummary } from './formats/format-summary.ts';
import type { GrantLineage, HistoryDiff, Issuance, IssuanceDiff } from './issuance.ts';
import type { ProfileView } from './profile.ts';
import type {
  DemoIssuerInfo,
  DeviceFlowStart,
  DiscoveryResult,
  FlowState,
  FlowStatus,
  GrantResult,
  HttpExchange,
  IntrospectionResult,
  LoginStart,
  RevokeResult,
  TokenExchangeResult,
  UserinfoResult,
  TokenBinding,
} from './oauth.ts';

export interface AppInfo {
  readonly name: string;
  readonly version: string;
  /** Which front door the back end runs behind. */
  readonly mode: 'electron' | 'serve' | 'cli' | 'test';
  readonly dataDir: string;
  readonly nodeVersion: string;
  readonly sqliteVersion: string;
  readonly tokenCount: number;
}

/** A stored token's canonical record as Export writes it (values masked), and the ids of the token response it pairs. */
export interface TokenCanonicalRecord {
  readonly record: CanonicalRecord;
  /** The token itself first, then the other tokens of its token response (the refresh and ID tokens obtained with it). */
  readonly tokenIds: readonly string[];
  /** The token response it arrived in (its own issuance); null for an older row that could not be paired. */
  readonly issuance: Issuance | null;
  /** The issuance in words: "refresh 2", or "issuance unknown". */
  readonly issuanceText: string;
  /** The record in each documented format, field by field (the Compare table). */
  readonly comparison: ComparisonTable;
  /** Per format, what of this record it cannot hold, in one line. */
  readonly formats: readonly FormatSummary[];
}

export interface TokenscopeApi {
  // ── core ──
  appInfo(): Promise<Result<AppInfo>>;
  // ── history (store) ──
  /** A page of the history, newest first, with filters; the first page (no cursor) carries per-status counts. */
  listTokens(query: ArgumentOf<'listTokens'>): Promise<Result<TokenPageWithCounts>>;
  /** Summary, decoded claims and events of a token; the value only masked. ERR_NOT_FOUND. */
  getToken(id: ArgumentOf<'getToken'>): Promise<Result<TokenDetailView>>;
  /** The plain value, on explicit request. ERR_DECRYPT_FAILED when the key that sealed it is not available. */
  revealToken(id: ArgumentOf<'revealToken'>): Promise<Result<{ readonly id: string; readonly value: string }>>;
  deleteToken(id: ArgumentOf<'deleteToken'>): Promise<Result<{ readonly deleted: number }>>;
  /** Deletes many at once (the UI confirms first); unknown ids are skipped. */
  deleteTokens(request: ArgumentOf<'deleteTokens'>): Promise<Result<{ readonly deleted: number }>>;
  /** Retention: deletes tokens that expired more than `olderThanDays` days ago. */
  purgeExpired(request: ArgumentOf<'purgeExpired'>): Promise<Result<{ readonly deleted: number }>>;
  /** "Save to history" for pasted text: a bare token or a token response / record in a known format. */
  saveToken(request: ArgumentOf<'saveToken'>): Promise<Result<SaveTokenResult>>;
  getGrant(id: ArgumentOf<'getGrant'>): Promise<Result<GrantDetail>>;
  /** The canonical record of the token response the token came in, the one Export writes; values masked. ERR_NOT_FOUND. */
  canonicalRecord(arg: ArgumentOf<'canonicalRecord'>): Promise<Result<TokenCanonicalRecord>>;
  /** A grant's issuances in order: which token replaced which, the current one of each kind, dead or live. ERR_NOT_FOUND. */
  grantLineage(arg: ArgumentOf<'grantLineage'>): Promise<Result<GrantLineage>>;
  /** The token list grouped by grant: the grants with the latest responses first (default 50, at most 200). */
  listGrantLineages(query?: ArgumentOf<'listGrantLineages'>): Promise<Result<readonly GrantLineage[]>>;
  /** What the token's own issuance changed against its grant's previous one (a refresh), in words; null for the first. */
  issuanceDiff(arg: ArgumentOf<'issuanceDiff'>): Promise<Result<IssuanceDiff | null>>;
  /** Two history tokens compared through their canonical records (each with its own issuance). ERR_NOT_FOUND. */
  diffHistoryTokens(arg: ArgumentOf<'diffHistoryTokens'>): Promise<Result<HistoryDiff>>;
  getEvents(query: ArgumentOf<'getEvents'>): Promise<Result<readonly TokenEvent[]>>;
  /** Writes a file the back end chose (save dialog, or `<dataDir>/exports/` in serve). ERR_CANCELLED. */
  exportTokens(request: ArgumentOf<'exportTokens'>): Promise<Result<ExportResult>>;
  /** Imports uploaded `content`, or a file from the open dialog. Per-record report; all or nothing unless skipBad. */
  importTokens(request: ArgumentOf<'importTokens'>): Promise<Result<ImportReport>>;
  /** Which key protects the history, whether it is strong, the protection mode (strong / weak / session); unreadable count. */
  storageStatus(): Promise<Result<HistoryStatus>>;
  /** Where the key is weak: keep tokens for this session only, or store them with weak protection. ERR_INVALID_ARGUMENT with a strong key. */
  setProtection(request: ArgumentOf<'setProtection'>): Promise<Result<SetProtectionResult>>;
  /** Re-wraps the history's data keys with a new passphrase (from a passphrase or the key file). ERR_NOT_SUPPORTED with an OS keychain. */
  changePassphrase(request: ArgumentOf<'changePassphrase'>): Promise<Result<ChangePassphraseResult>>;
  /** Deletes every token, grant, event and exchange log (and the profiles with `profiles: true`), then VACUUMs. */
  wipeHistory(request?: ArgumentOf<'wipeHistory'>): Promise<Result<WipeResult>>;
  // ── token domain ──
  inspect(text: ArgumentOf<'inspect'>): Promise<Result<InspectResult>>;
  /** Checks a JWT's signature against a JWKS URL, an issuer, a pasted JWK/JWKS/PEM or an HMAC secret. */
  verifyToken(request: ArgumentOf<'verifyToken'>): Promise<Result<VerifyOutcome>>;
  /** The six documented token formats as data (fields, types, units, meanings). */
  listFormats(): Promise<Result<readonly FormatSpec[]>>;
  /** Reads `text` (a token object, JWT, header...) and writes it in format `to`, with findings. */
  convertToken(request: ArgumentOf<'convertToken'>): Promise<Result<ConvertTokenResult>>;
  /** What changed between two tokens (e.g. before and after a refresh). */
  diffTokens(request: ArgumentOf<'diffTokens'>): Promise<Result<DiffTokensResult>>;
  /**
   * `inspect` with the reader's options: a token object read as `formatId`; `expect` (issuer, audience, nonce) checked
   * as findings, and what an API expects (issuer, audience, scopes, skew, time, typ, algorithms) answered in
   * `expectations`, check by check.
   */
  inspectToken(request: ArgumentOf<'inspectToken'>): Promise<Result<InspectResult>>;
  /**
   * "Would an API accept this history token?": `inspectToken`'s evaluator on the stored value, with what the history
   * recorded from the token response (expiry from `expires_in`, granted scopes) where the token itself says nothing.
   */
  checkTokenExpectations(request: ArgumentOf<'checkTokenExpectations'>): Promise<Result<ExpectationReport>>;
  /** The tokens of pasted text that are already in the history (looked up by value hash), with status and grant. */
  findInHistory(request: ArgumentOf<'findInHistory'>): Promise<Result<readonly HistoryMatch[]>>;
  // ── oauth ──
  /** Client profiles without their secrets; on first launch the "Demo issuer (local)" profile is created. */
  listProfiles(): Promise<Result<readonly ProfileView[]>>;
  /** Creates or updates a profile (validated: ERR_PROFILE_INVALID); secrets are encrypted by the store. */
  saveProfile(input: ArgumentOf<'saveProfile'>): Promise<Result<ProfileView>>;
  deleteProfile(arg: ArgumentOf<'deleteProfile'>): Promise<Result<{ readonly deleted: boolean }>>;
  /** Links a pasted or imported token to a profile (its server and client); a refresh token gets a grant to refresh. */
  attachProfile(arg: ArgumentOf<'attachProfile'>): Promise<Result<TokenAttachResult>>;
  /** OpenID Connect / RFC 8414 metadata of an issuer. ERR_DISCOVERY, ERR_ISSUER_MISMATCH. */
  discover(arg: ArgumentOf<'discover'>): Promise<Result<DiscoveryResult>>;
  /** Starts code + PKCE through the loopback redirect and opens the system browser; progress comes as flow-progress events. */
  startLogin(arg: ArgumentOf<'startLogin'>): Promise<Result<LoginStart>>;
  cancelFlow(arg: ArgumentOf<'cancelFlow'>): Promise<Result<{ readonly flowId: string; readonly state: FlowState }>>;
  getFlow(arg: ArgumentOf<'getFlow'>): Promise<Result<FlowStatus>>;
  clientCredentials(arg: ArgumentOf<'clientCredentials'>): Promise<Result<GrantResult>>;
  /** Device authorization grant (RFC 8628): returns the user code; polling runs in the back end (flow-progress events). */
  startDeviceFlow(arg: ArgumentOf<'startDeviceFlow'>): Promise<Result<DeviceFlowStart>>;
  /** Refreshes the token's grant (single flight per grant). ERR_INVALID_GRANT marks the grant dead. */
  refreshToken(arg: ArgumentOf<'refreshToken'>): Promise<Result<GrantResult>>;
  revokeToken(arg: ArgumentOf<'revokeToken'>): Promise<Result<RevokeResult>>;
  introspectToken(arg: ArgumentOf<'introspectToken'>): Promise<Result<IntrospectionResult>>;
  userinfo(arg: ArgumentOf<'userinfo'>): Promise<Result<UserinfoResult>>;
  /** Whether the token is bound to a key (DPoP cnf.jkt, mTLS) and whether it is its profile's DPoP key. */
  tokenBinding(arg: ArgumentOf<'tokenBinding'>): Promise<Result<TokenBinding>>;
  /**
   * Token exchange (RFC 8693): sends the history token as subject_token (and `actorTokenId` as actor_token) to its
   * server for `audience` and/or `resource`; the token that comes back is stored as its own issuance linked to the
   * subject, with the server's issued_token_type. ERR_INVALID_ARGUMENT without a target; the server's refusal as ERR_*.
   */
  exchangeToken(arg: ArgumentOf<'exchangeToken'>): Promise<Result<TokenExchangeResult>>;
  /** Calls an API with a history token: the answer, the WWW-Authenticate challenges and the refusal explained; logged. */
  callApi(arg: ArgumentOf<'callApi'>): Promise<Result<ApiCallResult>>;
  /** A grant's steps in order (or a token's grant's), each named in words with its time since the first; masked. ERR_NOT_FOUND. */
  grantTimeline(arg: ArgumentOf<'grantTimeline'>): Promise<Result<GrantTimeline>>;
  /** The HTTP exchange log of a grant, flow or token, secrets masked. */
  listExchanges(query: ArgumentOf<'listExchanges'>): Promise<Result<readonly HttpExchange[]>>;
  /** The grants that have requests in the exchange log, most recent activity first (default 200, at most 1000). */
  listLoggedGrants(query?: ArgumentOf<'listLoggedGrants'>): Promise<Result<readonly LoggedGrant[]>>;
  /** Starts the local demo issuer if needed and points the demo profiles at it. */
  ensureDemoIssuer(): Promise<Result<DemoIssuerInfo>>;
}

export type ApiMethod = keyof TokenscopeApi;

/** Every method name, derived from a table the compiler checks against the interface. */
const apiMethodTable: { readonly [K in ApiMethod]: true } = {
  // core
  appInfo: true,
  // history
  listTokens: true,
  getToken: true,
  revealToken: true,
  deleteToken: true,
  deleteTokens: true,
  purgeExpired: true,
  saveToken: true,
  getGrant: true,
  canonicalRecord: true,
  grantLineage: true,
  listGrantLineages: true,
  issuanceDiff: true,
  diffHistoryTokens: true,
  getEvents: true,
  exportTokens: true,
  importTokens: true,
  storageStatus: true,
  setProtection: true,
  changePassphrase: true,
  wipeHistory: true,
  // token domain
  inspect: true,
  verifyToken: true,
  listFormats: true,
  convertToken: true,
  diffTokens: true,
  inspectToken: true,
  checkTokenExpectations: true,
  findInHistory: true,
  // oauth
  listProfiles: true,
  saveProfile: true,
  deleteProfile: true,
  attachProfile: true,
  discover: true,
  startLogin: true,
  cancelFlow: true,
  getFlow: true,
  clientCredentials: true,
  startDeviceFlow: true,
  refreshToken: true,
  revokeToken: true,
  introspectToken: true,
  userinfo: true,
  tokenBinding: true,
  exchangeToken: true,
  callApi: true,
  grantTimeline: true,
  listExchanges: true,
  listLoggedGrants: true,
  ensureDemoIssuer: true,
};

export const API_METHODS: readonly ApiMethod[] = Object.freeze(Object.keys(apiMethodTable) as ApiMethod[]);

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.hasOwn(apiMethodTable, name);
}

/**
 * Calls a method by a name that came over a wire (IPC, HTTP), with its argument as received: the back end
 * checks the argument against the method's schema (src/main/services.ts), so front doors do not.
 */
export function callMethod(backend: TokenscopeApi, method: ApiMethod, argument: unknown): Promise<Result<unknown>> {
  const body = (backend[method] as (argument: unknown) => Promise<Result<unknown>>).bind(backend);
  return body(argument);
}

/** A flow's progress, one shape per state: what each state carries is typed, never a bag of fields. */
export type FlowProgressEvent = { readonly type: 'flow-progress'; readonly flowId: string } & (
  | {
      readonly state: 'waiting-for-browser';
      readonly detail: { readonly authorizationUrl: string; readonly redirectUri: string };
    }
  | { readonly state: 'callback-received' }
  | { readonly state: 'exchanging' }
  | {
      readonly state: 'polling';
      /** The first polling event carries the user code; later ones only the interval in force. */
      readonly detail: {
        readonly intervalSeconds: number;
        readonly userCode?: string;
        readonly verificationUri?: string;
      };
    }
  | { readonly state: 'done'; readonly detail: { readonly result: GrantResult } }
  | { readonly state: 'failed' | 'cancelled'; readonly detail: { readonly error: AppError } }
);

/** An import under way (importTokens): `done` of the file's `total` records (tokens of a bundle) read so far. */
export interface ImportProgressEvent {
  readonly type: 'import-progress';
  readonly done: number;
  readonly total: number;
}

/** An export under way (exportTokens): `done` of the `total` tokens it selected written so far (null: not counted). */
export interface ExportProgressEvent {
  readonly type: 'export-progress';
  readonly done: number;
  readonly total: number | null;
}

/** Everything the back end pushes to front doors (IPC events, SSE). */
export type TokenscopeEvent =
  | { readonly type: 'tokens-changed'; readonly ids: readonly string[] }
  /** A grant got a new issuance (a refresh, an automatic one included) or died: its lineage panel reloads. */
  | { readonly type: 'grant-changed'; readonly grantId: string }
  | FlowProgressEvent
  | ImportProgressEvent
  | ExportProgressEvent;

export type EventListener = (event: TokenscopeEvent) => void;

/** The back end as a front door holds it: the contract plus events and shutdown. */
export interface TokenscopeBackend extends TokenscopeApi {
  onEvent(listener: EventListener): () => void;
  close(): Promise<void>;
}

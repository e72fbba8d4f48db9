/** Data shapes of the token history as the contract returns them (plain, serializable, readonly). */
import type { AccessTokenCheck } from './oauth.ts';
import type { SignatureState } from './token/verify.ts';

export const TOKEN_KINDS = ['access_token', 'refresh_token', 'id_token', 'unknown'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

/**
 * 'unknown': the token has a lifetime but Tokenscope cannot know when it started (an imported `expires_in` with no
 * time to count from), so whether it is still valid cannot be told; it is never counted as active.
 */
export const TOKEN_STATUSES = ['active', 'expired', 'revoked', 'inactive', 'superseded', 'unreadable', 'unknown'] as const;
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
  /** Only when it has one: a lifetime whose start is unknown (seconds; expiresAtMs is then null, the status 'unknown'). */
  readonly lifetimeS?: number;
  /** Only then: the expiry in words, "lifetime 1 hour, start unknown" (every front door shows it where the expiry goes). */
  readonly expiryNote?: string;
  readonly status: TokenStatus;
  readonly grantId: string | null;
  readonly profileId: string | null;
  readonly createdAtMs: number;
  /** Masked preview (prefix…suffix); never the full value. */
  readonly preview: string;
}

/**
 * The orders a token list is read in, each walked on an index by the store; a leading '-' is descending.
 * `received`: when the token entered the history (the default, `-received`: newest first). `expires`: by expiry time,
 * soonest first (`-expires`: latest first); tokens with no expiry known come last in both, newest first among them.
 */
export const LIST_SORTS = ['-received', 'received', 'expires', '-expires'] as const;
export type ListSort = (typeof LIST_SORTS)[number];

/** Each sort in words, the same in every front door. */
export const LIST_SORT_WORDS: Readonly<Record<ListSort, string>> = {
  '-received': 'newest first',
  received: 'oldest first',
  expires: 'by expiry, soonest first, no expiry last',
  '-expires': 'by expiry, latest first, no expiry last',
};

export interface ListTokensQuery {
  /** 1..500, default 100. */
  readonly limit?: number;
  /** Default `-received` (newest first). */
  readonly sort?: ListSort;
  /** Opaque keyset cursor from the previous page's `nextCursor` (of the same sort: another's is ERR_CURSOR_MISMATCH). */
  readonly cursor?: string | null;
  readonly text?: string;
  readonly status?: TokenStatus;
  readonly kind?: TokenKind;
  readonly profileId?: string;
  readonly grantId?: string;
  /** Active tokens whose expiry falls within the next N minutes. */
  readonly expiringWithinMinutes?: number;
  /** Range of the time the token entered the history (createdAtMs), inclusive. */
  readonly fromMs?: number;
  readonly toMs?: number;
}

export interface TokenPage {
  readonly items: readonly TokenSummary[];
  readonly nextCursor: string | null;
}

/**
 * Per-status counts for the filter chips (with the current filter, status itself aside). Without a
 * filter they are exact; with one, at most 5,000 matches are counted and `capped` says so: each
 * number is then a lower bound (countText): the first page stays fast at any history size.
 */
export type StatusCounts = Readonly<Record<TokenStatus, number>> & { readonly total: number; readonly capped?: boolean };

/** One of the counts as every front door shows it: `1238`, or `1238+` when only part of the matches was counted. */
export function countText(n: number, counts: Pick<StatusCounts, 'capped'>): string {
  return counts.capped === true ? `${String(n)}+` : String(n);
}

/** A page of `listTokens`; `counts` comes with the first page only (no cursor). */
export interface TokenPageWithCounts extends TokenPage {
  readonly counts?: StatusCounts;
}

export const EVENT_TYPES = [
  'obtained',
  'saved',
  'refreshed',
  'rotated',
  'revoked',
  'introspected',
  'verified',
  'status-changed',
  'grant-dead',
  'exported',
  'imported',
  'deleted',
  'decrypt-failed',
  'attached',
  'exchanged',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** What a `verified` event records: the outcome and where the key came from, never the key itself. */
export type VerificationRecord = {
  readonly signature: SignatureState;
  /** 'issuer JWKS', 'JWKS URL', 'pasted key', 'HMAC secret' or 'no key'. */
  readonly keySource: string;
  readonly jwksUri?: string;
  readonly alg?: string;
  readonly kid?: string;
  readonly reason?: string;
};

/**
 * The detail of each event type: non-secret facts (status codes, reasons, counts), never a token value.
 * Written by the store, the history service, export/import and the OAuth flows.
 */
type EventDetails = {
  /** A flow or token action stored the token; a JWT access token carries its signature check. */
  readonly obtained: {
    readonly grantType: string;
    readonly source: string;
    readonly kind: string;
    readonly verification?: AccessTokenCheck;
    /** The response's token_type as the server wrote it (Bearer, DPoP, N_A…). */
    readonly tokenType?: string;
    /** The thumbprint of the DPoP key whose proof the request carried (RFC 9449); absent without DPoP. */
    readonly dpopJkt?: string;
  };
  /** Pasted text saved ("save to history"); `format` when it was a token object of a known format. */
  readonly saved: { readonly format?: string };
  /** `by: 'auto-refresh'` when the profile's auto-refresh made it (else a person asked). */
  readonly refreshed: { readonly newTokenIds: readonly string[]; readonly by?: 'auto-refresh' };
  /** A refresh token the server rotated away; `by` is its successor. */
  readonly rotated: { readonly by: string | null };
  readonly revoked: { readonly issuer: string };
  readonly introspected: { readonly active: boolean; readonly cnfJkt?: string };
  readonly verified: { readonly verification: VerificationRecord };
  readonly 'status-changed': { readonly from?: TokenStatus; readonly to?: TokenStatus };
  readonly 'grant-dead': { readonly reason: string };
  readonly exported: {
    readonly format: ExportFormat;
    readonly redact: Redaction;
    readonly encrypted: boolean;
    readonly tokens: number;
  };
  /** Per token (`format`), or once per import run (the counts). */
  readonly imported:
    | { readonly format: string }
    | { readonly detected: string; readonly imported: number; readonly duplicates: number; readonly rejected: number };
  readonly deleted: { readonly kind: string; readonly preview: string };
  /** Tokens sealed with a key that is not available here were marked unreadable. */
  readonly 'decrypt-failed': { readonly keyId: string; readonly tokens: number };
  /** A pasted or imported token was linked to a profile (its server is known from then on). */
  readonly attached: { readonly profileId: string };
  /** The token was sent as the subject of a token exchange (RFC 8693); `newTokenIds` came back as `issuedTokenType`. */
  readonly exchanged: {
    readonly newTokenIds: readonly string[];
    readonly issuanceId: string | null;
    readonly issuedTokenType: string | null;
    readonly target: string;
  };
};

/** One event of the history, its `detail` typed by its `type`. */
export type TokenEvent = {
  readonly [T in EventType]: {
    readonly id: string;
    readonly tokenId: string | null;
    readonly grantId: string | null;
    readonly type: T;
    readonly detail: EventDetails[T];
    readonly atMs: number;
  };
}[EventType];

export interface EventsQuery {
  readonly tokenId?: string;
  readonly grantId?: string;
  /** 1..1000, default 200, newest first. */
  readonly limit?: number;
}

/** One token with what the history knows about it. The value itself only ever as `preview` (masked). */
export interface TokenDetail {
  readonly summary: TokenSummary;
  readonly jti: string | null;
  readonly source: string;
  /** SHA-256 (hex) of the value: the lookup and de-duplication key. */
  readonly hash: string;
  /** Decoded JOSE header and claims when the token is a JWT, else null. */
  readonly header: Readonly<Record<string, unknown>> | null;
  readonly claims: Readonly<Record<string, unknown>> | null;
  /** False when the value cannot be decrypted here (wrong or lost key): re-obtain the token. */
  readonly readable: boolean;
  readonly updatedAtMs: number;
  readonly events: readonly TokenEvent[];
}

/** A token of pasted text that the history already holds: which one, its status, and its grant. */
export interface HistoryMatch {
  /** Where the value sat in the text: the token itself, or a field of the token object. */
  readonly role: 'access_token' | 'refresh_token' | 'id_token';
  readonly token: TokenSummary;
  readonly grant: GrantSummary | null;
}

/** Whether an action can work on a token now and, when not, why in words (decided once, in the back end). */
export interface ActionAvailability {
  readonly available: boolean;
  readonly reason: string | null;
}

/** What can be done with a history token; every front door shows these and decides nothing itself. */
export interface TokenActionsAvailability {
  readonly refresh: ActionAvailability;
  /** Client credentials: ask the token endpoint again with the profile's client (there is nothing to refresh). */
  readonly getNewToken: ActionAvailability;
  readonly revoke: ActionAvailability;
  readonly introspect: ActionAvailability;
  readonly userinfo: ActionAvailability;
  readonly verify: ActionAvailability;
  /** Call an API with it (RFC 6750 Bearer): an access token whose value is readable. */
  readonly callApi: ActionAvailability;
  /** A pasted or imported token (or one whose profile was deleted): link it to a profile so its server is known. */
  readonly attachProfile: ActionAvailability;
  /** Token exchange (RFC 8693): send it as the subject token to its server for another audience or resource. */
  readonly exchange: ActionAvailability;
}

/** A token's detail as the contract returns it: the history's read model and what can be done with it. */
export interface TokenDetailView extends TokenDetail {
  readonly actions: TokenActionsAvailability;
  /** The profile the token's server is known through (directly or through its grant), if it still exists. */
  readonly profile: { readonly id: string; readonly name: string } | null;
}

export interface TokenAttachResult {
  readonly tokenId: string;
  readonly profileId: string;
  /** The grant the token now belongs to (a refresh token without one gets its own), or null. */
  readonly grantId: string | null;
}

export interface GrantSummary {
  readonly id: string;
  readonly profileId: string | null;
  readonly grantType: string;
  readonly issuer: string | null;
  readonly clientId: string | null;
  readonly scopes: readonly string[];
  /** 'dead' once the server refused its refresh token (invalid_grant) or it was revoked. */
  readonly state: 'live' | 'dead';
  readonly deadReason: string | null;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

/** A grant with requests in the HTTP exchange log (the log's picker), most recent activity first. */
export interface LoggedGrant extends GrantSummary {
  /** The subject of its tokens, when one carries it. */
  readonly subject: string | null;
  readonly exchangeCount: number;
  readonly lastExchangeAtMs: number;
}

export interface GrantDetail {
  readonly grant: GrantSummary;
  readonly tokens: readonly TokenSummary[];
  readonly events: readonly TokenEvent[];
}

/** Save pasted text to the history ("save to history"): a bare token or a token response / record in a known format. */
export interface SaveTokenRequest {
  readonly text: string;
  readonly profileId?: string;
  /**
   * When a pasted token response was received (epoch ms). A response's `expires_in` counts from it; left out, the
   * response is taken as received now (the inspect screen says so and lets the user change it before saving).
   */
  readonly receivedAtMs?: number;
}

export interface SaveTokenResult {
  /** Every token the text held (a token response holds up to three), newest first. */
  readonly ids: readonly string[];
  /** How many were new (the rest were already in the history). */
  readonly created: number;
}

export const REDACTIONS = ['full', 'masked', 'hash'] as const;
/** full: the values; masked: `«secret 43 chars sha256:1a2b3c»` (maskValue: no character of the value); hash: only the SHA-256 of each value. */
export type Redaction = (typeof REDACTIONS)[number];

/** 'bundle' (everything, lossless), 'csv', 'env', or a format id of FORMATS.md. */
export type ExportFormat = string;

export interface ExportRequest {
  readonly format: ExportFormat;
  readonly redact: Redaction;
  /** Encrypt the bundle with `passphrase` (JWE PBES2-HS512+A256KW / A256GCM); bundle only. */
  readonly encrypt?: boolean;
  readonly passphrase?: string;
  /** Only these tokens (else everything matching `filter`, else the whole history). */
  readonly ids?: readonly string[];
  readonly filter?: Omit<ListTokensQuery, 'limit' | 'cursor'>;
  /** CSV only: add a `value` column (redacted as asked). */
  readonly includeValues?: boolean;
}

export interface ExportResult {
  readonly path: string;
  readonly format: ExportFormat;
  readonly redact: Redaction;
  readonly encrypted: boolean;
  readonly tokenCount: number;
  /** Records in the file: array elements of a token format (one per token response), CSV rows, .env variables. */
  readonly recordCount: number;
  /** What was written, in words, for every front door: "6 records, 15 tokens". */
  readonly summary: string;
  readonly bytes: number;
  /** Browser mode: the file itself, for the browser to save (nothing is left in the data folder). */
  readonly download?: { readonly fileName: string; readonly mimeType: string; readonly text: string };
  /** Token-format exports: concepts the history had that the format cannot hold (e.g. Authlete keeps no token values). */
  readonly notRepresentable?: readonly string[];
}

export interface ImportRequest {
  /** The file's text (serve mode uploads it); without it the back end asks for a file. */
  readonly content?: string;
  readonly fileName?: string;
  readonly passphrase?: string;
  /** Read every record as this format id (some formats share a shape: Affinidi's are the RFC 6749 fields). */
  readonly format?: string;
  /** Import the good records and skip the bad ones (default: all or nothing). */
  readonly skipBad?: boolean;
}

/** 'not-saved': a good record of an all-or-nothing import that bad records stopped. */
export type ImportOutcome = 'imported' | 'duplicate' | 'rejected' | 'not-saved';

/** A concept of an imported record the history did not keep as it was, and why, in words. */
export interface FieldNote {
  readonly field: string;
  readonly kept: boolean;
  readonly why: string;
}

export interface ImportRecordReport {
  /** 0-based record number in the file (line number - 1 for JSON lines). */
  readonly index: number;
  readonly outcome: ImportOutcome;
  /** For rejected records: why (an ERR_* code), and a one-line message. */
  readonly code?: string;
  readonly message?: string;
  /** Concepts of the record that the history cannot keep (e.g. `authlete.properties`). */
  readonly dropped?: readonly string[];
  /** Every concept not kept as it was, named with why (a lifetime kept with its start unknown too). */
  readonly fieldNotes?: readonly FieldNote[];
  readonly tokenIds?: readonly string[];
}

export interface ImportReport {
  /** What the file was read as: 'bundle', 'bundle+jwe', 'jsonl', or a format id. */
  readonly detected: string;
  /** False when bad records stopped the whole import (nothing was written). */
  readonly committed: boolean;
  readonly imported: number;
  /** Good records not saved because bad ones stopped an all-or-nothing import. */
  readonly notSaved: number;
  readonly duplicates: number;
  readonly rejected: number;
  /** One entry per record of the file, in order (capped at 1000 entries). */
  readonly records: readonly ImportRecordReport[];
}

/**
 * What protects the history's data key at rest: the OS keychain (Electron's safeStorage with a real secret store),
 * a 0600 key file (serve and the CLI, or Electron's fallback when the OS has no secret store), a key derived from
 * TOKENSCOPE_PASSPHRASE, or a key that lives in this process only.
 */
export type KeyProtection = 'os-keychain' | 'key-file' | 'passphrase' | 'memory';

export interface StorageStatus {
  /** e.g. 'safeStorage:gnome_libsecret', 'key-file', 'passphrase', 'memory'. */
  readonly keyBackend: string;
  /** What protects the data key at rest. */
  readonly keyProtection: KeyProtection;
  /** Tokens whose value cannot be decrypted with the key available here. */
  readonly unreadableCount: number;
  readonly tokenCount: number;
  readonly schemaVersion: number;
  readonly sqliteVersion: string;
  readonly databasePath: string;
}

/** The user's answer when the machine cannot protect the key strongly (see src/main/history/protection.ts). */
export type ProtectionChoice = 'session' | 'weak';
/**
 * Where the history is: `disk` with the key protection this front door gives (nothing to choose; how strong that is,
 * `protectionName` says), or, where Electron finds no OS keychain, the user's choice: `weak` (on disk, key in a file)
 * or `session` (in memory only).
 */
export type ProtectionMode = 'disk' | ProtectionChoice;

/**
 * What protects the history, in the one vocabulary of every front door (CLI, Settings, `storageStatus`), named once
 * by the back end (main/history/protection.ts): OS keychain (strong), passphrase, key file on the same disk (weak),
 * memory only.
 */
export interface ProtectionName {
  readonly kind: KeyProtection;
  /** e.g. 'OS keychain (strong)', 'key file on the same disk (weak)'. */
  readonly label: string;
  /** One sentence: where the tokens are and what protects them. */
  readonly summary: string;
  /** Anyone who can read the user's files can read the tokens (say so wherever the protection is shown). */
  readonly weak: boolean;
}

/** The history's storage status as the back end reports it, with the protection mode in force. */
export interface HistoryStatus extends StorageStatus {
  readonly protection: ProtectionMode;
  /** The key is weak here and the user has not chosen yet: the history is session-only until they do. */
  readonly choiceNeeded: boolean;
  /** What would protect the key on disk here (e.g. 'key-file (safeStorage: basic_text)'). */
  readonly diskKeyBackend: string;
  /** What protects the history now, named for people. */
  readonly protectionName: ProtectionName;
  /** Whether `changePassphrase` can work here, and what it would do or why not, in words. */
  readonly passphraseChange: { readonly available: boolean; readonly says: string };
}

export interface SetProtectionRequest {
  readonly choice: ProtectionChoice;
  /** Going session-only from weak storage: also wipe the tokens already on disk. */
  readonly wipeDisk?: boolean;
}

export interface SetProtectionResult {
  readonly status: HistoryStatus;
  readonly carriedOver: number;
  readonly wipedFromDisk: number;
}

export interface ChangePassphraseRequest {
  /** At least 8 characters; the history opens only with it afterwards. */
  readonly newPassphrase: string;
}

export interface ChangePassphraseResult {
  readonly status: HistoryStatus;
  /** Data keys now wrapped with the new passphrase. */
  readonly rewrappedKeys: number;
  /** Data keys that did not unwrap with the old key (their tokens stay unreadable). */
  readonly unreadableKeys: number;
  /** The history was protected by the key file, which is deleted. */
  readonly removedKeyFile: boolean;
  /** What to do from now on, in words. */
  readonly message: string;
}

export interface WipeResult {
  readonly deletedTokens: number;
}

/**
 * Issuances: which tokens arrived together in one token response, from which request, at what time. The history
 * records one per response (src/main/store/issuance-repository.ts); this module holds the shapes and their words.
 */
import type { AutoRefreshView, GrantScopes } from './grant-scopes.ts';
import type { TokenKind, TokenStatus } from './model.ts';
import type { TokenDiff } from './formats/types.ts';
import type { ClaimChange } from './token/convert.ts';

/** The request a token response answered. */
export const ISSUANCE_REQUESTS = [
  'login',
  'refresh',
  'device',
  'client_credentials',
  'token_exchange',
  'import',
  'paste',
] as const;
export type IssuanceRequest = (typeof ISSUANCE_REQUESTS)[number];

export interface IssuanceToken {
  readonly id: string;
  readonly kind: TokenKind;
}

/** RFC 8693 §3 token type identifiers, in words. */
const TOKEN_TYPE_WORDS: Readonly<Record<string, string>> = {
  'urn:ietf:params:oauth:token-type:access_token': 'an access token',
  'urn:ietf:params:oauth:token-type:refresh_token': 'a refresh token',
  'urn:ietf:params:oauth:token-type:id_token': 'an ID token',
  'urn:ietf:params:oauth:token-type:jwt': 'a JWT',
  'urn:ietf:params:oauth:token-type:saml1': 'a SAML 1.1 assertion',
  'urn:ietf:params:oauth:token-type:saml2': 'a SAML 2.0 assertion',
};

/** "an access token (urn:ietf:params:oauth:token-type:access_token)", or the identifier alone when it is not one of RFC 8693's. */
export function tokenTypeText(uri: string): string {
  const words = TOKEN_TYPE_WORDS[uri];
  return words === undefined ? uri : `${words} (${uri})`;
}

/** RFC 8693 §3's identifiers by their short names (what the CLI and the dialog offer), and the full URNs as they are. */
export const TOKEN_TYPE_NAMES = ['access_token', 'refresh_token', 'id_token', 'jwt', 'saml1', 'saml2'] as const;

/** A token type named short ("jwt") or in full ("urn:ietf:params:oauth:token-type:jwt"): the full identifier. */
export function tokenTypeUri(name: string): string {
  return (TOKEN_TYPE_NAMES as readonly string[]).includes(name) ? `urn:ietf:params:oauth:token-type:${name}` : name;
}

/** What a token exchange issuance (RFC 8693) exchanged, and what the server said it issued. */
export interface IssuanceExchange {
  /** The history token sent as subject_token (it may have been deleted since). */
  readonly subjectTokenId: string;
  /** The history token sent as actor_token, if any. */
  readonly actorTokenId: string | null;
  /** The server's `issued_token_type` (RFC 8693 §2.2.1); null when it named none. */
  readonly issuedTokenType: string | null;
  /** In words: "an access token (urn:ietf:params:oauth:token-type:access_token)", or "not named by the server". */
  readonly issuedTokenTypeText: string;
}

export interface Issuance {
  readonly id: string;
  readonly grantId: string | null;
  readonly request: IssuanceRequest;
  /** For a refresh: which one of its grant (1 = the first refresh). */
  readonly refreshNumber: number | null;
  readonly receivedAtMs: number;
  /** True when reconstructed from an older history (same grant, same time), not recorded when it arrived. */
  readonly derived: boolean;
  /** The tokens of the response still in the history. */
  readonly tokens: readonly IssuanceToken[];
  /** In words: "login", "refresh 2", "import" (with "(reconstructed)" when derived). */
  readonly label: string;
  /** A token exchange: the subject (and actor) token it exchanged and the issued token type. */
  readonly exchange?: IssuanceExchange;
  /** A refresh the profile's auto-refresh made (labelled "auto-refresh n"), not one a person asked for. */
  readonly automatic?: true;
}

/** What the history says when a token has no recorded issuance (an older row that could not be paired). */
export const ISSUANCE_UNKNOWN = 'issuance unknown';

const REQUEST_WORDS: Readonly<Record<IssuanceRequest, string>> = {
  login: 'login',
  refresh: 'refresh',
  device: 'device login',
  client_credentials: 'client credentials',
  token_exchange: 'token exchange',
  import: 'import',
  paste: 'paste',
};

export function issuanceLabel(i: Pick<Issuance, 'request' | 'refreshNumber' | 'derived' | 'automatic'>): string {
  const base = i.request === 'refresh' && i.automatic === true ? 'auto-refresh' : REQUEST_WORDS[i.request];
  const n = i.request === 'refresh' && i.refreshNumber !== null ? ` ${String(i.refreshNumber)}` : '';
  return `${base}${n}${i.derived ? ' (reconstructed)' : ''}`;
}

/** A token of a grant's lineage: where it stands now. */
export interface LineageToken extends IssuanceToken {
  readonly status: TokenStatus;
  readonly preview: string;
  readonly expiresAtMs: number | null;
  /** The grant's current token of its kind (the newest one still usable). */
  readonly current: boolean;
  /** The token of the same kind that a later issuance brought in its place. */
  readonly replacedBy: string | null;
}

export interface LineageIssuance extends Omit<Issuance, 'tokens'> {
  readonly tokens: readonly LineageToken[];
}

/** A grant's issuances in the order they arrived, and whether it can still be refreshed. */
export interface GrantLineage {
  readonly grantId: string;
  readonly grantType: string;
  readonly state: 'live' | 'dead';
  readonly deadReason: string | null;
  /** The profile to sign in with again when the grant is dead (null: not obtained through a profile). */
  readonly profileId: string | null;
  readonly issuances: readonly LineageIssuance[];
  /** Tokens of the grant that belong to no recorded issuance (older history). */
  readonly unknown: readonly LineageToken[];
  /** Requested vs granted scopes, and why there is no refresh token. */
  readonly scopes?: GrantScopes;
  /** The profile's auto-refresh of this grant ("next refresh in …"); absent where the back end cannot tell. */
  readonly autoRefresh?: AutoRefreshView;
}

/** What changed from one issuance to the next (a refresh), in words and concept by concept. */
export interface IssuanceDiff {
  readonly before: Issuance;
  readonly after: Issuance;
  readonly diff: TokenDiff;
  /** One sentence per change: "The refresh token was rotated.", "A new ID token arrived.", "Scopes unchanged." */
  readonly lines: readonly string[];
  /** Tokens replaced by this issuance: the old one and the one now in its place. */
  readonly replaced: readonly { readonly kind: TokenKind; readonly before: string; readonly after: string }[];
}

/** Two history tokens compared through their canonical records (each with its own issuance). */
export interface HistoryDiff {
  readonly a: { readonly tokenId: string; readonly issuance: string };
  readonly b: { readonly tokenId: string; readonly issuance: string };
  readonly diff: TokenDiff;
  readonly claims: readonly ClaimChange[];
}

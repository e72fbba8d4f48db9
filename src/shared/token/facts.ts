/**
 * The one reader of what a token's claims say about it: issuer, subject, audience, client, scopes and times.
 * The inspection (inspect.ts) and the history (main/store/token-facts.ts) both call it, so a token shows the
 * same client and expiry on the inspect screen, in the history and in the CLI.
 */
import type { TokenKind } from '../model.ts';
import { numericDateMs } from '../formats/units.ts';
import { formatLifetime } from '../time/relative.ts';

/** The facts the claims give. Absent stays absent. */
export interface ClaimFacts {
  readonly issuer?: string;
  readonly subject?: string;
  readonly audience?: readonly string[];
  readonly clientId?: string;
  readonly scopes?: readonly string[];
  readonly issuedAtMs?: number;
  readonly expiresAtMs?: number;
  readonly notBeforeMs?: number;
}

type Claims = Readonly<Record<string, unknown>>;

function own(claims: Claims, name: string): unknown {
  return Object.hasOwn(claims, name) ? claims[name] : undefined;
}

/** A string claim (iss, sub, client_id... are StringOrURI in RFC 7519): a non-empty string, else absent. */
function text(claims: Claims, name: string): string | undefined {
  const v = own(claims, name);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** `aud`: one string or an array of them (RFC 7519 §4.1.3); the non-string entries of an array are skipped. */
export function audiencesOf(claims: Claims): string[] {
  const aud = own(claims, 'aud');
  if (typeof aud === 'string') return aud === '' ? [] : [aud];
  if (Array.isArray(aud)) return aud.filter((a): a is string => typeof a === 'string' && a !== '');
  return [];
}

/** `scope` (space-separated, RFC 8693 §4.2 / RFC 9068) or `scp` (a string or an array, Entra and Okta). */
export function scopesOf(claims: Claims): string[] {
  const scope = own(claims, 'scope') ?? own(claims, 'scp');
  if (typeof scope === 'string') return scope.split(/\s+/).filter(Boolean);
  if (Array.isArray(scope)) return scope.filter((s): s is string => typeof s === 'string' && s !== '');
  return [];
}

/**
 * The client the token was issued to:
 * 1. `client_id` (RFC 9068 §2.2 for JWT access tokens, RFC 8693 §4.3);
 * 2. `azp`, the authorized party (OIDC Core §2: the client an ID token was issued to);
 * 3. `cid` (Okta) and `appid` (Entra ID v1), the vendors' names for the same;
 * 4. for an ID token only, a single `aud`: OIDC Core §2 says an ID token's audience contains its client_id, so
 *    a lone audience is the client. An access token's `aud` is the resource server (RFC 9068 §3), never the client.
 */
export function clientIdOf(claims: Claims, kind: TokenKind): string | undefined {
  const named = text(claims, 'client_id') ?? text(claims, 'azp') ?? text(claims, 'cid') ?? text(claims, 'appid');
  if (named !== undefined || kind !== 'id_token') return named;
  const aud = audiencesOf(claims);
  return aud.length === 1 ? aud[0] : undefined;
}

/** Reads the facts from the claims of a token of the given kind (times by the shared epoch rule). */
export function claimFacts(claims: Claims, kind: TokenKind): ClaimFacts {
  const facts: { -readonly [K in keyof ClaimFacts]: ClaimFacts[K] } = {};
  // Filled in a fixed order (the key order of the result); absent stays absent.
  const issuer = text(claims, 'iss');
  const subject = text(claims, 'sub');
  const audience = audiencesOf(claims);
  const clientId = clientIdOf(claims, kind);
  const scopes = scopesOf(claims);
  const issuedAtMs = numericDateMs(own(claims, 'iat'));
  const expiresAtMs = numericDateMs(own(claims, 'exp'));
  const notBeforeMs = numericDateMs(own(claims, 'nbf'));
  if (issuer !== undefined) facts.issuer = issuer;
  if (subject !== undefined) facts.subject = subject;
  if (audience.length > 0) facts.audience = audience;
  if (clientId !== undefined) facts.clientId = clientId;
  if (scopes.length > 0) facts.scopes = scopes;
  if (issuedAtMs !== undefined) facts.issuedAtMs = issuedAtMs;
  if (expiresAtMs !== undefined) facts.expiresAtMs = expiresAtMs;
  if (notBeforeMs !== undefined) facts.notBeforeMs = notBeforeMs;
  return facts;
}

/**
 * A lifetime with no start to count from (an `expires_in` whose response time is unknown): said so in words, never
 * turned into an expiry nor into "no expiry known". The history's status for it is 'unknown'.
 */
export function startUnknownWords(lifetimeS: number): string {
  return `lifetime ${formatLifetime(lifetimeS)}, start unknown`;
}

/**
 * A grant's lineage told from its issuances: which token replaced which, the current one of each kind, and what a
 * refresh changed, in words. Records are built from the real values here and only masked values leave.
 */
import { diff } from '../../shared/formats/index.ts';
import type { CanonicalRecord, DiffEntry } from '../../shared/formats/types.ts';
import type { GrantLineage, HistoryDiff, Issuance, IssuanceDiff, LineageToken } from '../../shared/issuance.ts';
import { ISSUANCE_UNKNOWN } from '../../shared/issuance.ts';
import type { TokenSummary } from '../../shared/model.ts';
import { TokenscopeError } from '../../shared/result.ts';
import { formatLifetime } from '../../shared/time/relative.ts';
import { diffTexts } from '../../shared/token/convert.ts';
import type { Store } from '../store/store.ts';
import { grantScopes } from './grant-scopes.ts';
import { canonicalOf, EXPORT_COLUMNS, issuanceRowsOfToken, type ExportRow } from './canonical-record.ts';

type LineageSource = Pick<
  Store,
  | 'getGrantSummary'
  | 'getGrantTokens'
  | 'issuancesOfGrant'
  | 'issuanceOfToken'
  | 'previousIssuance'
  | 'getIssuance'
  | 'eachToken'
  | 'valueOfRow'
  | 'ownIssuanceSeqs'
  | 'issuanceMemberIds'
  | 'getTokenValue'
  | 'recentGrantIds'
  | 'requestFactsOfGrant'
>;

/** Statuses after which a token is no longer its grant's current one. */
const GONE = new Set(['revoked', 'superseded', 'inactive', 'unreadable']);

export function grantLineage(store: LineageSource, grantId: string): GrantLineage {
  const grant = store.getGrantSummary(grantId);
  if (!grant) throw new TokenscopeError('ERR_NOT_FOUND', 'no such grant in the history');
  const summaries = new Map<string, TokenSummary>(store.getGrantTokens(grantId).map((t) => [t.id, t]));
  const issuances = store.issuancesOfGrant(grantId);
  const placed = new Set<string>();
  // A token sent again by a later response is current only in its last appearance.
  const lastIn = new Map<string, number>();
  issuances.forEach((i, index) => {
    for (const t of i.tokens) lastIn.set(t.id, index);
  });
  const lineage = issuances.map((issuance, index) => ({
    ...issuance,
    tokens: issuance.tokens.flatMap((t): LineageToken[] => {
      const s = summaries.get(t.id);
      if (!s) return [];
      placed.add(t.id);
      const later = issuances
        .slice(index + 1)
        .flatMap((i) => i.tokens)
        .find((o) => o.kind === t.kind && o.id !== t.id);
      const replacedBy = later?.id ?? null;
      return [
        {
          ...t,
          status: s.status,
          preview: s.preview,
          expiresAtMs: s.expiresAtMs,
          current: replacedBy === null && !GONE.has(s.status) && lastIn.get(t.id) === index,
          replacedBy,
        },
      ];
    }),
  }));
  const unknown = [...summaries.values()]
    .filter((s) => !placed.has(s.id))
    .map((s) => ({
      id: s.id,
      kind: s.kind,
      status: s.status,
      preview: s.preview,
      expiresAtMs: s.expiresAtMs,
      current: false,
      replacedBy: null,
    }));
  const hasRefresh = [...summaries.values()].some((t) => t.kind === 'refresh_token');
  return {
    grantId,
    grantType: grant.grantType,
    state: grant.state,
    deadReason: grant.deadReason,
    profileId: grant.profileId,
    issuances: lineage,
    unknown,
    scopes: grantScopes(grant, store.requestFactsOfGrant(grantId), hasRefresh),
  };
}

/** The token list grouped by grant: the grants with the latest responses first, each with its current tokens marked. */
export function recentGrantLineages(store: LineageSource, limit: number): GrantLineage[] {
  return store
    .recentGrantIds(limit)
    .filter((id) => store.getGrantSummary(id) !== null)
    .map((id) => grantLineage(store, id));
}

/** The rows of an issuance, in the order they were stored. */
function rowsOf(store: LineageSource, issuance: Issuance): ExportRow[] {
  const ids = issuance.tokens.map((t) => t.id);
  return ids.length === 0 ? [] : [...store.eachToken({ ids }, ids.length, EXPORT_COLUMNS)].flat().sort((a, b) => a.seq - b.seq);
}

const KIND_WORDS = { accessToken: 'access token', refreshToken: 'refresh token', idToken: 'ID token' } as const;

/** One sentence per change of a refresh; the token concepts first, then scopes and lifetime. */
function linesOf(entries: readonly DiffEntry[], before: CanonicalRecord, after: CanonicalRecord, kept: boolean): string[] {
  const lines: string[] = [];
  const entry = (concept: string): DiffEntry | undefined => entries.find((e) => e.concept === concept);
  for (const concept of ['accessToken', 'refreshToken', 'idToken'] as const) {
    const e = entry(concept);
    const word = KIND_WORDS[concept];
    if (e?.change === 'rotated')
      lines.push(
        concept === 'refreshToken' ? 'The refresh token was rotated: a new one replaces the old.' : `A new ${word} arrived.`,
      );
    else if (e?.change === 'added') lines.push(`An ${word} arrived (there was none before).`);
    else if (e?.change === 'removed')
      lines.push(
        concept === 'idToken'
          ? 'No ID token came with this response: the earlier one still describes the sign-in.'
          : `No ${word} came with this response.`,
      );
    else if (concept === 'refreshToken' && before.refreshToken !== undefined)
      lines.push(
        kept
          ? 'The server sent no new refresh token: the old one stays valid (RFC 6749 §6).'
          : 'The refresh token stayed the same.',
      );
  }
  const scopes = entry('scopes');
  if (scopes) lines.push(`${scopes.summary}.`);
  else if (after.scopes !== undefined) lines.push(`Scopes unchanged: ${after.scopes.join(' ')}.`);
  const life = entry('expiresInS');
  if (life && typeof life.before === 'number' && typeof life.after === 'number')
    lines.push(`Lifetime ${life.change}: ${formatLifetime(life.before)} → ${formatLifetime(life.after)}.`);
  else if (after.expiresInS !== undefined) lines.push(`Lifetime unchanged: ${formatLifetime(after.expiresInS)}.`);
  for (const e of entries) {
    if (['accessToken', 'refreshToken', 'idToken', 'scopes', 'expiresInS', 'issuedAtMs', 'expiresAtMs'].includes(e.concept))
      continue;
    lines.push(`${e.summary}.`);
  }
  return lines;
}

/** What an issuance changed against its grant's previous one; null when it is the grant's first (or has none). */
export function issuanceDiff(store: LineageSource, after: Issuance): IssuanceDiff | null {
  const before = store.previousIssuance(after);
  if (before === null) return null;
  const a = canonicalOf(store, rowsOf(store, before), 'full');
  let b = canonicalOf(store, rowsOf(store, after), 'full');
  // RFC 6749 §6: a response without a refresh token leaves the old one in force; that is no removal.
  const kept = b.refreshToken === undefined && a.refreshToken !== undefined;
  if (kept) b = { ...b, refreshToken: a.refreshToken };
  const d = diff(a, b);
  const replaced = before.tokens.flatMap((t) => {
    const next = after.tokens.find((o) => o.kind === t.kind && o.id !== t.id);
    return next ? [{ kind: t.kind, before: t.id, after: next.id }] : [];
  });
  return { before, after, diff: d, lines: linesOf(d.entries, a, b, kept), replaced };
}

/** The diff of a history token's own issuance against the one before it in its grant. */
export function issuanceDiffOfToken(store: LineageSource, tokenId: string): IssuanceDiff | null {
  const issuance = store.issuanceOfToken(tokenId);
  if (issuance === null) {
    issuanceRowsOfToken(store, tokenId); // ERR_NOT_FOUND for an unknown token
    return null;
  }
  return issuanceDiff(store, issuance);
}

/** Two history tokens compared through their canonical records (each its own issuance's), claims included for JWTs. */
export function diffHistoryTokens(store: LineageSource, request: { a: string; b: string }, nowMs: number): HistoryDiff {
  const left = issuanceRowsOfToken(store, request.a);
  const right = issuanceRowsOfToken(store, request.b);
  const d = diff(canonicalOf(store, left.group, 'full'), canonicalOf(store, right.group, 'full'));
  let claims: HistoryDiff['claims'];
  try {
    claims = diffTexts({ a: store.getTokenValue(left.row.id), b: store.getTokenValue(right.row.id) }, nowMs).claims;
  } catch {
    claims = []; // a value not readable here: the record diff still stands
  }
  const side = (s: typeof left) => ({ tokenId: s.row.id, issuance: s.issuance?.label ?? ISSUANCE_UNKNOWN });
  return { a: side(left), b: side(right), diff: d, claims };
}

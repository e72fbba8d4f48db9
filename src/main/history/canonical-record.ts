/**
 * THE canonical record of history tokens: the rows of one token response (an access token with the refresh and ID
 * tokens obtained with it) as one CanonicalRecord, which every FORMATS.md format is written from.
 */
import type { TokenCanonicalRecord } from '../../shared/api.ts';
import { compare } from '../../shared/formats/index.ts';
import { formatSummaries } from '../../shared/formats/format-summary.ts';
import { ISSUANCE_UNKNOWN, type Issuance } from '../../shared/issuance.ts';
import type { Redaction } from '../../shared/model.ts';
import { maskValue } from '../../shared/mask.ts';
import { TokenscopeError } from '../../shared/result.ts';
import type { TokenRow } from '../store/rows.ts';
import type { Store } from '../store/store.ts';
import type { CanonicalRecord } from './format-bridge.ts';

/** The columns of a token row the exporters read (the history keeps no header or claims in clear). */
export const EXPORT_COLUMNS = [
  'seq',
  'id',
  'kind',
  'format',
  'hash',
  'value_enc',
  'preview',
  'issuer',
  'subject',
  'client_id',
  'scopes',
  'issued_at_ms',
  'expires_at_ms',
  'lifetime_s',
  'status',
  'status_before',
  'grant_id',
  'profile_id',
  'source',
  'created_at_ms',
] as const satisfies readonly (keyof TokenRow)[];

/** A token row as the exporters read it. */
export type ExportRow = Pick<TokenRow, (typeof EXPORT_COLUMNS)[number]>;

/** What the builder reads from the history besides the rows. */
export type CanonicalSource = Pick<Store, 'getGrantSummary' | 'valueOfRow'>;

/** A value as a redaction level lets it out: itself, masked, or nothing ('hash', or unreadable here). */
export function redactedValue(source: CanonicalSource, row: ExportRow, redact: Redaction): string | undefined {
  if (redact === 'hash') return undefined;
  const v = source.valueOfRow(row);
  if (v === null) return undefined;
  return redact === 'full' ? v : maskValue(v);
}

/** What an export writes for a value it cannot read here, in masked mode: a mask (import never takes it for a value). */
export const UNREADABLE_MASK = '«secret unreadable here: sealed with another key»';

/** ERR_TOKENS_UNREADABLE: the export promised values this key cannot read (nothing is written). */
export function unreadableTokensError(source: Pick<Store, 'storageStatus'>): TokenscopeError {
  const count = source.storageStatus().unreadableCount;
  return new TokenscopeError(
    'ERR_TOKENS_UNREADABLE',
    `${String(count)} token(s) cannot be read with this key (sealed under another passphrase or key file): open the history with the key that sealed them, or export with --redact hash / masked, or leave them out (--status active)`,
    { unreadableCount: count },
  );
}

/**
 * A value as an export writes it: as redactedValue, but never silently absent. A value a 'full' export cannot read
 * here fails the export (no file that says "exported" and holds no value); a 'masked' one is UNREADABLE_MASK.
 */
export function exportedValue(
  source: CanonicalSource & Pick<Store, 'storageStatus'>,
  row: ExportRow,
  redact: Redaction,
): string | undefined {
  if (redact === 'hash') return undefined;
  const v = redactedValue(source, row, redact);
  if (v !== undefined) return v;
  if (redact === 'full') throw unreadableTokensError(source);
  return UNREADABLE_MASK;
}

/**
 * Groups the rows of a walk into token responses by their issuance (the response each arrived in first): consecutive
 * rows of one issuance form a group, a row of none ("issuance unknown") is a group of its own. A token the response
 * sent again (an unchanged refresh token, stored with an earlier response) joins the group too.
 */
export function* issuanceGroups(source: IssuanceSource, batches: Iterable<ExportRow[]>): Generator<ExportRow[]> {
  let group: ExportRow[] = [];
  let groupSeq: number | null = null;
  const finish = (): ExportRow[] => {
    const done = groupSeq === null ? group : withResent(source, group, groupSeq);
    group = [];
    return done;
  };
  for (const batch of batches) {
    const seqs = source.ownIssuanceSeqs(batch.map((r) => r.id));
    for (const row of batch) {
      const seq = seqs.get(row.id) ?? null;
      if (group.length > 0 && (seq === null || seq !== groupSeq)) yield finish();
      group.push(row);
      groupSeq = seq;
    }
  }
  if (group.length > 0) yield finish();
}

/** The group with the tokens its issuance sent again (stored with an earlier one), for kinds it lacks. */
function withResent(source: IssuanceSource, group: ExportRow[], seq: number): ExportRow[] {
  const have = new Set(group.map((r) => r.kind));
  const ids = new Set(group.map((r) => r.id));
  const missing = source.issuanceMemberIds(seq).filter((m) => !ids.has(m.id) && !have.has(m.kind));
  if (missing.length === 0) return group;
  const extra = [...source.eachToken({ ids: missing.map((m) => m.id) }, missing.length, EXPORT_COLUMNS)].flat();
  return [...group, ...extra];
}

/** The canonical record of one token response (see issuanceGroups). */
export function canonicalOf(
  source: CanonicalSource,
  group: readonly ExportRow[],
  redact: Redaction,
  valueOf: (source: CanonicalSource, row: ExportRow, redact: Redaction) => string | undefined = redactedValue,
): CanonicalRecord {
  const byKind = (kind: string): ExportRow | undefined => group.find((r) => r.kind === kind);
  const access = byKind('access_token');
  const refresh = byKind('refresh_token');
  const id = byKind('id_token');
  const lead = access ?? refresh ?? id ?? group[0];
  const grant = lead?.grant_id ? source.getGrantSummary(lead.grant_id) : null;
  const val = (row: ExportRow | undefined): string | undefined => (row ? valueOf(source, row, redact) : undefined);
  const record: Record<string, unknown> = {};
  const set = (k: keyof CanonicalRecord, v: unknown): void => {
    if (v !== undefined && v !== null) record[k] = v;
  };
  set('accessToken', val(access));
  set('refreshToken', val(refresh));
  set('idToken', val(id));
  if (redact === 'hash') {
    set('accessTokenHash', access?.hash);
    set('refreshTokenHash', refresh?.hash);
  }
  if (access) set('tokenType', 'Bearer');
  if (lead) {
    const scopes = lead.scopes === '' ? undefined : lead.scopes.split(' ');
    set('scopes', scopes);
    const startUnknown = lead.expires_at_ms === null && lead.lifetime_s !== null;
    // A lifetime whose start is unknown stays one: no response time is made up from when the history got it.
    set('issuedAtMs', startUnknown ? (lead.issued_at_ms ?? undefined) : (lead.issued_at_ms ?? lead.created_at_ms));
    set('expiresAtMs', lead.expires_at_ms);
    if (lead.expires_at_ms !== null) {
      set('expiresInS', Math.max(0, Math.round((lead.expires_at_ms - (lead.issued_at_ms ?? lead.created_at_ms)) / 1000)));
    } else if (lead.lifetime_s !== null) set('expiresInS', lead.lifetime_s);
    set('subject', lead.subject ?? id?.subject);
    set('clientId', lead.client_id ?? grant?.clientId);
  }
  if (refresh?.expires_at_ms !== null && refresh?.expires_at_ms !== undefined) set('refreshExpiresAtMs', refresh.expires_at_ms);
  if (grant && grant.grantType !== 'imported' && grant.grantType !== 'paste') set('grantType', grant.grantType);
  return record;
}

/** What reading issuances needs from the history. */
export type IssuanceSource = Pick<Store, 'eachToken' | 'ownIssuanceSeqs' | 'issuanceMemberIds'>;

/** What reading one token's canonical record needs from the history. */
export type TokenRecordSource = CanonicalSource & IssuanceSource & Pick<Store, 'issuanceOfToken'>;

/** A stored token, the rows of its own issuance and that issuance (null: issuance unknown). ERR_NOT_FOUND. */
export function issuanceRowsOfToken(
  source: TokenRecordSource,
  tokenId: string,
): { row: ExportRow; group: readonly ExportRow[]; issuance: Issuance | null } {
  const [row] = [...source.eachToken({ ids: [tokenId] }, 1, EXPORT_COLUMNS)].flat();
  if (row === undefined) throw new TokenscopeError('ERR_NOT_FOUND', 'no such token in the history');
  const issuance = source.issuanceOfToken(row.id);
  if (issuance === null) return { row, group: [row], issuance };
  const others = issuance.tokens.filter((t) => t.id !== row.id).map((t) => t.id);
  const rest = others.length > 0 ? [...source.eachToken({ ids: others }, others.length, EXPORT_COLUMNS)].flat() : [];
  // In the order they were stored, as Export walks them.
  const group = [row, ...rest].sort((a, b) => a.seq - b.seq);
  return { row, group, issuance };
}

/**
 * The canonical record of the token response a stored token came in (its own issuance), exactly as the export writes
 * it, with the values masked; the comparison table and per-format summary are computed from it here, once.
 */
export function canonicalRecordOfToken(source: TokenRecordSource, tokenId: string): TokenCanonicalRecord {
  const { row, group, issuance } = issuanceRowsOfToken(source, tokenId);
  const record = canonicalOf(source, group, 'masked');
  return {
    record,
    tokenIds: [row.id, ...group.filter((r) => r.id !== row.id).map((r) => r.id)],
    issuance,
    issuanceText: issuance?.label ?? ISSUANCE_UNKNOWN,
    comparison: compare(record),
    formats: formatSummaries(record),
  };
}

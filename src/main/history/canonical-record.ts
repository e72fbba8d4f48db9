/**
 * THE canonical record of history tokens: the rows of one token response (an access token with the refresh and ID
 * tokens obtained with it) as one CanonicalRecord, which every FORMATS.md format is written from.
 */
import type { TokenCanonicalRecord } from '../../shared/api.ts';
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

/** Groups consecutive rows of one grant into token responses: a new group starts when a kind repeats. */
export function* responseGroups(batches: Iterable<ExportRow[]>): Generator<ExportRow[]> {
  let group: ExportRow[] = [];
  for (const batch of batches) {
    for (const row of batch) {
      const prev = group[0];
      const sameGrant = prev !== undefined && row.grant_id !== null && row.grant_id === prev.grant_id;
      if (prev !== undefined && (!sameGrant || group.some((r) => r.kind === row.kind))) {
        yield group;
        group = [];
      }
      group.push(row);
    }
  }
  if (group.length > 0) yield group;
}

/** The canonical record of one token response (see responseGroups). */
export function canonicalOf(source: CanonicalSource, group: readonly ExportRow[], redact: Redaction): CanonicalRecord {
  const byKind = (kind: string): ExportRow | undefined => group.find((r) => r.kind === kind);
  const access = byKind('access_token');
  const refresh = byKind('refresh_token');
  const id = byKind('id_token');
  const lead = access ?? refresh ?? id ?? group[0];
  const grant = lead?.grant_id ? source.getGrantSummary(lead.grant_id) : null;
  const val = (row: ExportRow | undefined): string | undefined => (row ? redactedValue(source, row, redact) : undefined);
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
    set('issuedAtMs', lead.issued_at_ms ?? lead.created_at_ms);
    set('expiresAtMs', lead.expires_at_ms);
    if (lead.expires_at_ms !== null) {
      set('expiresInS', Math.max(0, Math.round((lead.expires_at_ms - (lead.issued_at_ms ?? lead.created_at_ms)) / 1000)));
    }
    set('subject', lead.subject ?? id?.subject);
    set('clientId', lead.client_id ?? grant?.clientId);
  }
  if (refresh?.expires_at_ms !== null && refresh?.expires_at_ms !== undefined) set('refreshExpiresAtMs', refresh.expires_at_ms);
  if (grant && grant.grantType !== 'imported' && grant.grantType !== 'paste') set('grantType', grant.grantType);
  return record;
}

/** What reading one token's canonical record needs from the history. */
export type TokenRecordSource = CanonicalSource & Pick<Store, 'eachToken'>;

/** Rows read at a time when walking a grant. */
const GRANT_BATCH = 200;

/**
 * The canonical record of the token response a stored token came in, exactly as the export writes it (the grant's
 * rows in history order, grouped by responseGroups) with the values masked. ERR_NOT_FOUND.
 */
export function canonicalRecordOfToken(source: TokenRecordSource, tokenId: string): TokenCanonicalRecord {
  const [row] = [...source.eachToken({ ids: [tokenId] }, 1, EXPORT_COLUMNS)].flat();
  if (row === undefined) throw new TokenscopeError('ERR_NOT_FOUND', 'no such token in the history');
  let group: readonly ExportRow[] = [row];
  if (row.grant_id !== null) {
    for (const g of responseGroups(source.eachToken({ filter: { grantId: row.grant_id } }, GRANT_BATCH, EXPORT_COLUMNS))) {
      if (g.some((r) => r.id === row.id)) {
        group = g;
        break;
      }
    }
  }
  return {
    record: canonicalOf(source, group, 'masked'),
    tokenIds: [row.id, ...group.filter((r) => r.id !== row.id).map((r) => r.id)],
  };
}

/** Row types of the history's tables and their mapping to the contract's models (shared by the repositories and export). */
import type { EventType, GrantSummary, TokenEvent, TokenKind, TokenStatus, TokenSummary } from '../../shared/model.ts';
import { TOKEN_KINDS } from '../../shared/model.ts';
import { startUnknownWords } from '../../shared/token/facts.ts';
import { MASK_MIN_LENGTH } from '../../shared/mask.ts';
import { SEALED_OVERHEAD } from './envelope.ts';

/** A `tokens` row (its `hash_key` aside: only lookups use it). */
export interface TokenRow {
  seq: number;
  id: string;
  kind: string;
  format: string;
  hash: string;
  value_enc: Buffer | null;
  key_id: number | null;
  preview: string;
  issuer: string | null;
  subject: string | null;
  client_id: string | null;
  scopes: string;
  issued_at_ms: number | null;
  expires_at_ms: number | null;
  /** A lifetime whose start is unknown (migration 5), else null. */
  lifetime_s: number | null;
  status: string;
  status_before: string | null;
  grant_id: string | null;
  profile_id: string | null;
  source: string;
  created_at_ms: number;
  updated_at_ms: number;
}

/** A `grants` row. */
export interface GrantRow {
  id: string;
  profile_id: string | null;
  grant_type: string;
  issuer: string | null;
  client_id: string | null;
  scopes: string;
  state: string;
  dead_reason: string | null;
  created_at_ms: number;
  updated_at_ms: number;
}

/** An `events` row. */
export interface EventRow {
  seq: number;
  id: string;
  token_id: string | null;
  grant_id: string | null;
  type: string;
  detail_json: string;
  at_ms: number;
}

/** A `profiles` row. */
export interface ProfileRow {
  id: string;
  name: string;
  settings_json: string;
  secrets_enc: Buffer | null;
  created_at_ms: number;
  updated_at_ms: number;
}

/** An `exchanges` row. */
export interface ExchangeRow {
  id: string;
  grant_id: string | null;
  flow_id: string | null;
  token_id: string | null;
  method: string;
  url: string;
  status: number | null;
  duration_ms: number | null;
  started_at_ms: number;
  payload_enc: Buffer;
}

/** The columns a TokenSummary is made of. */
export const SUMMARY_COLUMNS =
  't.seq, t.id, t.kind, t.format, t.preview, t.issuer, t.subject, t.client_id, t.scopes, t.issued_at_ms, t.expires_at_ms, t.lifetime_s, t.status, t.grant_id, t.profile_id, t.created_at_ms';

export type SummaryRow = Pick<
  TokenRow,
  | 'id'
  | 'kind'
  | 'format'
  | 'preview'
  | 'issuer'
  | 'subject'
  | 'client_id'
  | 'scopes'
  | 'issued_at_ms'
  | 'expires_at_ms'
  | 'lifetime_s'
  | 'status'
  | 'grant_id'
  | 'profile_id'
  | 'created_at_ms'
>;

/** Scopes are kept space-separated. */
function splitScopes(scopes: string): string[] {
  return scopes === '' ? [] : scopes.split(' ');
}

function toKind(kind: string): TokenKind {
  return (TOKEN_KINDS as readonly string[]).includes(kind) ? (kind as TokenKind) : 'unknown';
}

export function toSummary(row: SummaryRow): TokenSummary {
  return {
    id: row.id,
    kind: toKind(row.kind),
    format: row.format,
    issuer: row.issuer,
    subject: row.subject,
    clientId: row.client_id,
    scopes: splitScopes(row.scopes),
    issuedAtMs: row.issued_at_ms,
    expiresAtMs: row.expires_at_ms,
    ...(row.lifetime_s !== null && row.expires_at_ms === null
      ? { lifetimeS: row.lifetime_s, expiryNote: startUnknownWords(row.lifetime_s) }
      : {}),
    status: row.status as TokenStatus,
    grantId: row.grant_id,
    profileId: row.profile_id,
    createdAtMs: row.created_at_ms,
    preview: row.preview,
  };
}

export function toGrant(row: GrantRow): GrantSummary {
  return {
    id: row.id,
    profileId: row.profile_id,
    grantType: row.grant_type,
    issuer: row.issuer,
    clientId: row.client_id,
    scopes: splitScopes(row.scopes),
    state: row.state === 'dead' ? 'dead' : 'live',
    deadReason: row.dead_reason,
    createdAtMs: row.created_at_ms,
    updatedAtMs: row.updated_at_ms,
  };
}

/** A JSON object column; null when absent or not an object. */
export function parseObject(json: string | null): Record<string, unknown> | null {
  if (json === null) return null;
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** An event row as the contract's typed union: the detail was written through addEvent for this `type`. */
export function toEvent(row: EventRow): TokenEvent {
  return {
    id: row.id,
    tokenId: row.token_id,
    grantId: row.grant_id,
    type: row.type as EventType,
    detail: parseObject(row.detail_json) ?? {},
    atMs: row.at_ms,
  } as TokenEvent;
}

/** The mask of a value this key cannot open: its size from the sealed bytes, the fingerprint from the stored hash. */
export function unreadablePreview(row: { hash: string; value_enc: Buffer | null }): string {
  const bytes = Math.max(0, (row.value_enc?.length ?? 0) - SEALED_OVERHEAD);
  const fingerprint = bytes >= MASK_MIN_LENGTH ? ` sha256:${row.hash.slice(0, 6)}` : '';
  return `«secret ${String(bytes)} bytes, unreadable here${fingerprint}»`;
}

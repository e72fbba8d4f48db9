/**
 * The canonical record of a stored token as the comparison needs it: the grant's tokens as masked
 * previews (never the values), times in ms, the lifetime in seconds.
 */
import type { CanonicalRecord } from '../../../../shared/formats/types.ts';
import type { GrantDetail, TokenDetail } from '../../../../shared/model.ts';

export function canonicalFromHistory(detail: TokenDetail, grant: GrantDetail | null): CanonicalRecord {
  const t = detail.summary;
  const r: { -readonly [K in keyof CanonicalRecord]: CanonicalRecord[K] } = {};
  const siblings = grant?.tokens ?? [];
  // The token itself, plus the newest live sibling of each other kind from the same grant.
  const pick = (kind: string): string | undefined => {
    if (t.kind === kind) return t.preview;
    return siblings.find((s) => s.kind === kind && s.status !== 'superseded' && s.status !== 'revoked')?.preview;
  };
  const access = pick('access_token');
  const refresh = pick('refresh_token');
  const id = pick('id_token');
  if (access !== undefined) r.accessToken = access;
  if (refresh !== undefined) r.refreshToken = refresh;
  if (id !== undefined) r.idToken = id;
  const typ = detail.claims?.['token_type'];
  if (typeof typ === 'string') r.tokenType = typ;
  else if (access !== undefined && grant) r.tokenType = 'Bearer';
  if (t.scopes.length > 0) r.scopes = t.scopes;
  if (t.issuedAtMs !== null) r.issuedAtMs = t.issuedAtMs;
  if (t.expiresAtMs !== null) {
    r.expiresAtMs = t.expiresAtMs;
    if (t.issuedAtMs !== null && t.expiresAtMs > t.issuedAtMs) r.expiresInS = Math.round((t.expiresAtMs - t.issuedAtMs) / 1000);
  }
  const refreshSummary =
    t.kind === 'refresh_token' ? t : siblings.find((s) => s.kind === 'refresh_token' && s.status !== 'superseded');
  if (refreshSummary?.expiresAtMs !== null && refreshSummary?.expiresAtMs !== undefined && t.kind !== 'refresh_token')
    r.refreshExpiresAtMs = refreshSummary.expiresAtMs;
  const refreshed = (grant?.events ?? detail.events).filter((e) => e.type === 'refreshed').map((e) => e.atMs);
  if (refreshed.length > 0) r.lastRefreshedAtMs = Math.max(...refreshed);
  if (grant) r.grantType = grant.grant.grantType;
  if (t.subject !== null) r.subject = t.subject;
  if (t.clientId !== null) r.clientId = t.clientId;
  return r;
}

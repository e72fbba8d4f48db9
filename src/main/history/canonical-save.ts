/** Saves one canonical record (a token response, or a record about one) as one grant with its tokens: import and paste. */
import type { TokenKind } from '../../shared/model.ts';
import { TokenscopeError } from '../../shared/result.ts';
import { isMasked } from '../../shared/mask.ts';
import type { CanonicalRecord, FormatId } from './format-bridge.ts';
import type { Store } from '../store/store.ts';
import { tokenFacts } from '../store/token-facts.ts';

/** Canonical concepts the history keeps; everything else a record carries is reported as dropped. */
const KEPT_CONCEPTS = new Set<string>([
  'accessToken',
  'refreshToken',
  'idToken',
  'tokenType',
  'scopes',
  'issuedAtMs',
  'expiresAtMs',
  'expiresInS',
  'refreshExpiresAtMs',
  'grantType',
  'subject',
  'clientId',
]);

export interface SavedRecord {
  readonly ids: string[];
  readonly created: number;
  /** Concepts of the record the history does not keep. */
  readonly dropped: string[];
}

/**
 * Saves the tokens of one canonical record (a token response or a record about one) as one grant.
 * A record whose tokens are all known already creates nothing. ERR_NOT_A_TOKEN when it holds no
 * token value (only hashes, or masked values).
 */
export function saveCanonicalRecord(
  store: Store,
  record: CanonicalRecord,
  format: FormatId,
  options: {
    readonly source: string;
    readonly strict: boolean;
    readonly event: 'imported' | 'saved';
    readonly profileId?: string | null;
  },
): SavedRecord {
  const parts: { value: string; kind: TokenKind }[] = [];
  for (const [key, kind] of [
    ['accessToken', 'access_token'],
    ['refreshToken', 'refresh_token'],
    ['idToken', 'id_token'],
  ] as const) {
    const v = record[key];
    if (v !== undefined) parts.push({ value: v, kind });
  }
  if (parts.length === 0) {
    throw new TokenscopeError(
      'ERR_NOT_A_TOKEN',
      record.accessTokenHash || record.refreshTokenHash
        ? 'the record holds only hashes of tokens, not their values'
        : 'the record holds no token value',
    );
  }
  for (const p of parts) {
    if (isMasked(p.value)) throw new TokenscopeError('ERR_NOT_A_TOKEN', 'the token value is masked (exported with redaction)');
  }
  const dropped = Object.keys(record).filter((k) => !KEPT_CONCEPTS.has(k) && record[k as keyof CanonicalRecord] !== undefined);
  const existing = parts.map((p) => store.findTokenByValue(p.value));
  if (existing.every((id) => id !== null)) return { ids: existing.filter((id) => id !== null), created: 0, dropped };
  return store.savepoint(() => {
    const profileId = options.profileId ?? null;
    const grantId = store.createGrant({
      profileId,
      grantType: record.grantType ?? (options.source === 'paste' ? 'paste' : 'imported'),
      clientId: record.clientId ?? null,
      scopes: record.scopes ?? [],
    });
    const ids: string[] = [];
    let created = 0;
    for (const p of parts) {
      const isAccess = p.kind === 'access_token';
      // A JWT's own exp wins over a lifetime counted from a response time; a format's absolute expiry wins over both.
      const ownExpiry = tokenFacts(p.value, options.strict).expiresAtMs;
      const counted =
        record.expiresInS !== undefined && record.issuedAtMs !== undefined ? record.issuedAtMs + record.expiresInS * 1000 : null;
      const expiresAtMs =
        p.kind === 'refresh_token'
          ? (record.refreshExpiresAtMs ?? ownExpiry)
          : isAccess
            ? (record.expiresAtMs ?? ownExpiry ?? counted)
            : undefined;
      const saved = store.saveToken({
        value: p.value,
        kind: p.kind,
        format,
        grantId,
        profileId,
        source: options.source,
        strict: options.strict,
        ...(p.kind === 'id_token'
          ? {}
          : { subject: record.subject ?? null, clientId: record.clientId ?? null, scopes: record.scopes ?? [] }),
        ...(isAccess && record.issuedAtMs !== undefined ? { issuedAtMs: record.issuedAtMs } : {}),
        ...(expiresAtMs !== undefined ? { expiresAtMs } : {}),
      });
      ids.push(saved.id);
      // A relative lifetime with no response time to count from cannot become an expiry.
      if (isAccess && expiresAtMs === null && record.expiresInS !== undefined && !dropped.includes('expiresInS'))
        dropped.push('expiresInS');
      if (saved.created) {
        created++;
        store.addEvent({ tokenId: saved.id, grantId, type: options.event, detail: { format } });
      }
    }
    // The record's tokens arrived together: one issuance (received when the record says, else now).
    store.recordIssuance({
      grantId,
      request: options.source === 'paste' ? 'paste' : 'import',
      receivedAtMs: record.issuedAtMs,
      tokens: ids.map((id, i) => ({ id, kind: parts[i]?.kind ?? 'unknown' })),
    });
    return { ids, created, dropped };
  });
}

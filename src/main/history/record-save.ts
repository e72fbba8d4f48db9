/**
 * Saves one canonical record (a token response, or a record about one) as history: its tokens in one grant and one
 * issuance, and, for the import report, every concept it did not keep as it was, named with why.
 */
import type { FieldNote, TokenKind } from '../../shared/model.ts';
import { isMasked } from '../../shared/mask.ts';
import { TokenscopeError } from '../../shared/result.ts';
import { startUnknownWords } from '../../shared/token/facts.ts';
import type { Store } from '../store/store.ts';
import { tokenFacts } from '../store/token-facts.ts';
import type { CanonicalRecord, FormatId } from './format-bridge.ts';

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
  /** Every concept not kept as it was, with why (the report never drops a field silently). */
  readonly fieldNotes: FieldNote[];
}

// ── what the history does not keep, and why (the import report names each) ──

const WHY_NOT_KEPT: Readonly<Record<string, string>> = {
  refreshScopes: "not kept: the history keeps one scope list per token response (the access token's)",
  lastRefreshedAtMs: 'not kept: the history records each refresh as a response of its own, not as a time from a file',
  accessTokenHash: 'not kept: a hash is not a token; the history keeps token values',
  refreshTokenHash: 'not kept: a hash is not a token; the history keeps token values',
};

function notKept(field: string): FieldNote {
  return { field, kept: false, why: WHY_NOT_KEPT[field] ?? 'not kept: the history has no place for it (the file still has it)' };
}

/** An `expires_in` with no time to count from: kept as a lifetime whose start is unknown (status 'unknown'). */
function lifetimeNote(lifetimeS: number): FieldNote {
  return {
    field: 'expiresInS',
    kept: true,
    why: `kept as ${startUnknownWords(lifetimeS)}: the record has no issue time to count it from, so its status is unknown`,
  };
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
  const fieldNotes = dropped.map(notKept);
  const existing = parts.map((p) => store.findTokenByValue(p.value));
  if (existing.every((id) => id !== null)) return { ids: existing.filter((id) => id !== null), created: 0, dropped, fieldNotes };
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
      // A relative lifetime with no response time to count from is kept as it is: a lifetime whose start is unknown.
      const lifetimeS = isAccess && record.issuedAtMs === undefined ? (record.expiresInS ?? null) : null;
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
        ...(lifetimeS !== null && expiresAtMs === null ? { lifetimeS } : {}),
      });
      ids.push(saved.id);
      if (lifetimeS !== null && expiresAtMs === null && saved.created) fieldNotes.push(lifetimeNote(lifetimeS));
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
    return { ids, created, dropped, fieldNotes };
  });
}

/** Read models the contract returns that join several tables: a token's detail, a grant's detail, the storage status. */
import type { GrantDetail, StorageStatus, TokenDetail } from '../../shared/model.ts';
import { TokenscopeError } from '../../shared/result.ts';
import type { KeyProviderInfo } from '../platform.ts';
import type { Connection } from './connection.ts';
import { databasePath, sqliteVersion } from './database.ts';
import type { EventLog } from './event-log.ts';
import type { GrantRepository } from './grant-repository.ts';
import { toSummary } from './rows.ts';
import type { TokenRepository } from './token-repository.ts';

/** Summary, decoded header/claims and events; never the value (only its masked preview). ERR_NOT_FOUND. */
export function tokenDetail(tokens: TokenRepository, events: EventLog, id: string): TokenDetail {
  const row = tokens.getTokenRow(id);
  if (!row) throw new TokenscopeError('ERR_NOT_FOUND', 'no such token in the history');
  // Header, claims and jti are not kept in clear: they are read from the sealed value (none when it cannot be opened).
  const sealed = tokens.sealedFacts(id);
  return {
    summary: toSummary(row),
    jti: sealed.jti,
    source: row.source,
    hash: row.hash,
    header: sealed.header,
    claims: sealed.claims,
    readable: row.status !== 'unreadable' && tokens.canRead(id),
    updatedAtMs: row.updated_at_ms,
    events: events.getEvents({ tokenId: id }),
  };
}

/** The grant, its tokens and its events. ERR_NOT_FOUND. */
export function grantDetail(grants: GrantRepository, tokens: TokenRepository, events: EventLog, grantId: string): GrantDetail {
  const grant = grants.getGrantSummary(grantId);
  if (!grant) throw new TokenscopeError('ERR_NOT_FOUND', 'no such grant in the history');
  return { grant, tokens: tokens.getGrantTokens(grantId), events: events.getEvents({ grantId }) };
}

export function storageStatus(
  conn: Connection,
  tokens: TokenRepository,
  keyInfo: KeyProviderInfo,
  dataDir: string,
): StorageStatus {
  return {
    keyBackend: keyInfo.backend,
    keyProtection: keyInfo.keyProtection,
    unreadableCount: tokens.unreadableCount(),
    tokenCount: tokens.count(),
    schemaVersion: conn.db.pragma('user_version', { simple: true }) as number,
    sqliteVersion: sqliteVersion(conn.db),
    databasePath: databasePath(dataDir),
  };
}

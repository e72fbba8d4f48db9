/**
 * The INSERT of a new `tokens` row (TokenRepository.saveToken). What its constraints refuse (nothing was written) is
 * told as the store's errors instead of being looked up before every insert: a grant or profile that is not there
 * (the foreign keys: ERR_NOT_FOUND), a caller's own id (an import) that another token has already (the UNIQUE index:
 * ERR_INVALID_ARGUMENT). A bulk save paid two lookups a token for what the INSERT checks anyway.
 */
import type Database from 'better-sqlite3';
import { TokenscopeError } from '../../shared/result.ts';
import type { Connection } from './connection.ts';
import type { SaveTokenInput } from './inputs.ts';

const INSERT = `INSERT INTO tokens (id, hash_key, hash, kind, format, value_enc, key_id, preview, issuer, subject, client_id, scopes,
    issued_at_ms, expires_at_ms, lifetime_s, status, grant_id, profile_id, source, created_at_ms, updated_at_ms)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** Inserts the row: `values` in the order of INSERT's columns. */
export function insertTokenRow(
  conn: Connection,
  input: Pick<SaveTokenInput, 'id' | 'grantId' | 'profileId'>,
  values: readonly unknown[],
): Database.RunResult {
  try {
    return conn.sql(INSERT).run(values);
  } catch (e) {
    const code = e instanceof Error && 'code' in e ? e.code : null;
    if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
      if (input.grantId && !conn.sql('SELECT 1 FROM grants WHERE id = ?').get(input.grantId))
        throw new TokenscopeError('ERR_NOT_FOUND', 'no such grant in the history');
      if (input.profileId) throw new TokenscopeError('ERR_NOT_FOUND', 'no such profile');
    }
    if (input.id !== undefined && code === 'SQLITE_CONSTRAINT_UNIQUE' && e instanceof Error && /tokens\.id\b/.test(e.message))
      throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'another token with this id is already in the history');
    throw e;
  }
}

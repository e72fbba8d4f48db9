/** Reads and writes token rows: keyset-paged listing, newest first, stable under inserts. */
import type Database from 'better-sqlite3';
import type { ListTokensQuery, TokenKind, TokenPage, TokenStatus, TokenSummary } from '../../shared/model.ts';
import { TokenscopeError } from '../../shared/result.ts';

interface TokenRow {
  id: string;
  kind: string;
  format: string;
  preview: string;
  issuer: string | null;
  subject: string | null;
  client_id: string | null;
  scopes: string;
  issued_at_ms: number | null;
  expires_at_ms: number | null;
  status: string;
  created_at_ms: number;
}

function toSummary(row: TokenRow): TokenSummary {
  return {
    id: row.id,
    kind: row.kind as TokenKind,
    format: row.format,
    issuer: row.issuer,
    subject: row.subject,
    clientId: row.client_id,
    scopes: row.scopes === '' ? [] : row.scopes.split(' '),
    issuedAtMs: row.issued_at_ms,
    expiresAtMs: row.expires_at_ms,
    status: row.status as TokenStatus,
    grantId: null,
    profileId: null,
    createdAtMs: row.created_at_ms,
    preview: row.preview,
  };
}

export function encodeCursor(createdAtMs: number, id: string): string {
  return Buffer.from(JSON.stringify([createdAtMs, id])).toString('base64url');
}

export function decodeCursor(cursor: string): [number, string] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && typeof parsed[0] === 'number' && typeof parsed[1] === 'string') {
      return [parsed[0], parsed[1]];
    }
  } catch {
    // fall through to the typed error
  }
  throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'the page cursor is not one this app produced');
}

export class TokenRepository {
  private readonly db: Database.Database;
  constructor(db: Database.Database) {
    this.db = db;
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM tokens').get() as { n: number }).n;
  }

  list(query: ListTokensQuery): TokenPage {
    const limit = query.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
      throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'limit must be an integer from 1 to 500');
    }
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.cursor) {
      const [created, id] = decodeCursor(query.cursor);
      where.push('(created_at_ms < ? OR (created_at_ms = ? AND id < ?))');
      params.push(created, created, id);
    }
    const sql = `SELECT id, kind, format, preview, issuer, subject, client_id, scopes, issued_at_ms, expires_at_ms, status, created_at_ms
      FROM tokens ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_at_ms DESC, id DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params, limit + 1) as TokenRow[];
    const page = rows.slice(0, limit).map(toSummary);
    const last = page[page.length - 1];
    return { items: page, nextCursor: rows.length > limit && last ? encodeCursor(last.createdAtMs, last.id) : null };
  }
}

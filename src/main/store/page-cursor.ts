/**
 * Keyset cursor of a token listing: the sort it was made for and the keys of the last row of a page (base64url
 * JSON, opaque to callers). A cursor is read only for the sort that made it: another's is ERR_CURSOR_MISMATCH.
 */
import type { ListSort } from '../../shared/model.ts';
import { TokenscopeError } from '../../shared/result.ts';

type ReceivedSort = Extract<ListSort, 'received' | '-received'>;
type ExpirySort = Extract<ListSort, 'expires' | '-expires'>;

export type PageCursor =
  | {
      readonly sort: ReceivedSort;
      readonly seq: number;
      /** Set for time-range listings, which page by (createdAtMs, seq). */
      readonly createdAtMs?: number;
    }
  | {
      readonly sort: ExpirySort;
      readonly seq: number;
      /** The last row's expiry; null once the page reached the tokens with no expiry (they come last). */
      readonly expiresAtMs: number | null;
    };

function encoded(fields: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(fields)).toString('base64url');
}

/** A cursor of a listing by received order (`-received`, newest first, unless told). */
export function encodeCursor(seq: number, createdAtMs?: number, sort: ReceivedSort = '-received'): string {
  return encoded(createdAtMs === undefined ? { k: sort, s: seq } : { k: sort, s: seq, c: createdAtMs });
}

/** A cursor of a listing by expiry. */
export function encodeExpiryCursor(sort: ExpirySort, seq: number, expiresAtMs: number | null): string {
  return encoded({ k: sort, s: seq, e: expiresAtMs });
}

function parsed(cursor: string): PageCursor | null {
  try {
    const p = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown> | null;
    if (!p || !Number.isSafeInteger(p.s) || (p.s as number) <= 0) return null;
    const seq = p.s as number;
    if (p.k === 'received' || p.k === '-received') {
      if (p.c === undefined) return { sort: p.k, seq };
      return Number.isSafeInteger(p.c) ? { sort: p.k, seq, createdAtMs: p.c as number } : null;
    }
    if (p.k === 'expires' || p.k === '-expires') {
      return p.e === null || Number.isSafeInteger(p.e) ? { sort: p.k, seq, expiresAtMs: p.e as number | null } : null;
    }
  } catch {
    // fall through: not a cursor
  }
  return null;
}

/** The cursor, checked against the sort it is sent with. */
export function decodeCursor(cursor: string, sort: ListSort = '-received'): PageCursor {
  const c = parsed(cursor);
  if (c === null) throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'the page cursor is not one this app produced');
  if (c.sort !== sort) {
    throw new TokenscopeError(
      'ERR_CURSOR_MISMATCH',
      `the page cursor belongs to a list sorted by ${c.sort}, not ${sort}: start again from the first page`,
      { cursorSort: c.sort, sort },
    );
  }
  return c;
}

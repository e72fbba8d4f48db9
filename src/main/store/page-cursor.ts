/** Keyset cursor of a token listing: the `seq` of the last row of a page (base64url JSON, opaque to callers). */
import { TokenscopeError } from '../../shared/result.ts';

export interface PageCursor {
  readonly seq: number;
  /** Set for time-range listings, which page by (createdAtMs, seq). */
  readonly createdAtMs?: number;
}

export function encodeCursor(seq: number, createdAtMs?: number): string {
  return Buffer.from(JSON.stringify(createdAtMs === undefined ? { s: seq } : { s: seq, c: createdAtMs })).toString('base64url');
}

export function decodeCursor(cursor: string): PageCursor {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { s?: unknown; c?: unknown } | null;
    if (parsed && Number.isSafeInteger(parsed.s) && (parsed.s as number) > 0) {
      if (parsed.c === undefined) return { seq: parsed.s as number };
      if (Number.isSafeInteger(parsed.c)) return { seq: parsed.s as number, createdAtMs: parsed.c as number };
    }
  } catch {
    // fall through to the typed error
  }
  throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'the page cursor is not one this app produced');
}

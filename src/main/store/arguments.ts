/**
 * The store's hand-written argument checks, gathered in one place: they go once the contract dispatch checks
 * arguments against its schemas. Do not add to them.
 */
import type { ListTokensQuery, TokenKind, TokenStatus } from '../../shared/model.ts';
import { EVENT_TYPES, TOKEN_KINDS, TOKEN_STATUSES } from '../../shared/model.ts';
import { TokenscopeError } from '../../shared/result.ts';

function invalid(message: string): TokenscopeError {
  return new TokenscopeError('ERR_INVALID_ARGUMENT', message);
}

export function checkId(id: unknown, what: string): string {
  if (typeof id !== 'string' || id === '' || id.length > 200) throw invalid(`${what} must be a non-empty string`);
  return id;
}

export function checkLimit(limit: number | undefined, fallback: number, max: number): number {
  const n = limit ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > max) throw invalid(`limit must be an integer from 1 to ${String(max)}`);
  return n;
}

export function checkKind(kind: TokenKind, message = 'unknown token kind'): void {
  if (!(TOKEN_KINDS as readonly string[]).includes(kind)) throw invalid(message);
}

export function checkStatus(status: TokenStatus): void {
  if (!(TOKEN_STATUSES as readonly string[]).includes(status)) throw invalid('unknown status');
}

/** A status a caller may set (not 'unreadable', which only the key check sets). */
export function checkSettableStatus(status: TokenStatus): void {
  if (!(TOKEN_STATUSES as readonly string[]).includes(status) || status === 'unreadable')
    throw invalid('unknown or reserved token status');
}

export function checkEventType(type: string): void {
  if (!(EVENT_TYPES as readonly string[]).includes(type)) throw invalid('unknown event type');
}

export function checkIdList(ids: readonly string[]): void {
  const list: unknown = ids;
  if (!Array.isArray(list)) throw invalid('ids must be an array');
}

export function checkDays(days: number): void {
  if (!Number.isFinite(days) || days < 0) throw invalid('days must be a number of days, 0 or more');
}

export function checkQueryObject(query: unknown): void {
  if (query === null || typeof query !== 'object') throw invalid('the query must be an object');
}

export function checkSearchText(text: string): void {
  if (typeof text !== 'string' || text.length > 1000) throw invalid('text must be a string of at most 1000 characters');
}

export function checkMinutes(minutes: ListTokensQuery['expiringWithinMinutes']): void {
  if (typeof minutes !== 'number' || !Number.isFinite(minutes) || minutes < 0)
    throw invalid('expiringWithinMinutes must be 0 or more');
}

export function checkEpochMs(v: unknown, key: string): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(`${key} must be epoch milliseconds`);
}

export function checkGrantType(grantType: unknown): void {
  if (typeof grantType !== 'string' || grantType === '') throw invalid('grantType is required');
}

export function checkProfileInput(input: {
  readonly name: unknown;
  readonly settings: unknown;
  readonly secrets: unknown;
}): void {
  if (typeof input.name !== 'string' || input.name.trim() === '')
    throw new TokenscopeError('ERR_PROFILE_INVALID', 'a profile needs a name');
  if (!input.settings || typeof input.settings !== 'object' || !input.secrets || typeof input.secrets !== 'object') {
    throw new TokenscopeError('ERR_PROFILE_INVALID', 'settings and secrets must be objects');
  }
}

/** A column name for a projection (`eachToken`): letters and underscores only. */
export function checkColumn(column: string): void {
  if (!/^[a-z_]+$/.test(column)) throw invalid('not a column of tokens');
}

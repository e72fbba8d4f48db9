/**
 * The store's own invariants on what its writers hand it (ids and kinds read from an import file, statuses and
 * event types the back end sets). Arguments from a front door are checked once, against the contract's schemas
 * (src/shared/api-schema.ts), before they reach the store: no check here repeats one of those.
 */
import type { TokenKind, TokenStatus } from '../../shared/model.ts';
import { EVENT_TYPES, TOKEN_KINDS, TOKEN_STATUSES } from '../../shared/model.ts';
import { TokenscopeError } from '../../shared/result.ts';

function invalid(message: string): TokenscopeError {
  return new TokenscopeError('ERR_INVALID_ARGUMENT', message);
}

export function checkId(id: unknown, what: string): string {
  if (typeof id !== 'string' || id === '' || id.length > 200) throw invalid(`${what} must be a non-empty string`);
  return id;
}

export function checkKind(kind: TokenKind, message = 'unknown token kind'): void {
  if (!(TOKEN_KINDS as readonly string[]).includes(kind)) throw invalid(message);
}

/** A status a caller may set (not 'unreadable', which only the key check sets). */
export function checkSettableStatus(status: TokenStatus): void {
  if (!(TOKEN_STATUSES as readonly string[]).includes(status) || status === 'unreadable')
    throw invalid('unknown or reserved token status');
}

export function checkEventType(type: string): void {
  if (!(EVENT_TYPES as readonly string[]).includes(type)) throw invalid('unknown event type');
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

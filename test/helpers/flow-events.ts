import type { TokenscopeEvent } from '../../src/shared/api.ts';

/** The error code a final flow-progress event carries (failed or cancelled), undefined otherwise. */
export function flowErrorCode(event: TokenscopeEvent): string | undefined {
  return event.type === 'flow-progress' && (event.state === 'failed' || event.state === 'cancelled')
    ? event.detail.error.code
    : undefined;
}

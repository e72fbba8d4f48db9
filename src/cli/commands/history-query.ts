/** `tokenscope history` list options → the contract's ListTokensQuery (checked here so bad input exits 2 before the history opens). */
import type { ListTokensQuery, TokenKind, TokenStatus } from '../../shared/model.ts';
import { TOKEN_KINDS, TOKEN_STATUSES } from '../../shared/model.ts';
import { badInput, FLAG, strings } from '../args.ts';

export const LIST_OPTIONS = {
  ...strings('filter', 'status', 'kind', 'profile', 'grant', 'expiring', 'from', 'to', 'limit', 'cursor'),
  json: FLAG,
  all: FLAG,
};

function timeArg(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(ms)) throw badInput(`--${name} takes a date (ISO 8601) or epoch milliseconds`);
  return ms;
}

export function queryFrom(values: { readonly [K in keyof typeof LIST_OPTIONS]?: string | boolean }): ListTokensQuery {
  const s = (k: keyof typeof LIST_OPTIONS): string | undefined => (typeof values[k] === 'string' ? values[k] : undefined);
  const status = s('status');
  if (status !== undefined && !(TOKEN_STATUSES as readonly string[]).includes(status)) {
    throw badInput(`--status is one of ${TOKEN_STATUSES.join(', ')}`);
  }
  const kind = s('kind');
  if (kind !== undefined && !(TOKEN_KINDS as readonly string[]).includes(kind)) {
    throw badInput(`--kind is one of ${TOKEN_KINDS.join(', ')}`);
  }
  const expiring = s('expiring');
  const limit = s('limit');
  const from = timeArg(s('from'), 'from');
  const to = timeArg(s('to'), 'to');
  return {
    ...(s('filter') !== undefined ? { text: s('filter') } : {}),
    ...(status !== undefined ? { status: status as TokenStatus } : {}),
    ...(kind !== undefined ? { kind: kind as TokenKind } : {}),
    ...(s('profile') !== undefined ? { profileId: s('profile') } : {}),
    ...(s('grant') !== undefined ? { grantId: s('grant') } : {}),
    ...(expiring !== undefined ? { expiringWithinMinutes: Number(expiring) } : {}),
    ...(from !== undefined ? { fromMs: from } : {}),
    ...(to !== undefined ? { toMs: to } : {}),
    ...(limit !== undefined ? { limit: Number(limit) } : {}),
    ...(s('cursor') !== undefined ? { cursor: s('cursor') } : {}),
  };
}

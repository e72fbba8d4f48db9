/** `tokenscope history` list options → the contract's ListTokensQuery (checked here so bad input exits 2 before the history opens). */
import type { ListSort, ListTokensQuery, TokenKind, TokenStatus } from '../../shared/model.ts';
import { LIST_SORTS, TOKEN_KINDS, TOKEN_STATUSES } from '../../shared/model.ts';
import { badInput, FLAG, strings } from '../args.ts';

export const LIST_OPTIONS = {
  ...strings('filter', 'status', 'kind', 'profile', 'grant', 'expiring', 'from', 'to', 'limit', 'cursor', 'sort'),
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
  const sort = s('sort');
  if (sort !== undefined && !(LIST_SORTS as readonly string[]).includes(sort)) {
    throw badInput(`--sort is one of ${LIST_SORTS.join(', ')} (a leading - sorts descending)`);
  }
  const expiring = s('expiring');
  const limit = s('limit');
  const from = timeArg(s('from'), 'from');
  const to = timeArg(s('to'), 'to');
  return {
    ...(s('filter') !== undefined ? { text: s('filter') } : {}),
    ...(status !== undefined ? { status: status as TokenStatus } : {}),
    ...(kind !== undefined ? { kind: kind as TokenKind } : {}),
    ...(sort !== undefined ? { sort: sort as ListSort } : {}),
    ...(s('profile') !== undefined ? { profileId: s('profile') } : {}),
    ...(s('grant') !== undefined ? { grantId: s('grant') } : {}),
    ...(expiring !== undefined ? { expiringWithinMinutes: Number(expiring) } : {}),
    ...(from !== undefined ? { fromMs: from } : {}),
    ...(to !== undefined ? { toMs: to } : {}),
    ...(limit !== undefined ? { limit: Number(limit) } : {}),
    ...(s('cursor') !== undefined ? { cursor: s('cursor') } : {}),
  };
}

/**
 * `--sort -expires` as `--sort=-expires`: the value is one of a closed list, so a leading dash is not another option
 * (parseArgs alone would call it ambiguous).
 */
export function withSortJoined(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    const next = args[i + 1];
    if (a === '--sort' && next !== undefined && (LIST_SORTS as readonly string[]).includes(next)) {
      out.push(`--sort=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** The arguments again without --cursor, quoted for a POSIX shell where needed: the "more:" line repeats the query. */
export function argsWithoutCursor(args: readonly string[]): string {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--cursor') {
      i++;
      continue;
    }
    if (a.startsWith('--cursor=')) continue;
    out.push(/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`);
  }
  return out.join(' ');
}

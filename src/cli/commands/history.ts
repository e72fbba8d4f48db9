/** `tokenscope history`: list, show, delete, purge and wipe the token history from a terminal. */
import { parseArgs } from 'node:util';
import { createNodePlatform } from '../../main/node-platform.ts';
import { openStore, type Store } from '../../main/store/index.ts';
import type { ListTokensQuery, TokenKind, TokenStatus, TokenSummary } from '../../shared/model.ts';
import { TOKEN_KINDS, TOKEN_STATUSES } from '../../shared/model.ts';
import { TokenscopeError, toAppError } from '../../shared/result.ts';
import { EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, printError, type CliIo, type Command } from '../io.ts';

/** Opens the history in TOKENSCOPE_DATA_DIR (lock file; key file or TOKENSCOPE_PASSPHRASE); prints the error and returns null on failure. */
export async function openCliStore(io: CliIo): Promise<Store | null> {
  try {
    return await openStore(createNodePlatform({ mode: 'cli', env: io.env }));
  } catch (e) {
    const error = toAppError(e);
    printError(io, error.code, error.message);
    return null;
  }
}

/** Prints a thrown error as `error ERR_…: message` and returns the exit code for it. */
export function failWith(io: CliIo, e: unknown): number {
  const error = toAppError(e);
  printError(io, error.code, error.message);
  return error.code === 'ERR_INVALID_ARGUMENT' || error.code === 'ERR_UNKNOWN_FORMAT' ? EXIT_BAD_INPUT : EXIT_FAILURE;
}

/** Runs `fn` with the CLI's store open, closing it whatever happens. */
export async function withStore(io: CliIo, fn: (store: Store) => Promise<number> | number): Promise<number> {
  const store = await openCliStore(io);
  if (!store) return EXIT_FAILURE;
  try {
    return await fn(store);
  } catch (e) {
    return failWith(io, e);
  } finally {
    store.close();
  }
}

function iso(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function row(t: TokenSummary): string {
  const cells = [
    iso(t.createdAtMs),
    t.status.padEnd(10),
    t.kind.padEnd(13),
    (t.issuer ?? '-').slice(0, 40),
    (t.subject ?? '-').slice(0, 30),
    t.preview,
    t.id,
  ];
  return cells.join('  ');
}

const LIST_OPTIONS = {
  json: { type: 'boolean' },
  filter: { type: 'string' },
  status: { type: 'string' },
  kind: { type: 'string' },
  profile: { type: 'string' },
  grant: { type: 'string' },
  expiring: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  limit: { type: 'string' },
  cursor: { type: 'string' },
  all: { type: 'boolean' },
} as const;

function timeArg(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(ms))
    throw new TokenscopeError('ERR_INVALID_ARGUMENT', `--${name} takes a date (ISO 8601) or epoch milliseconds`);
  return ms;
}

function queryFrom(values: Partial<Record<keyof typeof LIST_OPTIONS, string | boolean>>): ListTokensQuery {
  const s = (k: keyof typeof LIST_OPTIONS): string | undefined => (typeof values[k] === 'string' ? values[k] : undefined);
  const status = s('status');
  if (status !== undefined && !(TOKEN_STATUSES as readonly string[]).includes(status)) {
    throw new TokenscopeError('ERR_INVALID_ARGUMENT', `--status is one of ${TOKEN_STATUSES.join(', ')}`);
  }
  const kind = s('kind');
  if (kind !== undefined && !(TOKEN_KINDS as readonly string[]).includes(kind)) {
    throw new TokenscopeError('ERR_INVALID_ARGUMENT', `--kind is one of ${TOKEN_KINDS.join(', ')}`);
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

async function list(args: readonly string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: [...args], options: LIST_OPTIONS, allowPositionals: false }));
  } catch (e) {
    printError(io, 'ERR_INVALID_ARGUMENT', (e as Error).message);
    return EXIT_BAD_INPUT;
  }
  let query: ListTokensQuery;
  try {
    query = queryFrom(values);
  } catch (e) {
    return failWith(io, e);
  }
  return withStore(io, (store) => {
    let page = store.listTokens(query);
    const counts = page.counts;
    if (values.json) {
      if (!values.all) {
        io.stdout(`${JSON.stringify(page)}\n`);
        return EXIT_OK;
      }
      // --all --json: one token per line, so a huge history streams instead of building one array.
      for (;;) {
        for (const t of page.items) io.stdout(`${JSON.stringify(t)}\n`);
        if (!page.nextCursor) return EXIT_OK;
        page = store.listTokens({ ...query, cursor: page.nextCursor });
      }
    }
    if (counts) {
      const chips = TOKEN_STATUSES.filter((st) => counts[st] > 0).map((st) => `${st} ${String(counts[st])}`);
      io.stdout(`${String(counts.total)} token(s)${chips.length ? ` (${chips.join(', ')})` : ''}\n`);
    }
    for (;;) {
      for (const t of page.items) io.stdout(`${row(t)}\n`);
      if (!page.nextCursor) return EXIT_OK;
      if (!values.all) {
        io.stdout(`more: tokenscope history --cursor ${page.nextCursor} (or --all)\n`);
        return EXIT_OK;
      }
      page = store.listTokens({ ...query, cursor: page.nextCursor });
    }
  });
}

async function show(args: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { json: { type: 'boolean' }, reveal: { type: 'boolean' } },
      allowPositionals: true,
    });
  } catch (e) {
    printError(io, 'ERR_INVALID_ARGUMENT', (e as Error).message);
    return EXIT_BAD_INPUT;
  }
  const id = parsed.positionals[0];
  if (id === undefined) {
    printError(io, 'ERR_INVALID_ARGUMENT', 'usage: tokenscope history show <id> [--reveal] [--json]');
    return EXIT_BAD_INPUT;
  }
  return withStore(io, (store) => {
    const detail = store.getToken(id);
    const value = parsed.values.reveal ? store.getTokenValue(id) : undefined;
    if (parsed.values.json) {
      io.stdout(`${JSON.stringify(value === undefined ? detail : { ...detail, value })}\n`);
      return EXIT_OK;
    }
    const t = detail.summary;
    const lines = [
      `id        ${t.id}`,
      `kind      ${t.kind} (${t.format})`,
      `status    ${t.status}${detail.readable ? '' : ' (value not readable with this key: re-obtain the token)'}`,
      `issuer    ${t.issuer ?? '-'}`,
      `subject   ${t.subject ?? '-'}`,
      `client    ${t.clientId ?? '-'}`,
      `scopes    ${t.scopes.join(' ') || '-'}`,
      `issued    ${iso(t.issuedAtMs)}`,
      `expires   ${iso(t.expiresAtMs)}`,
      `saved     ${iso(t.createdAtMs)} (${detail.source})`,
      `grant     ${t.grantId ?? '-'}`,
      `sha256    ${detail.hash}`,
      `value     ${value ?? t.preview}`,
      ...(detail.claims ? [`claims    ${JSON.stringify(detail.claims)}`] : []),
      ...detail.events.map((e) => `event     ${iso(e.atMs)} ${e.type} ${JSON.stringify(e.detail)}`),
    ];
    io.stdout(`${lines.join('\n')}\n`);
    return EXIT_OK;
  });
}

async function remove(args: readonly string[], io: CliIo): Promise<number> {
  if (args.length === 0) {
    printError(io, 'ERR_INVALID_ARGUMENT', 'usage: tokenscope history delete <id>...');
    return EXIT_BAD_INPUT;
  }
  return withStore(io, (store) => {
    const n = store.deleteTokens(args);
    io.stdout(`deleted ${String(n)} token(s)\n`);
    return n === args.length ? EXIT_OK : EXIT_FAILURE;
  });
}

async function purge(args: readonly string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: [...args], options: { 'expired-days': { type: 'string' } } }));
  } catch (e) {
    printError(io, 'ERR_INVALID_ARGUMENT', (e as Error).message);
    return EXIT_BAD_INPUT;
  }
  const days = Number(values['expired-days'] ?? 'x');
  if (!Number.isFinite(days) || days < 0) {
    printError(io, 'ERR_INVALID_ARGUMENT', 'usage: tokenscope history purge --expired-days N');
    return EXIT_BAD_INPUT;
  }
  return withStore(io, (store) => {
    io.stdout(`purged ${String(store.purgeExpired(days))} token(s) expired more than ${String(days)} day(s) ago\n`);
    return EXIT_OK;
  });
}

async function wipe(args: readonly string[], io: CliIo): Promise<number> {
  if (!args.includes('--yes')) {
    printError(io, 'ERR_INVALID_ARGUMENT', 'this deletes every token, grant and event: run `tokenscope history wipe --yes`');
    return EXIT_BAD_INPUT;
  }
  return withStore(io, (store) => {
    io.stdout(`wiped ${String(store.wipe({ profiles: args.includes('--profiles') }))} token(s)\n`);
    return EXIT_OK;
  });
}

async function status(args: readonly string[], io: CliIo): Promise<number> {
  return withStore(io, (store) => {
    const s = store.storageStatus();
    if (args.includes('--json')) io.stdout(`${JSON.stringify(s)}\n`);
    else {
      io.stdout(
        `database  ${s.databasePath} (schema ${String(s.schemaVersion)}, SQLite ${s.sqliteVersion})\nkey       ${s.keyBackend}${s.keyBackend === s.keyProtection ? '' : ` (${s.keyProtection})`}\ntokens    ${String(s.tokenCount)}${s.unreadableCount > 0 ? ` (${String(s.unreadableCount)} unreadable with this key)` : ''}\n`,
      );
    }
    return EXIT_OK;
  });
}

export const historyCommand: Command = {
  name: 'history',
  summary: 'list and search the token history (show, delete, purge, wipe, status)',
  usage: [
    'tokenscope history [--json] [--filter TEXT] [--status S] [--kind K] [--profile ID] [--grant ID]',
    '                   [--expiring MINUTES] [--from DATE] [--to DATE] [--limit N] [--cursor C] [--all]',
    '       tokenscope history show <id> [--reveal] [--json]',
    '       tokenscope history delete <id>...',
    '       tokenscope history purge --expired-days N',
    '       tokenscope history wipe --yes [--profiles]',
    '       tokenscope history status [--json]',
  ].join('\n'),
  run(args, io) {
    const [sub, ...rest] = args;
    switch (sub) {
      case 'show':
        return show(rest, io);
      case 'delete':
        return remove(rest, io);
      case 'purge':
        return purge(rest, io);
      case 'wipe':
        return wipe(rest, io);
      case 'status':
        return status(rest, io);
      default:
        return list(args, io);
    }
  },
};

/** `tokenscope history`: list, show, events, delete, purge and wipe the token history from a terminal. */
import type { TokenscopeBackend } from '../../shared/api.ts';
import type { TokenEvent, TokenPageWithCounts, TokenSummary } from '../../shared/model.ts';
import { countText, LIST_SORT_WORDS, TOKEN_STATUSES } from '../../shared/model.ts';
import type { CliIo, Command } from '../io.ts';
import { EXIT_FAILURE, EXIT_OK } from '../exit-codes.ts';
import { badInput, FLAG, parseOptions, strings } from '../args.ts';
import { argsWithoutCursor, LIST_OPTIONS, queryFrom, withSortJoined } from './history-query.ts';
import { unwrap, withBackend } from '../backend.ts';
import { grantFactsLines } from '../oauth-cli.ts';
import { inertText } from '../../shared/text/inert.ts';
import { cutText } from '../../shared/text/cut.ts';
import { formatRelative } from '../../shared/time/relative.ts';
import { isoSecondsFromMs } from '../../shared/formats/units.ts';

/** Runs `fn` with the back end on the history in TOKENSCOPE_DATA_DIR. */
function withHistory(io: CliIo, fn: (backend: TokenscopeBackend) => Promise<number>): Promise<number> {
  return withBackend(io, { history: 'disk' }, fn);
}

const iso = isoSecondsFromMs;

/** A time with its distance from now in the UI's words: "2026-12-01T10:00:00Z (3 days ago)". */
function when(ms: number | null, nowMs: number): string {
  return ms === null ? '-' : `${iso(ms)} (${formatRelative(ms, nowMs)})`;
}

/** "expires in 55 minutes", "expired 3 days ago", the back end's "lifetime 1 hour, start unknown", "no expiry known". */
function expiryText(t: TokenSummary, nowMs: number): string {
  const { expiresAtMs } = t;
  if (expiresAtMs === null) return t.expiryNote ?? 'no expiry known';
  return `${expiresAtMs > nowMs ? 'expires' : 'expired'} ${formatRelative(expiresAtMs, nowMs)}`;
}

function row(t: TokenSummary, nowMs: number): string {
  const cells = [
    iso(t.createdAtMs),
    t.status.padEnd(10),
    t.kind.padEnd(13),
    expiryText(t, nowMs).padEnd(22),
    // A value's own \n or \t would break the row: shown as markers like every other control character.
    inertText(cutText(t.issuer ?? '-', 40)),
    inertText(cutText(t.subject ?? '-', 30)),
    inertText(t.preview),
    t.id,
  ];
  return cells.join('  ');
}

async function list(given: readonly string[], io: CliIo): Promise<number> {
  const args = withSortJoined(given);
  const { values } = parseOptions(args, LIST_OPTIONS);
  const query = queryFrom(values);
  return withHistory(io, async (backend) => {
    const pageAt = async (cursor?: string): Promise<TokenPageWithCounts> =>
      unwrap(await backend.listTokens(cursor === undefined ? query : { ...query, cursor }));
    let page = await pageAt();
    const counts = page.counts;
    if (values.json === true) {
      if (values.all !== true) {
        io.stdout(`${JSON.stringify(page)}\n`);
        return EXIT_OK;
      }
      // --all --json: one token per line, so a huge history streams instead of building one array.
      for (;;) {
        for (const t of page.items) io.stdout(`${JSON.stringify(t)}\n`);
        if (!page.nextCursor) return EXIT_OK;
        page = await pageAt(page.nextCursor);
      }
    }
    if (counts) {
      const chips = TOKEN_STATUSES.filter((st) => counts[st] > 0).map((st) => `${st} ${countText(counts[st], counts)}`);
      const sorted = query.sort === undefined ? '' : `, ${LIST_SORT_WORDS[query.sort]}`;
      io.stdout(`${countText(counts.total, counts)} token(s)${chips.length ? ` (${chips.join(', ')})` : ''}${sorted}\n`);
    }
    for (;;) {
      for (const t of page.items) io.stdout(`${row(t, Date.now())}\n`);
      if (!page.nextCursor) return EXIT_OK;
      if (values.all !== true) {
        const again = argsWithoutCursor(args);
        io.stdout(`more: tokenscope history ${again ? `${again} ` : ''}--cursor ${page.nextCursor} (or --all)\n`);
        return EXIT_OK;
      }
      page = await pageAt(page.nextCursor);
    }
  });
}

function eventLine(e: TokenEvent, label = ''): string {
  return `${label}${iso(e.atMs)} ${e.type} ${JSON.stringify(e.detail)}`;
}

async function show(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, { json: FLAG, reveal: FLAG }, true);
  const [id] = positionals;
  if (id === undefined) throw badInput('usage: tokenscope history show <id> [--reveal] [--json]');
  return withHistory(io, async (backend) => {
    const detail = unwrap(await backend.getToken(id));
    const value = values.reveal === true ? unwrap(await backend.revealToken(id)).value : undefined;
    if (values.json === true) {
      io.stdout(`${JSON.stringify(value === undefined ? detail : { ...detail, value })}\n`);
      return EXIT_OK;
    }
    const t = detail.summary;
    const nowMs = Date.now();
    const lineage = t.grantId === null ? null : await backend.grantLineage({ grantId: t.grantId });
    const grantLines = lineage?.ok ? grantFactsLines(lineage.value, nowMs) : [];
    const lines = [
      `id        ${t.id}`,
      `kind      ${t.kind} (${t.format})`,
      `status    ${t.status}${detail.readable ? '' : ' (value not readable with this key: re-obtain the token)'}`,
      `issuer    ${inertText(t.issuer ?? '-')}`,
      `subject   ${inertText(t.subject ?? '-')}`,
      `client    ${inertText(t.clientId ?? '-')}`,
      `scopes    ${inertText(t.scopes.join(' ') || '-')}`,
      `issued    ${when(t.issuedAtMs, nowMs)}`,
      `expires   ${t.expiresAtMs === null ? (t.expiryNote ?? 'no expiry known') : when(t.expiresAtMs, nowMs)}`,
      `saved     ${when(t.createdAtMs, nowMs)} (${detail.source})`,
      `grant     ${t.grantId ?? '-'}`,
      ...grantLines,
      `sha256    ${detail.hash}`,
      `value     ${inertText(value ?? t.preview)}`,
      ...(detail.claims ? [`claims    ${JSON.stringify(detail.claims)}`] : []),
      ...detail.events.map((e) => eventLine(e, 'event     ')),
    ];
    io.stdout(`${lines.join('\n')}\n`);
    return EXIT_OK;
  });
}

/** `history events TOKEN_ID`: what happened to a token (saved, refreshed, verified, ...), newest first. */
async function events(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, { json: FLAG, ...strings('limit') }, true);
  const [tokenId] = positionals;
  if (tokenId === undefined || positionals.length > 1)
    throw badInput('usage: tokenscope history events <id> [--limit N] [--json]');
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  return withHistory(io, async (backend) => {
    const list = unwrap(await backend.getEvents({ tokenId, ...(limit !== undefined ? { limit } : {}) }));
    // No events: say whether the token exists at all (ERR_NOT_FOUND for a mistyped id).
    if (list.length === 0) unwrap(await backend.getToken(tokenId));
    if (values.json === true) io.stdout(`${JSON.stringify(list)}\n`);
    else io.stdout(list.length === 0 ? 'no events\n' : `${list.map((e) => eventLine(e)).join('\n')}\n`);
    return EXIT_OK;
  });
}

async function remove(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals: ids } = parseOptions(args, { json: FLAG }, true);
  if (ids.length === 0) throw badInput('usage: tokenscope history delete <id>... [--json]');
  return withHistory(io, async (backend) => {
    const { deleted } = unwrap(await backend.deleteTokens({ ids }));
    io.stdout(values.json === true ? `${JSON.stringify({ deleted })}\n` : `deleted ${String(deleted)} token(s)\n`);
    return deleted === ids.length ? EXIT_OK : EXIT_FAILURE;
  });
}

async function purge(args: readonly string[], io: CliIo): Promise<number> {
  // --expired-days is the older name of --older-than.
  const { values } = parseOptions(args, { ...strings('older-than', 'expired-days'), json: FLAG });
  const given = values['older-than'] ?? values['expired-days'];
  const days = Number(given ?? 'x');
  if (!Number.isFinite(days) || days < 0 || (values['older-than'] !== undefined && values['expired-days'] !== undefined))
    throw badInput('usage: tokenscope history purge --older-than DAYS [--json]');
  return withHistory(io, async (backend) => {
    const { deleted } = unwrap(await backend.purgeExpired({ olderThanDays: days }));
    io.stdout(
      values.json === true
        ? `${JSON.stringify({ deleted, olderThanDays: days })}\n`
        : `purged ${String(deleted)} token(s) expired more than ${String(days)} day(s) ago\n`,
    );
    return EXIT_OK;
  });
}

async function wipe(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(args, { yes: FLAG, profiles: FLAG, json: FLAG });
  if (values.yes !== true) throw badInput('this deletes every token, grant and event: run `tokenscope history wipe --yes`');
  return withHistory(io, async (backend) => {
    const { deletedTokens } = unwrap(await backend.wipeHistory({ profiles: values.profiles === true }));
    io.stdout(values.json === true ? `${JSON.stringify({ deletedTokens })}\n` : `wiped ${String(deletedTokens)} token(s)\n`);
    return EXIT_OK;
  });
}

async function status(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(args, { json: FLAG });
  return withHistory(io, async (backend) => {
    const s = unwrap(await backend.storageStatus());
    if (values.json === true) io.stdout(`${JSON.stringify(s)}\n`);
    else {
      io.stdout(
        `database  ${s.databasePath} (schema ${String(s.schemaVersion)}, SQLite ${s.sqliteVersion})\nkey       ${s.protectionName.label} — ${s.keyBackend}\n          ${s.protectionName.summary}\ntokens    ${String(s.tokenCount)}${s.unreadableCount > 0 ? ` (${String(s.unreadableCount)} unreadable with this key)` : ''}\n`,
      );
    }
    if (s.unreadableCount === 0) return EXIT_OK;
    io.stderr(
      `error: ${String(s.unreadableCount)} token(s) cannot be read: they were sealed with a data key that ${s.keyBackend} cannot unwrap (another passphrase or key file); re-obtain them, or open this history with the key that sealed them\n`,
    );
    return EXIT_FAILURE;
  });
}

type Subcommand = (args: readonly string[], io: CliIo) => Promise<number>;
const SUBCOMMANDS = new Map<string, Subcommand>(Object.entries({ show, events, delete: remove, purge, wipe, status }));

export const historyCommand: Command = {
  name: 'history',
  summary: 'list and search the token history (show, events, delete, purge, wipe, status)',
  usage: [
    'tokenscope history [--json] [--filter TEXT] [--status S] [--kind K] [--profile ID] [--grant ID]',
    '                   [--expiring MINUTES] [--from DATE] [--to DATE] [--limit N] [--cursor C] [--all]',
    '                   [--sort -received|received|expires|-expires]   (default -received: newest first;',
    '                   expires: soonest expiry first, -expires: latest first; no expiry last in both)',
    '       tokenscope history show <id> [--reveal] [--json]',
    '       tokenscope history events <id> [--limit N] [--json]',
    '       tokenscope history delete <id>... [--json]',
    '       tokenscope history purge --older-than DAYS [--json]   (tokens expired more than DAYS days ago)',
    '       tokenscope history wipe --yes [--profiles] [--json]',
    '       tokenscope history status [--json]',
  ].join('\n'),
  run(args, io) {
    const [sub, ...rest] = args;
    const subcommand = sub === undefined ? undefined : SUBCOMMANDS.get(sub);
    return subcommand ? subcommand(rest, io) : list(args, io);
  },
};

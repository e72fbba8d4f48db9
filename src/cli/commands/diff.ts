/** `tokenscope diff A B`: what changed between two tokens (before and after a refresh, two environments...). */
import { existsSync } from 'node:fs';
import type { TokenscopeBackend } from '../../shared/api.ts';
import type { HistoryDiff } from '../../shared/issuance.ts';
import type { DiffTokensResult } from '../../shared/token/convert.ts';
import { TokenscopeError } from '../../shared/result.ts';
import type { CliIo, Command } from '../io.ts';
import { EXIT_OK } from '../exit-codes.ts';
import { badInput, FLAG, parseOptions } from '../args.ts';
import { unwrap, withBackend } from '../backend.ts';
import { readInput } from '../input.ts';

/** A side is a file (or - for stdin) when one exists by that name, else a token id of the history. */
const isFile = (side: string): boolean => side === '-' || existsSync(side);

function notFound(side: string): TokenscopeError {
  return new TokenscopeError('ERR_NOT_FOUND', `"${side.slice(0, 60)}" is neither a file nor a token of the history`);
}

/** The text of one side: the file's, or the stored value of a history token (revealed through the contract). */
async function textOf(side: string, backend: TokenscopeBackend, io: CliIo): Promise<string> {
  if (isFile(side)) return readInput(side, io);
  const revealed = await backend.revealToken(side);
  if (!revealed.ok && revealed.error.code === 'ERR_NOT_FOUND') throw notFound(side);
  return unwrap(revealed).value;
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? 'undefined';
}

function sideText(side: DiffTokensResult['a']): string {
  return `${side.kind}${side.format ? ` (${side.format})` : ''}`;
}

function renderDiff(r: DiffTokensResult): string {
  return renderEntries([`a  ${sideText(r.a)}`, `b  ${sideText(r.b)}`, ''], r);
}

function renderHistoryDiff(r: HistoryDiff): string {
  return renderEntries([`a  ${r.a.tokenId} (${r.a.issuance})`, `b  ${r.b.tokenId} (${r.b.issuance})`, ''], r);
}

function renderEntries(lines: string[], r: Pick<DiffTokensResult, 'diff' | 'claims'>): string {
  if (r.diff.entries.length === 0 && r.claims.length === 0) lines.push('no differences');
  for (const e of r.diff.entries) lines.push(`${e.change.padEnd(10)} ${e.summary}`);
  if (r.claims.length > 0) {
    lines.push('', 'Claims');
    for (const c of r.claims) {
      const change =
        c.change === 'added' ? show(c.after) : c.change === 'removed' ? show(c.before) : `${show(c.before)} → ${show(c.after)}`;
      lines.push(`  ${c.change.padEnd(8)} ${c.name}: ${change}`);
    }
  }
  if (r.diff.unchanged.length > 0) lines.push('', `unchanged: ${r.diff.unchanged.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/** A and B: two sides, at most one of them stdin. */
function sidesOf(positionals: readonly string[]): readonly [string, string] {
  const [a, b] = positionals;
  if (a === undefined || b === undefined || positionals.length > 2) throw badInput('diff takes two tokens: A B');
  if (a === '-' && b === '-') throw badInput('only one side can be read from stdin');
  return [a, b];
}

export const diffCommand: Command = {
  name: 'diff',
  summary: 'what changed between two tokens: two history token ids, or two files (- for stdin)',
  usage: [
    'tokenscope diff A B [--json]',
    '  A and B are files (- for stdin) or token ids of the history (see tokenscope history).',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseOptions(args, { json: FLAG }, true);
    const [a, b] = sidesOf(positionals);
    // The history is opened only when a side is a token id: a diff of two files runs beside a running app.
    const history = isFile(a) && isFile(b) ? 'none' : 'disk';
    return withBackend(io, { history }, async (backend) => {
      if (!isFile(a) && !isFile(b)) {
        // Two history tokens: the back end compares their canonical records, each with its own issuance (as Compare does).
        for (const side of [a, b]) {
          const known = await backend.getToken(side);
          if (!known.ok && known.error.code === 'ERR_NOT_FOUND') throw notFound(side);
        }
        const historyDiff = unwrap(await backend.diffHistoryTokens({ a, b }));
        io.stdout(values.json === true ? `${JSON.stringify(historyDiff, null, 2)}\n` : renderHistoryDiff(historyDiff));
        return EXIT_OK;
      }
      const result = unwrap(await backend.diffTokens({ a: await textOf(a, backend, io), b: await textOf(b, backend, io) }));
      io.stdout(values.json === true ? `${JSON.stringify(result, null, 2)}\n` : renderDiff(result));
      return EXIT_OK;
    });
  },
};

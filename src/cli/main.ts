/** Entry point of the `tokenscope` command line: dispatches to one subcommand. */
import { APP } from '../main/app-version.ts';
import type { Command } from './io.ts';
import { TokenscopeError } from '../shared/result.ts';
import { toAppError } from '../main/errors.ts';
import { EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, EXIT_OUTPUT_CLOSED, failWith } from './exit-codes.ts';
import { inertIo, OutputClosed, printError, processIo, type CliIo } from './io.ts';

/** The command table, imported when a command (or the help) needs it: `--version` parses none of it. */
async function commands(): Promise<readonly Command[]> {
  return (await import('./commands/index.ts')).COMMANDS;
}

function helpText(table: readonly Command[]): string {
  const width = Math.max(...table.map((c) => c.name.length));
  return [
    `tokenscope ${APP.version} — inspect, obtain and keep OAuth 2.0 / OpenID Connect tokens`,
    '',
    'Usage: tokenscope <command> [options]',
    '',
    'Commands:',
    ...table.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  --help, -h     show this help (or `tokenscope <command> --help`)',
    '  --version, -v  print the version (with --verbose: Node, and whether the bundle or the sources run)',
    '',
    'Environment: TOKENSCOPE_DATA_DIR (where the history lives), TOKENSCOPE_PASSPHRASE (key from a passphrase).',
    '',
  ].join('\n');
}

/**
 * `argv` without node and the script; `from`: which code runs (the bundle or the sources, and why), told
 * by bin/tokenscope.mjs for `--version --verbose`.
 */
export async function main(argv: readonly string[], rawIo: CliIo = processIo(), from?: string): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === '--version' || first === '-v') {
      inertIo(rawIo, false).stdout(
        rest.includes('--verbose')
          ? `tokenscope ${APP.version}\nnode ${process.version}\n${from ?? 'running from the TypeScript sources'}\n`
          : `${APP.version}\n`,
      );
      return EXIT_OK;
    }
    const table = await commands();
    // Every output goes through one inert writer; with --json stdout is exact JSON.
    const json = argv.includes('--json') || table.find((c) => c.name === first)?.jsonOutput === true;
    return await dispatch(argv, inertIo(rawIo, json), table);
  } catch (e) {
    // The reader went away (`| head -1`): nothing more to say, and no stack trace.
    if (e instanceof OutputClosed) return EXIT_OUTPUT_CLOSED;
    throw e;
  }
}

async function dispatch(argv: readonly string[], io: CliIo, table: readonly Command[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.stdout(helpText(table));
    return first === undefined ? EXIT_BAD_INPUT : EXIT_OK;
  }
  const command = table.find((c) => c.name === first);
  if (!command) {
    printError(io, 'ERR_INVALID_ARGUMENT', `unknown command "${first.slice(0, 40)}" (see tokenscope --help)`);
    return EXIT_BAD_INPUT;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${command.summary}\n\nUsage: ${command.usage}\n`);
    return EXIT_OK;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof OutputClosed) throw e;
    // Our errors (and the library errors toAppError knows) are printed with their exit status; anything
    // else is a bug, still one line and never a stack trace.
    if (e instanceof TokenscopeError || toAppError(e).code !== 'ERR_INTERNAL') return failWith(io, e);
    printError(io, 'ERR_INTERNAL', `internal error in "${command.name}"`);
    return EXIT_FAILURE;
  }
}

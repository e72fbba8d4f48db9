/** `tokenscope convert --to ID`: prints a token in another format's shape; findings go to stderr. */
import { parseArgs } from 'node:util';
import { EXIT_BAD_INPUT, EXIT_OK, printError, type Command } from '../io.ts';
import { convertText } from '../../shared/token/convert.ts';
import { readInput, reportError } from './inspect.ts';

export const convertCommand: Command = {
  name: 'convert',
  summary: 'print a token in the shape of one of the documented formats (findings on stderr)',
  usage: 'tokenscope convert --to ID [--from ID] [--case snake|camel] [FILE|-]',
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...args],
        allowPositionals: true,
        options: { to: { type: 'string' }, from: { type: 'string' }, case: { type: 'string' } },
      });
    } catch (e) {
      printError(io, 'ERR_INVALID_ARGUMENT', (e as Error).message);
      return EXIT_BAD_INPUT;
    }
    const { values, positionals } = parsed;
    if (values.to === undefined) {
      printError(io, 'ERR_INVALID_ARGUMENT', '--to ID is required (see tokenscope formats)');
      return EXIT_BAD_INPUT;
    }
    if (values.case !== undefined && values.case !== 'snake' && values.case !== 'camel') {
      printError(io, 'ERR_INVALID_ARGUMENT', '--case is snake or camel');
      return EXIT_BAD_INPUT;
    }
    if (positionals.length > 1) {
      printError(io, 'ERR_INVALID_ARGUMENT', 'give at most one FILE (or - for stdin)');
      return EXIT_BAD_INPUT;
    }
    try {
      const text = await readInput(positionals[0], io);
      const result = convertText({
        text,
        to: values.to,
        ...(values.from !== undefined ? { from: values.from } : {}),
        ...(values.case !== undefined ? { case: values.case } : {}),
      });
      io.stdout(`${JSON.stringify(result.output, null, 2)}\n`);
      for (const f of result.findings) io.stderr(`finding ${f.code}${f.field ? ` [${f.field}]` : ''}: ${f.message}\n`);
      return EXIT_OK;
    } catch (e) {
      return reportError(io, e);
    }
  },
};

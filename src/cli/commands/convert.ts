/** `tokenscope convert --to ID`: prints a token in another format's shape; findings go to stderr. */
import type { KeyCase } from '../../shared/formats/mapping.ts';
import type { Command } from '../io.ts';
import { EXIT_OK } from '../exit-codes.ts';
import { badInput, FLAG, parseOptions, strings } from '../args.ts';
import { unwrap, withBackend } from '../backend.ts';
import { oneInput, readInput } from '../input.ts';

export const convertCommand: Command = {
  name: 'convert',
  summary: 'print a token in the shape of one of the documented formats (findings on stderr)',
  usage:
    'tokenscope convert --to ID [--from ID] [--case snake|camel] [--json] [FILE|-]\n  stdout is the token in JSON, with or without --json.',
  jsonOutput: true,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, { ...strings('to', 'from', 'case'), json: FLAG }, true);
    const { to, from, case: keyCase } = values;
    if (to === undefined) throw badInput('--to ID is required (see tokenscope formats)');
    const caseOption: { readonly case?: KeyCase } | undefined =
      keyCase === undefined ? {} : keyCase === 'snake' || keyCase === 'camel' ? { case: keyCase } : undefined;
    if (caseOption === undefined) throw badInput('--case is snake or camel');
    const text = await readInput(oneInput(positionals), io);
    const request = { text, to, ...(from !== undefined ? { from } : {}), ...caseOption };
    return withBackend(io, { history: 'none' }, async (backend) => {
      const result = unwrap(await backend.convertToken(request));
      io.stdout(`${JSON.stringify(result.output, null, 2)}\n`);
      for (const f of result.findings) io.stderr(`finding ${f.code}${f.field ? ` [${f.field}]` : ''}: ${f.message}\n`);
      return EXIT_OK;
    });
  },
};

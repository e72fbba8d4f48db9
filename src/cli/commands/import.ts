/** `tokenscope import FILE`: imports a bundle (plain or encrypted), a token-format file or JSON lines, and prints the counts. */
import { parseArgs } from 'node:util';
import { readImportFile } from '../../main/store/history-service.ts';
import { importContent } from '../../main/store/import.ts';
import { EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, printError, type Command } from '../io.ts';
import { withStore } from './history.ts';

export const importCommand: Command = {
  name: 'import',
  summary: 'import tokens from a bundle, a token-format file or JSON lines',
  usage: [
    'tokenscope import FILE [--json] [--skip-bad] [--format FORMAT_ID]',
    '  An encrypted bundle takes its passphrase from TOKENSCOPE_PASSPHRASE.',
    '  Without --skip-bad one bad record means nothing is imported. --format reads every record as that format.',
  ].join('\n'),
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...args],
        options: { json: { type: 'boolean' }, 'skip-bad': { type: 'boolean' }, format: { type: 'string' } },
        allowPositionals: true,
      });
    } catch (e) {
      printError(io, 'ERR_INVALID_ARGUMENT', (e as Error).message);
      return EXIT_BAD_INPUT;
    }
    const file = parsed.positionals[0];
    if (file === undefined || parsed.positionals.length > 1) {
      printError(io, 'ERR_INVALID_ARGUMENT', 'usage: tokenscope import FILE [--json] [--skip-bad]');
      return EXIT_BAD_INPUT;
    }
    return withStore(io, async (store) => {
      const content = readImportFile(file);
      const passphrase = io.env['TOKENSCOPE_PASSPHRASE'];
      const report = await importContent(store, {
        content,
        ...(passphrase ? { passphrase } : {}),
        skipBad: parsed.values['skip-bad'] === true,
        ...(parsed.values.format !== undefined ? { format: parsed.values.format } : {}),
      });
      if (parsed.values.json) {
        io.stdout(`${JSON.stringify(report)}\n`);
      } else {
        io.stdout(
          `${report.committed ? 'imported' : 'NOT imported (bad records; use --skip-bad to import the rest)'}: ${String(report.imported)} new, ${String(report.duplicates)} already present, ${String(report.rejected)} rejected (read as ${report.detected})\n`,
        );
        for (const r of report.records) {
          if (r.outcome === 'rejected') io.stdout(`  record ${String(r.index)}: ${r.code ?? ''} ${r.message ?? ''}\n`);
          else if (r.dropped) io.stdout(`  record ${String(r.index)}: not kept: ${r.dropped.join(', ')}\n`);
        }
      }
      return report.committed ? EXIT_OK : EXIT_FAILURE;
    });
  },
};

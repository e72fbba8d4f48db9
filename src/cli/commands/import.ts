/** `tokenscope import FILE`: imports a bundle (plain or encrypted), a token-format file or JSON lines, and prints the counts. */
import type { ImportReport } from '../../shared/model.ts';
import type { Command } from '../io.ts';
import { EXIT_FAILURE, EXIT_OK } from '../exit-codes.ts';
import { badInput, FLAG, parseOptions, STRING } from '../args.ts';
import { unwrap, withBackend } from '../backend.ts';
import { counterOn } from '../progress.ts';

function reportText(report: ImportReport): string {
  const lines = [
    `${report.committed ? 'imported' : 'NOT imported (bad records; use --skip-bad to import the rest)'}: ${String(report.imported)} new, ${String(report.duplicates)} already present, ${String(report.rejected)} rejected (read as ${report.detected})`,
  ];
  for (const r of report.records) {
    if (r.outcome === 'rejected') lines.push(`  record ${String(r.index)}: ${r.code ?? ''} ${r.message ?? ''}`);
    else if (r.dropped) lines.push(`  record ${String(r.index)}: not kept: ${r.dropped.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

export const importCommand: Command = {
  name: 'import',
  summary: 'import tokens from a bundle, a token-format file or JSON lines',
  usage: [
    'tokenscope import FILE|- [--json] [--skip-bad] [--format FORMAT_ID]',
    '  An encrypted bundle takes its passphrase from TOKENSCOPE_PASSPHRASE.',
    '  Without --skip-bad one bad record means nothing is imported. --format reads every record as that format.',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseOptions(args, { json: FLAG, 'skip-bad': FLAG, format: STRING }, true);
    const [file] = positionals;
    if (file === undefined || positionals.length > 1) throw badInput('usage: tokenscope import FILE [--json] [--skip-bad]');
    const passphrase = io.env['TOKENSCOPE_PASSPHRASE'];
    // FILE answers the back end's open dialog: the back end reads it as a stream, capped, as in the app
    // (devices and FIFOs too). `-` is stdin, read through the same capped reader here.
    const content =
      file === '-'
        ? await (await import('../../main/history/history-service.ts')).readImportStream(io.stdin, 'stdin')
        : undefined;
    return withBackend(io, { history: 'disk', ...(content === undefined ? { openFrom: file } : {}) }, async (backend) => {
      // The back end's import-progress events as a counter on a terminal (silent elsewhere).
      const counter = counterOn(io, 'Importing');
      const stop = backend.onEvent((event) => {
        if (event.type === 'import-progress') counter.update(event.done, event.total);
      });
      let result;
      try {
        result = await backend.importTokens({
          ...(content !== undefined ? { content } : {}),
          ...(passphrase ? { passphrase } : {}),
          skipBad: values['skip-bad'] === true,
          ...(values.format !== undefined ? { format: values.format } : {}),
        });
      } finally {
        stop();
        counter.end();
      }
      const report = unwrap(result);
      io.stdout(values.json === true ? `${JSON.stringify(report)}\n` : reportText(report));
      return report.committed ? EXIT_OK : EXIT_FAILURE;
    });
  },
};

/** `tokenscope import FILE`: imports a bundle (plain or encrypted), a token-format file or JSON lines, and prints the counts. */
import type { ImportReport } from '../../shared/model.ts';
import type { Command } from '../io.ts';
import { EXIT_FAILURE, EXIT_OK } from '../exit-codes.ts';
import { badInput, FLAG, parseOptions, STRING } from '../args.ts';
import { unwrap, withBackend } from '../backend.ts';
import { counterOn } from '../progress.ts';
import { bundlePassphrase, canPrompt, promptHidden } from '../secret-input.ts';

function reportText(report: ImportReport): string {
  const lines = [
    `${report.committed ? 'imported' : 'NOT imported (bad records; use --skip-bad to import the rest)'}: ${String(report.imported)} new, ${String(report.duplicates)} already present, ${String(report.rejected)} rejected (read as ${report.detected})`,
  ];
  for (const r of report.records) {
    if (r.outcome === 'rejected') lines.push(`  record ${String(r.index)}: ${r.code ?? ''} ${r.message ?? ''}`);
    for (const n of r.fieldNotes ?? []) lines.push(`  record ${String(r.index)}: ${n.field} ${n.why}`);
  }
  return `${lines.join('\n')}\n`;
}

export const importCommand: Command = {
  name: 'import',
  summary: 'import tokens from a bundle, a token-format file or JSON lines',
  usage: [
    'tokenscope import FILE|- [--json] [--skip-bad] [--format FORMAT_ID] [--passphrase-file FILE]',
    "  An encrypted bundle's passphrase: --passphrase-file, else TOKENSCOPE_BUNDLE_PASSPHRASE, else asked (no echo)",
    "  on a terminal. TOKENSCOPE_PASSPHRASE is the history's key, never a bundle's.",
    '  Without --skip-bad one bad record means nothing is imported. --format reads every record as that format.',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseOptions(
      args,
      { json: FLAG, 'skip-bad': FLAG, format: STRING, 'passphrase-file': STRING },
      true,
    );
    const [file] = positionals;
    if (file === undefined || positionals.length > 1) throw badInput('usage: tokenscope import FILE [--json] [--skip-bad]');
    const given = await bundlePassphrase(io, values['passphrase-file'], 'decrypt-if-needed');
    // FILE answers the back end's open dialog: the back end reads it as a stream, a record at a time, capped, as in
    // the app (devices and FIFOs too). `-` is stdin, streamed the same way (it can be read once: no second try).
    return withBackend(io, { history: 'disk', openFrom: file }, async (backend) => {
      // The back end's import-progress events as a counter on a terminal (silent elsewhere).
      const counter = counterOn(io, 'Importing');
      const stop = backend.onEvent((event) => {
        if (event.type === 'import-progress') counter.update(event.done, event.total);
      });
      const attempt = (passphrase: string | undefined) =>
        backend.importTokens({
          ...(passphrase ? { passphrase } : {}),
          skipBad: values['skip-bad'] === true,
          ...(values.format !== undefined ? { format: values.format } : {}),
        });
      let result;
      try {
        result = await attempt(given);
        // An encrypted bundle and no passphrase given: ask for it on a terminal (never take the history's).
        const detail = result.ok ? undefined : (result.error.detail as { passphraseMissing?: unknown } | undefined);
        if (detail?.passphraseMissing === true && given === undefined && file !== '-' && canPrompt(io)) {
          result = await attempt((await promptHidden(io, 'Passphrase of the bundle: ')) ?? undefined);
        }
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

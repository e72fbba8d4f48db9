/** `tokenscope export`: writes the history (or a filtered part) to --out in a format, with the redaction asked for. */
import type { ExportRequest, Redaction } from '../../shared/model.ts';
import { REDACTIONS } from '../../shared/model.ts';
import type { CliIo, Command } from '../io.ts';
import { EXIT_OK } from '../exit-codes.ts';
import { badInput, FLAG, parseOptions, strings } from '../args.ts';
import { unwrap, withBackend } from '../backend.ts';
import { counterOn } from '../progress.ts';
import { bundlePassphrase } from '../secret-input.ts';

const OPTIONS = {
  ...strings('format', 'out', 'redact', 'passphrase-file', 'filter', 'status'),
  encrypt: FLAG,
  'include-values': FLAG,
  json: FLAG,
};

/** The bundle passphrase of --encrypt: --passphrase-file, TOKENSCOPE_BUNDLE_PASSPHRASE or the prompt (never the history's). */
async function passphraseOf(file: string | undefined, io: CliIo): Promise<string> {
  const passphrase = await bundlePassphrase(io, file, 'encrypt');
  if (!passphrase)
    throw badInput(
      '--encrypt needs a passphrase: give --passphrase-file or set TOKENSCOPE_BUNDLE_PASSPHRASE (or run it on a terminal)',
    );
  return passphrase;
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'export tokens to a file (bundle, csv, env, or a token format id)',
  usage: [
    'tokenscope export --format bundle|csv|env|<format id> --out FILE [--redact full|masked|hash] [--encrypt]',
    '                  [--filter TEXT] [--status S] [--include-values] [--json]',
    '  --encrypt takes the bundle passphrase from --passphrase-file FILE, else TOKENSCOPE_BUNDLE_PASSPHRASE, else asks',
    "  (no echo, twice) on a terminal. TOKENSCOPE_PASSPHRASE is the history's key, never a bundle's.",
  ].join('\n'),
  async run(args, io) {
    const { values } = parseOptions(args, OPTIONS);
    const { format, out } = values;
    if (!format || !out) throw badInput('give --format and --out (see tokenscope export --help)');
    const redact = values.redact ?? 'full';
    if (!(REDACTIONS as readonly string[]).includes(redact)) throw badInput('--redact is full, masked or hash');
    const passphrase = values.encrypt === true ? await passphraseOf(values['passphrase-file'], io) : undefined;
    const filter = {
      ...(values.filter !== undefined ? { text: values.filter } : {}),
      ...(values.status !== undefined ? { status: values.status as NonNullable<ExportRequest['filter']>['status'] } : {}),
    };
    const request: ExportRequest = {
      format,
      redact: redact as Redaction,
      ...(passphrase !== undefined ? { encrypt: true, passphrase } : {}),
      ...(Object.keys(filter).length > 0 ? { filter } : {}),
      ...(values['include-values'] ? { includeValues: true } : {}),
    };
    // --out answers the back end's save dialog: the export runs exactly as in the app.
    return withBackend(io, { history: 'disk', saveTo: out }, async (backend) => {
      // The back end's export-progress events as a counter on a terminal (silent elsewhere).
      const counter = counterOn(io, 'Exporting', 'tokens');
      const stop = backend.onEvent((event) => {
        if (event.type === 'export-progress' && event.total !== null) counter.update(event.done, event.total);
      });
      let result;
      try {
        result = unwrap(await backend.exportTokens(request));
      } finally {
        stop();
        counter.end();
      }
      io.stdout(
        values.json
          ? `${JSON.stringify(result)}\n`
          : `exported ${String(result.tokenCount)} token(s) to ${result.path} (${result.format}, redact=${result.redact}${result.encrypted ? ', encrypted' : ''}, ${String(result.bytes)} bytes)\n${
              result.notRepresentable ? `  not representable in ${result.format}: ${result.notRepresentable.join(', ')}\n` : ''
            }`,
      );
      return EXIT_OK;
    });
  },
};

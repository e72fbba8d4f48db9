/** `tokenscope export`: writes the history (or a filtered part) to --out in a format, with the redaction asked for. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createNodePlatform } from '../../main/node-platform.ts';
import { exportToFile } from '../../main/store/export.ts';
import type { ExportRequest, Redaction } from '../../shared/model.ts';
import { REDACTIONS } from '../../shared/model.ts';
import { EXIT_BAD_INPUT, EXIT_OK, printError, type Command } from '../io.ts';
import { withStore } from './history.ts';

export const exportCommand: Command = {
  name: 'export',
  summary: 'export tokens to a file (bundle, csv, env, or a token format id)',
  usage: [
    'tokenscope export --format bundle|csv|env|<format id> --out FILE [--redact full|masked|hash] [--encrypt]',
    '                  [--filter TEXT] [--status S] [--include-values] [--json]',
    '  --encrypt takes the passphrase from TOKENSCOPE_PASSPHRASE or --passphrase-file FILE.',
  ].join('\n'),
  async run(args, io) {
    let values;
    try {
      ({ values } = parseArgs({
        args: [...args],
        options: {
          format: { type: 'string' },
          out: { type: 'string' },
          redact: { type: 'string' },
          encrypt: { type: 'boolean' },
          'passphrase-file': { type: 'string' },
          filter: { type: 'string' },
          status: { type: 'string' },
          'include-values': { type: 'boolean' },
          json: { type: 'boolean' },
        },
      }));
    } catch (e) {
      printError(io, 'ERR_INVALID_ARGUMENT', (e as Error).message);
      return EXIT_BAD_INPUT;
    }
    if (!values.format || !values.out) {
      printError(io, 'ERR_INVALID_ARGUMENT', 'give --format and --out (see tokenscope export --help)');
      return EXIT_BAD_INPUT;
    }
    const redact = values.redact ?? 'full';
    if (!(REDACTIONS as readonly string[]).includes(redact)) {
      printError(io, 'ERR_INVALID_ARGUMENT', '--redact is full, masked or hash');
      return EXIT_BAD_INPUT;
    }
    let passphrase: string | undefined;
    if (values.encrypt) {
      try {
        passphrase = values['passphrase-file']
          ? readFileSync(values['passphrase-file'], 'utf8').replace(/\r?\n$/, '')
          : io.env['TOKENSCOPE_PASSPHRASE'];
      } catch {
        printError(io, 'ERR_INVALID_ARGUMENT', 'cannot read --passphrase-file');
        return EXIT_BAD_INPUT;
      }
      if (!passphrase) {
        printError(
          io,
          'ERR_INVALID_ARGUMENT',
          '--encrypt needs a passphrase: set TOKENSCOPE_PASSPHRASE or give --passphrase-file',
        );
        return EXIT_BAD_INPUT;
      }
    }
    const filter = {
      ...(values.filter !== undefined ? { text: values.filter } : {}),
      ...(values.status !== undefined ? { status: values.status as NonNullable<ExportRequest['filter']>['status'] } : {}),
    };
    const request: ExportRequest = {
      format: values.format,
      redact: redact as Redaction,
      ...(values.encrypt ? { encrypt: true, passphrase } : {}),
      ...(Object.keys(filter).length > 0 ? { filter } : {}),
      ...(values['include-values'] ? { includeValues: true } : {}),
    };
    const now = createNodePlatform({ mode: 'cli', env: io.env }).now();
    return withStore(io, async (store) => {
      const result = await exportToFile(store, request, resolve(values.out ?? ''), now);
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

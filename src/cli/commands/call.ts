/** `tokenscope call TOKEN_ID URL [-X METHOD] [-H 'K: V']… [--data BODY] [--refresh] [--curl [--reveal]] [--json]`: call an API with a stored token. */
import type { ApiCallAttempt, ApiCallResult } from '../../shared/api-call.ts';
import type { CliIo, Command } from '../io.ts';
import { EXIT_FAILURE, EXIT_OK } from '../exit-codes.ts';
import { badInput, FLAG, parseOptions, STRING, STRINGS } from '../args.ts';
import { unwrap, withBackend } from '../backend.ts';
import { parseHeaderLine } from '../../shared/net/header-line.ts';

function headersOf(values: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const value of values) {
    const header = parseHeaderLine(value);
    if (!header) throw badInput(`-H takes 'Name: value', not ${JSON.stringify(value)}`);
    headers[header[0]] = header[1];
  }
  return headers;
}

function printAttempt(io: CliIo, attempt: ApiCallAttempt, verbose: boolean): void {
  if (attempt.failure) {
    io.stdout(`no answer: ${attempt.failure.code}: ${attempt.failure.message}\n`);
    return;
  }
  const response = attempt.response;
  if (!response) return;
  io.stdout(`HTTP ${response.status}  ${response.durationMs} ms\n`);
  if (verbose) for (const [name, value] of Object.entries(response.headers)) io.stdout(`${name}: ${value}\n`);
  const body = response.prettyBody ?? response.body;
  if (body) io.stdout(`\n${body}\n`);
  if (attempt.explanation.length > 0) {
    io.stdout('\nWhy:\n');
    for (const line of attempt.explanation) io.stdout(`  - ${line}\n`);
  }
}

function print(io: CliIo, result: ApiCallResult, verbose: boolean): void {
  const binding = result.attempts[0]?.binding;
  if (binding && (binding.kind === 'dpop' || binding.kind === 'mtls')) io.stdout(`token: ${binding.summary}\n`);
  result.attempts.forEach((attempt, index) => {
    if (index > 0)
      io.stdout(
        attempt.retry === 'use_dpop_nonce'
          ? '\nthe API asked for its DPoP nonce (use_dpop_nonce): sent again with a proof carrying it:\n'
          : `\nrefreshed the grant and tried again with token ${attempt.tokenId}:\n`,
      );
    printAttempt(io, attempt, verbose);
  });
}

export const callCommand: Command = {
  name: 'call',
  summary: 'call an API with a stored token and explain a refusal (WWW-Authenticate)',
  usage:
    "tokenscope call TOKEN_ID URL [-X METHOD] [-H 'Name: value']... [--data BODY] [--refresh] [--include] [--curl [--reveal]] [--json]",
  async run(args, io) {
    const { values, positionals } = parseOptions(
      args,
      {
        request: { ...STRING, short: 'X' },
        header: { ...STRINGS, short: 'H' },
        data: { ...STRING, short: 'd' },
        refresh: FLAG,
        include: { ...FLAG, short: 'i' },
        curl: FLAG,
        reveal: FLAG,
        json: FLAG,
      },
      true,
    );
    const [tokenId, url] = positionals;
    if (positionals.length !== 2 || !tokenId || !url) throw badInput('call takes a TOKEN_ID and a URL');
    if (values.reveal && !values.curl) throw badInput('--reveal only goes with --curl');
    return withBackend(io, { history: 'disk' }, async (backend) => {
      const result = unwrap(
        await backend.callApi({
          tokenId,
          url,
          ...(values.request ? { method: values.request } : {}),
          headers: headersOf(values.header ?? []),
          ...(values.data !== undefined ? { body: values.data } : {}),
          ...(values.refresh ? { refreshAndRetry: true } : {}),
          ...(values.curl ? { send: false, ...(values.reveal ? { reveal: true } : {}) } : {}),
        }),
      );
      if (values.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
      else if (values.curl) io.stdout(`${result.curl}\n`);
      else print(io, result, values.include === true);
      return result.outcome === 'ok' || result.outcome === 'not-sent' ? EXIT_OK : EXIT_FAILURE;
    });
  },
};

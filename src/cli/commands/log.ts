/** `tokenscope log GRANT_ID|TOKEN_ID [--full] [--curl] [--json]`: a grant's exchanges in the order they happened, each with its step and timing. */
import type { TimelineStep } from '../../shared/timeline.ts';
import type { CliIo, Command } from '../io.ts';
import { EXIT_OK } from '../exit-codes.ts';
import { badInput, FLAG, parseOptions } from '../args.ts';
import { unwrap, withBackend } from '../backend.ts';

function printStep(io: CliIo, step: TimelineStep, full: boolean, curl: boolean): void {
  const { exchange } = step;
  const status = exchange.status === null ? '—' : String(exchange.status);
  const took = exchange.durationMs === null ? '' : `  ${String(exchange.durationMs)} ms`;
  io.stdout(`${step.offsetText.padStart(10)}  ${step.label.padEnd(34)} ${exchange.method} ${exchange.url}  ${status}${took}\n`);
  if (curl && exchange.curl) io.stdout(`            ${exchange.curl}\n`);
  if (!full) return;
  for (const [name, value] of Object.entries(exchange.requestHeaders)) io.stdout(`            > ${name}: ${value}\n`);
  if (exchange.requestBody) io.stdout(`            > ${exchange.requestBody}\n`);
  for (const [name, value] of Object.entries(exchange.responseHeaders)) io.stdout(`            < ${name}: ${value}\n`);
  if (exchange.responseBody) io.stdout(`            < ${exchange.responseBody}\n`);
}

export const logCommand: Command = {
  name: 'log',
  summary: "a grant's timeline: authorization request, callback, token, JWKS, refresh, API calls (masked)",
  usage: 'tokenscope log GRANT_ID|TOKEN_ID [--full] [--curl] [--json]',
  async run(args, io) {
    const { values, positionals } = parseOptions(args, { full: FLAG, curl: FLAG, json: FLAG }, true);
    const [id] = positionals;
    if (positionals.length !== 1 || !id) throw badInput('log takes one GRANT_ID or TOKEN_ID');
    return withBackend(io, { history: 'disk' }, async (backend) => {
      // A token id names its grant (the whole timeline); a token without a grant shows its own exchanges.
      const token = await backend.getToken(id);
      const timeline = unwrap(await backend.grantTimeline(token.ok ? { tokenId: id } : { grantId: id }));
      if (values.json) {
        io.stdout(
          `${JSON.stringify(
            [...timeline.preparation, ...timeline.steps].map((s) => s.exchange),
            null,
            2,
          )}\n`,
        );
        return EXIT_OK;
      }
      if (timeline.steps.length + timeline.preparation.length === 0) {
        io.stdout('no logged exchanges for that grant or token\n');
        return EXIT_OK;
      }
      io.stdout(`grant ${timeline.grantId ?? '(none)'}: ${timeline.summary}, secrets masked\n`);
      for (const step of timeline.preparation) printStep(io, step, values.full === true, values.curl === true);
      for (const step of timeline.steps) printStep(io, step, values.full === true, values.curl === true);
      return EXIT_OK;
    });
  },
};

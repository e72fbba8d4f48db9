/** `tokenscope device`: the device authorization grant (RFC 8628): show the code, poll, store the tokens. */
import type { Command } from '../io.ts';
import { EXIT_OK } from '../exit-codes.ts';
import { FLAG, parseOptions, STRING } from '../args.ts';
import { unwrap, withBackend } from '../backend.ts';
import { checkProfileOrDemo, printTokens, profileIdOf, waitForFlow } from '../oauth-cli.ts';

export const deviceCommand: Command = {
  name: 'device',
  summary: 'sign in with the device authorization grant: show a user code, wait for approval, store the tokens',
  usage: 'tokenscope device --profile NAME|--demo [--json]',
  async run(args, io) {
    const { values } = parseOptions(args, { profile: STRING, demo: FLAG, json: FLAG });
    checkProfileOrDemo(values);
    return withBackend(io, { history: 'disk' }, async (backend) => {
      const start = unwrap(await backend.startDeviceFlow({ profileId: await profileIdOf(backend, values) }));
      io.stderr(
        `Go to ${start.verificationUri} and enter the code ${start.userCode}\n` +
          (start.verificationUriComplete ? `(or open ${start.verificationUriComplete})\n` : '') +
          `Polling every ${start.intervalSeconds} s until ${new Date(start.expiresAtMs).toISOString()}; Ctrl-C cancels.\n`,
      );
      printTokens(io, await waitForFlow(backend, start.flowId), values.json);
      return EXIT_OK;
    });
  },
};

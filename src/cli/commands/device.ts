/** `tokenscope device`: the device authorization grant (RFC 8628): show the code, poll, store the tokens. */
import { TokenscopeError } from '../../shared/result.ts';
import { EXIT_OK, type Command } from '../io.ts';
import { failWith, findProfile, parseOptions, tokensJson, unwrap, waitForFlow, withBackend } from '../oauth-cli.ts';

export const deviceCommand: Command = {
  name: 'device',
  summary: 'sign in with the device authorization grant: show a user code, wait for approval, store the tokens',
  usage: 'tokenscope device --profile NAME|--demo',
  async run(args, io) {
    let values: Record<string, string | boolean | string[] | undefined>;
    try {
      ({ values } = parseOptions(args, { profile: { type: 'string' }, demo: { type: 'boolean' }, json: { type: 'boolean' } }));
      if ((typeof values['profile'] === 'string') === (values['demo'] === true))
        throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'give either --profile NAME or --demo');
    } catch (e) {
      return failWith(io, e);
    }
    return withBackend(io, { open: false }, async (backend) => {
      const profileId =
        values['demo'] === true
          ? unwrap(await backend.ensureDemoIssuer()).profileId
          : (await findProfile(backend, values['profile'] as string)).id;
      const start = unwrap(await backend.startDeviceFlow({ profileId }));
      io.stderr(
        `Go to ${start.verificationUri} and enter the code ${start.userCode}\n` +
          (start.verificationUriComplete ? `(or open ${start.verificationUriComplete})\n` : '') +
          `Polling every ${start.intervalSeconds} s until ${new Date(start.expiresAtMs).toISOString()}; Ctrl-C cancels.\n`,
      );
      const result = await waitForFlow(backend, start.flowId);
      io.stdout(tokensJson(result));
      return EXIT_OK;
    });
  },
};

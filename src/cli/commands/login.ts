/** `tokenscope login`: authorization code + PKCE in the system browser through the loopback redirect. */
import { TokenscopeError } from '../../shared/result.ts';
import { EXIT_OK, type Command } from '../io.ts';
import { failWith, findProfile, parseOptions, tokensJson, unwrap, waitForFlow, withBackend } from '../oauth-cli.ts';

export const loginCommand: Command = {
  name: 'login',
  summary: 'sign in with a profile (or the local demo issuer) in the browser and store the tokens',
  usage: 'tokenscope login --profile NAME|--demo [--no-open] [--json]',
  async run(args, io) {
    let values: Record<string, string | boolean | string[] | undefined>;
    try {
      ({ values } = parseOptions(args, {
        profile: { type: 'string' },
        demo: { type: 'boolean' },
        'no-open': { type: 'boolean' },
        json: { type: 'boolean' },
      }));
      if ((typeof values['profile'] === 'string') === (values['demo'] === true)) {
        throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'give either --profile NAME or --demo');
      }
    } catch (e) {
      return failWith(io, e);
    }
    return withBackend(io, { open: values['no-open'] !== true }, async (backend) => {
      const profileId =
        values['demo'] === true
          ? unwrap(await backend.ensureDemoIssuer()).profileId
          : (await findProfile(backend, values['profile'] as string)).id;
      const start = unwrap(await backend.startLogin({ profileId }));
      io.stderr(
        `Open this URL to sign in (waiting for the redirect to ${start.redirectUri}; Ctrl-C cancels):\n${start.authorizationUrl}\n`,
      );
      if (values['demo'] === true)
        io.stderr('Local demo issuer: any username works. Its tokens are only known to it while this command runs.\n');
      const result = await waitForFlow(backend, start.flowId);
      // Scriptable: the stored tokens (ids, kinds, expiry) as JSON on stdout.
      io.stdout(tokensJson(result));
      return EXIT_OK;
    });
  },
};

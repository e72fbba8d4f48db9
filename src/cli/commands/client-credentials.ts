/** `tokenscope client-credentials`: a token for the client itself (client credentials grant). */
import { TokenscopeError } from '../../shared/result.ts';
import { EXIT_OK, type Command } from '../io.ts';
import { failWith, findProfile, parseOptions, tokensJson, tokensText, unwrap, withBackend } from '../oauth-cli.ts';

export const clientCredentialsCommand: Command = {
  name: 'client-credentials',
  summary: 'get a token with the client credentials grant and store it',
  usage: 'tokenscope client-credentials --profile NAME [--json]',
  async run(args, io) {
    let values: Record<string, string | boolean | string[] | undefined>;
    try {
      ({ values } = parseOptions(args, { profile: { type: 'string' }, json: { type: 'boolean' } }));
      if (typeof values['profile'] !== 'string') throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'give --profile NAME');
    } catch (e) {
      return failWith(io, e);
    }
    return withBackend(io, { open: false }, async (backend) => {
      const profile = await findProfile(backend, values['profile'] as string);
      const result = unwrap(await backend.clientCredentials({ profileId: profile.id }));
      io.stdout(values['json'] === true ? tokensJson(result) : tokensText(result));
      return EXIT_OK;
    });
  },
};

/** `tokenscope client-credentials`: a token for the client itself (client credentials grant). */
import type { Command } from '../io.ts';
import { EXIT_OK } from '../exit-codes.ts';
import { badInput, FLAG, parseOptions, STRING } from '../args.ts';
import { unwrap, withBackend } from '../backend.ts';
import { findProfile, printTokens } from '../oauth-cli.ts';

export const clientCredentialsCommand: Command = {
  name: 'client-credentials',
  summary: 'get a token with the client credentials grant and store it',
  usage: 'tokenscope client-credentials --profile NAME [--json]',
  async run(args, io) {
    const { values } = parseOptions(args, { profile: STRING, json: FLAG });
    const name = values.profile;
    if (name === undefined) throw badInput('give --profile NAME');
    return withBackend(io, { history: 'disk' }, async (backend) => {
      const profile = await findProfile(backend, name);
      printTokens(io, unwrap(await backend.clientCredentials({ profileId: profile.id })), values.json);
      return EXIT_OK;
    });
  },
};

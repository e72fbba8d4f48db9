/** `tokenscope login`: authorization code + PKCE in the system browser through the loopback redirect. */
import type { Command } from '../io.ts';
import { EXIT_OK } from '../exit-codes.ts';
import { FLAG, parseOptions, STRING } from '../args.ts';
import { unwrap, withBackend } from '../backend.ts';
import { checkProfileOrDemo, grantFactsLines, printTokens, profileIdOf, waitForFlow } from '../oauth-cli.ts';

const OPTIONS = { profile: STRING, demo: FLAG, 'no-open': FLAG, json: FLAG };

export const loginCommand: Command = {
  name: 'login',
  summary: 'sign in with a profile (or the local demo issuer) in the browser and store the tokens',
  usage: 'tokenscope login --profile NAME|--demo [--no-open] [--json]',
  async run(args, io) {
    const { values } = parseOptions(args, OPTIONS);
    checkProfileOrDemo(values);
    return withBackend(io, { history: 'disk', open: values['no-open'] !== true }, async (backend) => {
      const start = unwrap(await backend.startLogin({ profileId: await profileIdOf(backend, values) }));
      // The URL to open first, on a line of its own (easy to copy); then where the server sends the browser back.
      // With --no-open the URL went nowhere (the back end's opener was told to do nothing).
      const opened = values['no-open'] !== true && start.browserOpened;
      io.stderr(
        `Sign in at this URL${opened ? ' (opened in your browser)' : ' (open it in a browser)'}:\n  ${start.authorizationUrl}\n` +
          `The server then sends the browser back to ${start.redirectUri}, where Tokenscope waits.\n`,
      );
      if (values.demo === true)
        io.stderr('Local demo issuer: any username works. Its tokens are only known to it while this command runs.\n');
      const result = await waitForFlow(backend, io, start);
      // Requested vs granted scopes, and why there is no refresh token when there is none: the back end's words,
      // as lines after the table, or as `scopes` in the JSON (null when the history recorded none).
      const lineage = await backend.grantLineage({ grantId: result.grantId });
      const scopes = lineage.ok ? (lineage.value.scopes ?? null) : null;
      printTokens(io, result, values.json, { scopes });
      if (values.json !== true && lineage.ok)
        for (const line of grantFactsLines(lineage.value, Date.now())) io.stdout(`${line}\n`);
      return EXIT_OK;
    });
  },
};

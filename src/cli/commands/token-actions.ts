/** `tokenscope refresh|revoke|introspect|userinfo TOKEN_ID`: the token actions on a stored token. */
import type { TokenscopeBackend } from '../../shared/api.ts';
import { TokenscopeError } from '../../shared/result.ts';
import { EXIT_OK, type CliIo, type Command } from '../io.ts';
import { failWith, parseOptions, tokensJson, tokensText, unwrap, withBackend } from '../oauth-cli.ts';

function tokenAction(
  name: string,
  summary: string,
  action: (backend: TokenscopeBackend, tokenId: string, json: boolean, io: CliIo) => Promise<void>,
): Command {
  return {
    name,
    summary,
    usage: `tokenscope ${name} TOKEN_ID [--json]`,
    async run(args, io) {
      let tokenId: string;
      let json: boolean;
      try {
        const { values, positionals } = parseOptions(args, { json: { type: 'boolean' } }, true);
        if (positionals.length !== 1 || !positionals[0])
          throw new TokenscopeError('ERR_INVALID_ARGUMENT', `${name} takes one TOKEN_ID (see tokenscope history list)`);
        tokenId = positionals[0];
        json = values['json'] === true;
      } catch (e) {
        return failWith(io, e);
      }
      return withBackend(io, { open: false }, async (backend) => {
        await action(backend, tokenId, json, io);
        return EXIT_OK;
      });
    },
  };
}

export const refreshCommand = tokenAction(
  'refresh',
  "refresh a stored token's grant with its refresh token",
  async (backend, tokenId, json, io) => {
    const result = unwrap(await backend.refreshToken({ tokenId }));
    io.stdout(json ? tokensJson(result) : tokensText(result));
  },
);

export const revokeCommand = tokenAction(
  'revoke',
  'revoke a stored token at its server (RFC 7009)',
  async (backend, tokenId, json, io) => {
    const result = unwrap(await backend.revokeToken({ tokenId }));
    io.stdout(json ? `${JSON.stringify(result)}\n` : `revoked ${result.tokenId}\n`);
  },
);

export const introspectCommand = tokenAction(
  'introspect',
  'ask the server whether a stored token is active (RFC 7662)',
  async (backend, tokenId, json, io) => {
    const result = unwrap(await backend.introspectToken({ tokenId }));
    io.stdout(
      json
        ? `${JSON.stringify(result, null, 2)}\n`
        : `${result.active ? 'active' : 'inactive'}\n${JSON.stringify(result.claims, null, 2)}\n`,
    );
  },
);

export const userinfoCommand = tokenAction(
  'userinfo',
  'call the userinfo endpoint with a stored access token',
  async (backend, tokenId, json, io) => {
    const result = unwrap(await backend.userinfo({ tokenId }));
    io.stdout(json ? `${JSON.stringify(result, null, 2)}\n` : `${JSON.stringify(result.claims, null, 2)}\n`);
  },
);

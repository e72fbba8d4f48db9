/** `tokenscope refresh|revoke|introspect|userinfo TOKEN_ID`: the token actions on a stored token. */
import type { TokenscopeBackend } from '../../shared/api.ts';
import type { IntrospectionResult } from '../../shared/oauth.ts';
import type { CliIo, Command } from '../io.ts';
import { EXIT_OK } from '../exit-codes.ts';
import { badInput, FLAG, parseOptions } from '../args.ts';
import { unwrap, withBackend } from '../backend.ts';
import { printTokens } from '../oauth-cli.ts';

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
      const { values, positionals } = parseOptions(args, { json: FLAG }, true);
      const [tokenId] = positionals;
      if (positionals.length !== 1 || !tokenId) throw badInput(`${name} takes one TOKEN_ID (see tokenscope history list)`);
      return withBackend(io, { history: 'disk' }, async (backend) => {
        await action(backend, tokenId, values.json === true, io);
        return EXIT_OK;
      });
    },
  };
}

export const refreshCommand = tokenAction(
  'refresh',
  "refresh a stored token's grant with its refresh token",
  async (backend, tokenId, json, io) => {
    printTokens(io, unwrap(await backend.refreshToken({ tokenId })), json);
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
      json ? `${JSON.stringify(result, null, 2)}\n` : `${result.active ? 'active' : 'inactive'}\n${introspectionText(result)}`,
    );
  },
);

/** The verdict in words, then each member of the response with what it means (the back end's explanations). */
function introspectionText(result: IntrospectionResult): string {
  const lines = [result.verdict, ...(result.binding.kind === 'unknown' ? [] : [result.binding.summary]), '', 'Response'];
  for (const c of result.explained) {
    const value = typeof c.value === 'string' ? c.value : (JSON.stringify(c.value) ?? 'undefined');
    const time = c.time ? `  ${c.time.iso} (${c.time.relative})` : '';
    lines.push(
      `  ${c.name.padEnd(18)} ${value}${time}`,
      `  ${''.padEnd(18)} ${c.explanation}${c.source ? ` [${c.source}]` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export const userinfoCommand = tokenAction(
  'userinfo',
  'call the userinfo endpoint with a stored access token',
  async (backend, tokenId, json, io) => {
    const result = unwrap(await backend.userinfo({ tokenId }));
    io.stdout(json ? `${JSON.stringify(result, null, 2)}\n` : `${JSON.stringify(result.claims, null, 2)}\n`);
  },
);

/** `tokenscope exchange TOKEN_ID --audience A | --resource R [--scope S] [--requested-token-type T] [--actor-token ID] [--json]`: RFC 8693. */
import type { TokenExchangeResult } from '../../shared/oauth.ts';
import type { Command } from '../io.ts';
import { EXIT_OK } from '../exit-codes.ts';
import { badInput, FLAG, parseOptions, strings } from '../args.ts';
import { unwrap, withBackend } from '../backend.ts';
import { printTokens } from '../oauth-cli.ts';

function json(result: TokenExchangeResult): string {
  const { grantId, issuanceId, subjectTokenId, actorTokenId, issuedTokenType, issuedTokenTypeText } = result;
  const tokens = result.tokens.map((t) => ({ id: t.id, kind: t.kind, format: t.format, expiresAtMs: t.expiresAtMs }));
  return `${JSON.stringify({ grantId, issuanceId, subjectTokenId, actorTokenId, issuedTokenType, issuedTokenTypeText, tokens }, null, 2)}\n`;
}

export const exchangeCommand: Command = {
  name: 'exchange',
  summary: 'exchange a stored token for another (RFC 8693 token exchange) and store the new one',
  usage:
    'tokenscope exchange TOKEN_ID --audience A | --resource R [--scope "…"] [--requested-token-type access_token|jwt|id_token|URN]\n' +
    '                    [--actor-token TOKEN_ID] [--json]',
  async run(args, io) {
    const { values, positionals } = parseOptions(
      args,
      { ...strings('audience', 'resource', 'scope', 'requested-token-type', 'actor-token'), json: FLAG },
      true,
    );
    const [tokenId] = positionals;
    if (positionals.length !== 1 || !tokenId) throw badInput('exchange takes one TOKEN_ID (see tokenscope history list)');
    if (values.audience === undefined && values.resource === undefined)
      throw badInput('give --audience A or --resource R: what the new token is for');
    return withBackend(io, { history: 'disk' }, async (backend) => {
      const result = unwrap(
        await backend.exchangeToken({
          tokenId,
          ...(values.audience !== undefined ? { audience: values.audience } : {}),
          ...(values.resource !== undefined ? { resource: values.resource } : {}),
          ...(values.scope !== undefined ? { scope: values.scope } : {}),
          ...(values['requested-token-type'] !== undefined ? { requestedTokenType: values['requested-token-type'] } : {}),
          ...(values['actor-token'] !== undefined ? { actorTokenId: values['actor-token'] } : {}),
        }),
      );
      if (values.json) {
        io.stdout(json(result));
        return EXIT_OK;
      }
      io.stdout(`exchanged ${result.subjectTokenId}${result.actorTokenId ? ` (actor ${result.actorTokenId})` : ''}\n`);
      io.stdout(`issued_token_type: ${result.issuedTokenTypeText}\n`);
      printTokens(io, result, false);
      return EXIT_OK;
    });
  },
};

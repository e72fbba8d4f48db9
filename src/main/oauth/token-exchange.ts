/**
 * Token exchange (RFC 8693): a history token is sent as the subject_token (another as the actor_token, when given) to
 * its server's token endpoint; the token that comes back joins the history as its own issuance, linked to the subject.
 */
import { randomUUID } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import type { ArgumentOf } from '../../shared/api-schema.ts';
import { tokenTypeText, tokenTypeUri } from '../../shared/issuance.ts';
import type { TokenExchangeResult } from '../../shared/oauth.ts';
import { TokenscopeError } from '../../shared/result.ts';
import { withEndpointErrors } from './endpoint-errors.ts';
import type { ExchangeRecorder } from './exchange-recorder.ts';
import { errorWithFlowId } from './flow-registry.ts';
import type { GrantDeps } from './obtain.ts';
import type { ServiceLifecycle } from './service-lifecycle.ts';
import type { OAuthStore } from './store-port.ts';
import { withDpopNonceRetry } from './dpop.ts';
import { dpopOption, tokenEndpointParams } from './token-endpoint.ts';

export const TOKEN_EXCHANGE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';

/**
 * requestedTokenType: a short name (access_token, jwt, id_token, refresh_token) or a full token type URN;
 * actorTokenId: a history token sent as the actor_token (the new token then says who acts for the subject: act).
 */
export type ExchangeTokenRequest = ArgumentOf<'exchangeToken'>;

interface TokenExchangeDeps extends GrantDeps {
  readonly store: OAuthStore;
  readonly lifecycle: ServiceLifecycle;
  readonly recorder: ExchangeRecorder;
}

/** A history token as sent: its value and the token type that names it (RFC 8693 §3). */
interface Presented {
  readonly id: string;
  readonly value: string;
  readonly type: string;
  readonly profileId: string | null;
}

const TYPE_OF_KIND: Readonly<Record<string, string>> = {
  access_token: 'access_token',
  refresh_token: 'refresh_token',
  id_token: 'id_token',
};

/** Which token kind the history stores the issued token as: the issued_token_type says it (an access token by default). */
function kindOfIssued(issuedTokenType: string | null): 'access_token' | 'refresh_token' | 'id_token' {
  if (issuedTokenType === tokenTypeUri('id_token')) return 'id_token';
  if (issuedTokenType === tokenTypeUri('refresh_token')) return 'refresh_token';
  return 'access_token';
}

export function createTokenExchange(deps: TokenExchangeDeps) {
  const { store } = deps;

  function presented(tokenId: string, role: 'subject' | 'actor'): Presented {
    const summary = store.getTokenSummary(tokenId);
    if (!summary) throw new TokenscopeError('ERR_NOT_FOUND', `no such ${role} token in the history`);
    const value = store.getTokenValue(summary.id);
    const short = TYPE_OF_KIND[summary.kind] ?? (value.split('.').length === 3 ? 'jwt' : undefined);
    if (short === undefined)
      throw new TokenscopeError(
        'ERR_NOT_SUPPORTED',
        `the ${role} token is neither an access, refresh or ID token nor a JWT: its token type cannot be named`,
      );
    const profileId = summary.profileId ?? (summary.grantId ? (store.getGrantSummary(summary.grantId)?.profileId ?? null) : null);
    return { id: summary.id, value, type: tokenTypeUri(short), profileId };
  }

  return async function exchangeToken(request: ExchangeTokenRequest): Promise<TokenExchangeResult> {
    if (!request.audience && !request.resource)
      throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'give the audience or the resource the new token is for');
    const subject = presented(request.tokenId, 'subject');
    const actor = request.actorTokenId === undefined ? undefined : presented(request.actorTokenId, 'actor');
    if (!subject.profileId)
      throw new TokenscopeError(
        'ERR_NOT_SUPPORTED',
        'this token was not obtained through a profile, so Tokenscope does not know its server: attach it to a profile first',
      );
    const profile = await deps.demo.readyProfile(subject.profileId);
    const actionId = randomUUID();
    const exchanges = deps.recorder.forFlow(actionId);
    let grantId: string | null = null;
    try {
      const connection = await deps.servers.connect(profile, deps.recorder.httpContext(exchanges.record, deps.lifecycle.signal));
      const { server, client, clientAuth, requestOptions } = connection;
      const params = tokenEndpointParams(profile.settings, false);
      params.set('subject_token', subject.value);
      params.set('subject_token_type', subject.type);
      if (actor) {
        params.set('actor_token', actor.value);
        params.set('actor_token_type', actor.type);
      }
      if (request.audience) params.set('audience', request.audience);
      if (request.resource) params.set('resource', request.resource);
      if (request.scope) params.set('scope', request.scope);
      if (request.requestedTokenType) params.set('requested_token_type', tokenTypeUri(request.requestedTokenType));
      // With DPoP the request carries a proof (and the API nonce round), like every grant (RFC 9449 §5).
      const tokens = await withDpopNonceRetry(connection.dpop, async () => {
        const response = await withEndpointErrors('token', () =>
          oauth.genericTokenEndpointRequest(server, client, clientAuth, TOKEN_EXCHANGE_GRANT_TYPE, params, {
            ...requestOptions,
            ...dpopOption(connection),
          }),
        );
        return deps.tokenResponses.read(
          connection,
          response,
          // RFC 8693 §2.2.1: token_type N_A when the issued token is not an access token.
          (r) => oauth.processGenericTokenEndpointResponse(server, client, r, { recognizedTokenTypes: { n_a: () => undefined } }),
          { audience: request.resource ?? request.audience },
        );
      });
      const issued = (tokens.body as { issued_token_type?: unknown }).issued_token_type;
      const issuedTokenType = typeof issued === 'string' && issued !== '' ? issued : null;
      const result = deps.obtain({
        connection,
        grantType: TOKEN_EXCHANGE_GRANT_TYPE,
        response: tokens,
        exchange: {
          subjectTokenId: subject.id,
          actorTokenId: actor?.id,
          issuedTokenType: issuedTokenType ?? undefined,
          issuedKind: kindOfIssued(issuedTokenType),
          // RFC 8693 §2.2.1: a response without scope means the scope asked for; nothing asked, nothing known.
          requestedScope: request.scope ?? '',
        },
        // The subject token's own history says what it was exchanged for, in the same transaction.
        alongside(saved) {
          store.addEvent({
            tokenId: subject.id,
            grantId: store.getTokenSummary(subject.id)?.grantId ?? null,
            type: 'exchanged',
            detail: {
              newTokenIds: saved.tokens.map((t) => t.id),
              issuanceId: saved.issuanceId ?? null,
              issuedTokenType,
              target: request.resource ?? request.audience ?? '',
            },
          });
          return [subject.id];
        },
      });
      grantId = result.grantId;
      return {
        ...result,
        subjectTokenId: subject.id,
        actorTokenId: actor?.id ?? null,
        issuedTokenType,
        issuedTokenTypeText: issuedTokenType ? tokenTypeText(issuedTokenType) : 'not named by the server',
      };
    } catch (error) {
      // invalid_grant here is about the tokens sent (RFC 8693 §2.2.2), not a grant that died.
      if (error instanceof TokenscopeError && error.code === 'ERR_INVALID_GRANT') {
        const said = (error.detail as { error_description?: unknown } | undefined)?.error_description;
        const why = typeof said === 'string' ? `: ${said}` : '';
        throw errorWithFlowId(
          new TokenscopeError(
            'ERR_INVALID_GRANT',
            `the server refused the token sent for exchange (invalid_grant${why})`,
            error.detail,
          ),
          actionId,
        );
      }
      throw errorWithFlowId(error, actionId);
    } finally {
      exchanges.flush(grantId);
    }
  };
}

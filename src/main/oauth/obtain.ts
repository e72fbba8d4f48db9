/**
 * The one way a token response becomes history, for every grant (sign-in, device, client credentials, refresh): the
 * tokens are stored in one transaction as one issuance (which tokens arrived together, from which request), the flow
 * they end completes, the front doors hear of them, and the next
 * automatic refresh is armed.
 */
import type { GrantResult } from '../../shared/oauth.ts';
import { TokenscopeError } from '../../shared/result.ts';
import type { Platform } from '../platform.ts';
import type { AutoRefresh } from './auto-refresh.ts';
import type { AuthorizationServers, ServerConnection } from './authorization-server.ts';
import type { DemoLauncher } from './demo-launcher.ts';
import type { Flow, FlowRegistry } from './flow-registry.ts';
import type { ServiceLifecycle } from './service-lifecycle.ts';
import type { OAuthStore } from './store-port.ts';
import type { TokenResponseReader, ValidatedTokenResponse } from './token-endpoint.ts';
import { persistTokenResponse, type ExchangeFacts } from './token-response.ts';

interface ObtainInput {
  readonly connection: ServerConnection;
  readonly grantType:
    | 'authorization_code'
    | 'device_code'
    | 'client_credentials'
    | 'refresh_token'
    | 'urn:ietf:params:oauth:grant-type:token-exchange';
  readonly response: ValidatedTokenResponse;
  /** The flow the tokens end (sign-in, device): it must still be running, and completes with them. */
  readonly flow?: Flow;
  /** A refresh: the tokens join this grant, and its scopes stand where the response names none. */
  readonly grant?: { readonly id: string; readonly scopes: readonly string[] | undefined };
  /** A token exchange (RFC 8693): the tokens it sent, what it issued, the scope it asked for. */
  readonly exchange?: ExchangeFacts & { readonly requestedScope: string };
  /** A refresh the profile's auto-refresh made: its tokens and events say "auto-refresh". */
  readonly automatic?: boolean;
  /** Writes that belong with the new tokens (a refresh's rotation), in the same transaction; returns the other tokens it changed. */
  readonly alongside?: (saved: GrantResult) => readonly string[];
}

/**
 * Saves a token response. Async: while an import holds the history the response waits for it (tokens a server
 * issued, a rotated refresh token above all, are never dropped because the history was busy).
 */
export type Obtain = (input: ObtainInput) => Promise<GrantResult>;

/** What every grant needs to get tokens and keep them: the profile ready, its server, the response checks, obtain(). */
export interface GrantDeps {
  readonly demo: Pick<DemoLauncher, 'readyProfile'>;
  readonly servers: AuthorizationServers;
  readonly tokenResponses: TokenResponseReader;
  readonly obtain: Obtain;
}

interface ObtainDeps {
  readonly platform: Platform;
  readonly store: OAuthStore;
  readonly lifecycle: ServiceLifecycle;
  readonly flows: FlowRegistry;
  readonly autoRefresh: AutoRefresh;
  /** Tells the front doors which tokens are new or changed. */
  readonly tokensChanged: (ids: readonly string[]) => void;
  /** Tells the front doors a grant has a new issuance. */
  readonly grantChanged: (grantId: string) => void;
}

/** The `source` a stored token names for the grants whose own name is not used. */
const SOURCE_OF_GRANT: Partial<Record<ObtainInput['grantType'], string>> = {
  refresh_token: 'refresh',
  'urn:ietf:params:oauth:grant-type:token-exchange': 'token_exchange',
};

export function createObtain(deps: ObtainDeps): Obtain {
  const { platform, store, lifecycle, flows } = deps;
  return async (input) => {
    const { connection, flow, grant } = input;
    const { profile } = connection;
    // Written as soon as no import holds the history. The response arrived after an await: a close() or a cancel in
    // between (or while waiting for the import) means it is dropped, not written.
    const { saved, alsoChanged } = await store.writeWhenWritable(() => {
      lifecycle.ensureOpen();
      if (flow && flows.isFinished(flow)) throw new TokenscopeError('ERR_CANCELLED', 'the flow was cancelled');
      const tokens = persistTokenResponse({
        store,
        now: platform.now(),
        profileId: profile.id,
        settings: profile.settings,
        issuer: connection.server.issuer,
        grantType: input.grantType,
        ...(grant ? { grantId: grant.id } : {}),
        source: input.automatic === true ? 'auto-refresh' : (SOURCE_OF_GRANT[input.grantType] ?? input.grantType),
        response: input.response.body,
        idTokenClaims: input.response.idClaims,
        requestedScope: input.exchange?.requestedScope ?? grant?.scopes?.join(' ') ?? profile.settings.scope,
        ...(input.exchange ? { exchange: input.exchange } : {}),
        // The authorization request's prompt: without prompt=consent an OpenID server may drop offline_access.
        ...(input.grantType === 'authorization_code' ? { prompt: profile.settings.authorizationParams['prompt'] ?? null } : {}),
        ...(input.automatic === true ? { automatic: true } : {}),
        accessTokenCheck: input.response.accessTokenCheck,
        idTokenCheck: input.response.idTokenCheck,
        dpopJkt: connection.dpop?.jkt,
      });
      const alsoChanged = input.alongside?.(tokens) ?? [];
      // The flow's logged requests go in the tokens' commit, not one commit each afterwards.
      flow?.exchanges.flush(tokens.grantId);
      return { saved: tokens, alsoChanged };
    });
    if (flow) flows.complete(flow, saved);
    deps.tokensChanged([...saved.tokens.map((t) => t.id), ...alsoChanged]);
    deps.grantChanged(saved.grantId);
    deps.autoRefresh.schedule(profile, saved);
    return saved;
  };
}

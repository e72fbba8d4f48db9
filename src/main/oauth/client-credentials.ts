/** The client credentials grant (RFC 6749 §4.4): the client's own tokens, in one request; its exchanges are logged under an action id like a flow's. */
import { randomUUID } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import type { GrantResult } from '../../shared/oauth.ts';
import { withEndpointErrors } from './endpoint-errors.ts';
import type { ExchangeRecorder } from './exchange-recorder.ts';
import { errorWithFlowId } from './flow-registry.ts';
import type { GrantDeps } from './obtain.ts';
import type { ServiceLifecycle } from './service-lifecycle.ts';
import { withDpopNonceRetry } from './dpop.ts';
import { dpopOption, tokenEndpointParams } from './token-endpoint.ts';

interface ClientCredentialsDeps extends GrantDeps {
  readonly lifecycle: ServiceLifecycle;
  readonly recorder: ExchangeRecorder;
}

export function createClientCredentials(deps: ClientCredentialsDeps) {
  return async function clientCredentials(arg: { profileId: string }): Promise<GrantResult> {
    const profile = await deps.demo.readyProfile(arg?.profileId);
    const actionId = randomUUID();
    const exchanges = deps.recorder.forFlow(actionId);
    let grantId: string | null = null;
    try {
      const connection = await deps.servers.connect(profile, deps.recorder.httpContext(exchanges.record, deps.lifecycle.signal));
      const { server, client, clientAuth, requestOptions } = connection;
      const params = tokenEndpointParams(profile.settings, true);
      if (profile.settings.scope) params.set('scope', profile.settings.scope);
      const tokens = await withDpopNonceRetry(connection.dpop, async () => {
        const response = await withEndpointErrors('token', () =>
          oauth.clientCredentialsGrantRequest(server, client, clientAuth, params, {
            ...requestOptions,
            ...dpopOption(connection),
          }),
        );
        return deps.tokenResponses.read(connection, response, (r) => oauth.processClientCredentialsResponse(server, client, r));
      });
      const result = deps.obtain({ connection, grantType: 'client_credentials', response: tokens });
      grantId = result.grantId;
      return result;
    } catch (error) {
      throw errorWithFlowId(error, actionId);
    } finally {
      exchanges.flush(grantId);
    }
  };
}

/** The device authorization grant (RFC 8628): the user code shown, then the token endpoint polled until the user approves on another device. */
import * as oauth from 'oauth4webapi';
import type { DeviceFlowStart } from '../../shared/oauth.ts';
import { TokenscopeError } from '../../shared/result.ts';
import type { Platform } from '../platform.ts';
import type { ServerConnection } from './authorization-server.ts';
import { pollDeviceToken } from './device-polling.ts';
import { withStep } from './exchange-step.ts';
import { withEndpointErrors } from './endpoint-errors.ts';
import { errorWithFlowId, type Flow, type FlowRegistry } from './flow-registry.ts';
import type { GrantDeps } from './obtain.ts';
import { withDpopNonceRetry } from './dpop.ts';
import { dpopOption, tokenEndpointParams } from './token-endpoint.ts';

/** RFC 8628 §3.2: poll every 5 s when the server names no interval; slow_down adds 5 s for good (§3.5). */
const DEFAULT_DEVICE_INTERVAL_S = 5;

interface DeviceFlowDeps extends GrantDeps {
  readonly platform: Platform;
  readonly flows: FlowRegistry;
}

export function createDeviceFlow(deps: DeviceFlowDeps) {
  const { platform, flows } = deps;

  /** Polls in the background until the tokens arrive (stored, flow done), the flow ends, or the server refuses (flow failed). */
  async function pollForTokens(
    flow: Flow,
    connection: ServerConnection,
    deviceCode: string,
    intervalSeconds: number,
  ): Promise<void> {
    const { server, client, clientAuth, requestOptions, profile } = connection;
    try {
      const tokens = await pollDeviceToken({
        signal: flow.abort.signal,
        intervalSeconds,
        onPending: (seconds) => flows.progress(flow, { state: 'polling', detail: { intervalSeconds: seconds } }),
        attempt: () =>
          withDpopNonceRetry(connection.dpop, async () => {
            const response = await withStep('device-token', () =>
              oauth.deviceCodeGrantRequest(server, client, clientAuth, deviceCode, {
                ...requestOptions,
                ...dpopOption(connection),
                additionalParameters: tokenEndpointParams(profile.settings, false),
              }),
            );
            return deps.tokenResponses.read(connection, response, (r) => oauth.processDeviceCodeResponse(server, client, r), {
              keepLibraryErrors: true,
            });
          }),
      });
      if (!tokens) return; // cancelled, timed out or closing: the flow has already ended
      deps.obtain({ connection, grantType: 'device_code', response: tokens, flow });
    } catch (error) {
      flows.fail(flow, error);
    }
  }

  async function startDeviceFlow(arg: { profileId: string }): Promise<DeviceFlowStart> {
    const profile = await deps.demo.readyProfile(arg?.profileId);
    const flow = flows.start('device_code', profile.id);
    try {
      const connection = await deps.servers.connect(profile, flow.http);
      const { server, client, clientAuth, requestOptions } = connection;
      // The profile's authorization parameters (resource, audience, prompt...) travel with the device request too.
      const params = new URLSearchParams(profile.settings.authorizationParams);
      if (profile.settings.scope) params.set('scope', profile.settings.scope);
      const response = await withEndpointErrors('device-authorization', () =>
        oauth.deviceAuthorizationRequest(server, client, clientAuth, params, requestOptions),
      );
      const device = await withEndpointErrors('device-authorization', () =>
        oauth.processDeviceAuthorizationResponse(server, client, response),
      );
      const intervalSeconds =
        typeof device.interval === 'number' && device.interval > 0 ? device.interval : DEFAULT_DEVICE_INTERVAL_S;
      const expiresAtMs = platform.now() + device.expires_in * 1000;
      // The device code's own lifetime bounds the flow, not the 5-minute browser timeout.
      flows.setDeadline(
        flow,
        device.expires_in * 1000,
        () => new TokenscopeError('ERR_DEVICE_EXPIRED', 'the device code expired before the user approved'),
      );
      flows.progress(flow, {
        state: 'polling',
        detail: { userCode: device.user_code, verificationUri: device.verification_uri, intervalSeconds },
      });
      void pollForTokens(flow, connection, device.device_code, intervalSeconds);
      return {
        flowId: flow.id,
        userCode: device.user_code,
        verificationUri: device.verification_uri,
        verificationUriComplete: device.verification_uri_complete ?? null,
        expiresAtMs,
        intervalSeconds,
      };
    } catch (error) {
      flows.fail(flow, error);
      throw errorWithFlowId(error, flow.id);
    }
  }

  return { startDeviceFlow };
}

/** Authorization server metadata as oauth4webapi needs it (discovered or typed into the profile), and the options every request carries. */
import { isLoopbackHttpUrl } from '../../shared/net/loopback.ts';
import * as oauth from 'oauth4webapi';
import type { ProfileSettings } from '../../shared/profile.ts';
import { TokenscopeError } from '../../shared/result.ts';
import { withEndpointErrors } from './endpoint-errors.ts';
import { exchangeFetch, type HttpContext } from './http-exchange.ts';

/** Request options shared by every oauth4webapi call: our fetch, the timeout, and http allowed only towards this machine. */
export function requestOptions(
  as: oauth.AuthorizationServer | { issuer: string },
  http: HttpContext,
): {
  [oauth.customFetch]: typeof fetch;
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- http is allowed towards loopback issuers only
  [oauth.allowInsecureRequests]: boolean;
} {
  return {
    [oauth.customFetch]: exchangeFetch(http) as unknown as typeof fetch,
    // Profile validation only lets http through for loopback hosts, so this never relaxes a remote server.
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the library names this loudly on purpose
    [oauth.allowInsecureRequests]: as.issuer !== '' && isLoopbackHttpUrl(as.issuer),
  };
}

/** OpenID Connect discovery first, then RFC 8414 when the server has no openid-configuration. */
export async function discover(issuer: string, http: HttpContext): Promise<oauth.AuthorizationServer> {
  let issuerUrl: URL;
  try {
    issuerUrl = new URL(issuer);
  } catch {
    throw new TokenscopeError('ERR_PROFILE_INVALID', 'the issuer is not a URL');
  }
  const options = requestOptions({ issuer }, http);
  try {
    return await withEndpointErrors('discovery', async () =>
      oauth.processDiscoveryResponse(issuerUrl, await oauth.discoveryRequest(issuerUrl, { ...options, algorithm: 'oidc' })),
    );
  } catch (error) {
    const status = error instanceof TokenscopeError ? error.detail?.['status'] : undefined;
    if (status !== 404) throw error;
  }
  return withEndpointErrors('discovery', async () =>
    oauth.processDiscoveryResponse(issuerUrl, await oauth.discoveryRequest(issuerUrl, { ...options, algorithm: 'oauth2' })),
  );
}

export type RequestOptions = ReturnType<typeof requestOptions>;

/** A profile without discovery: the endpoints typed into it. */
export function manualServer(settings: ProfileSettings): oauth.AuthorizationServer {
  const endpoints = settings.endpoints ?? {};
  const metadata: Record<string, string> = { issuer: settings.issuer };
  const put = (key: string, value: string | undefined): void => {
    if (value) metadata[key] = value;
  };
  put('authorization_endpoint', endpoints.authorizationEndpoint);
  put('token_endpoint', endpoints.tokenEndpoint);
  put('revocation_endpoint', endpoints.revocationEndpoint);
  put('introspection_endpoint', endpoints.introspectionEndpoint);
  put('userinfo_endpoint', endpoints.userinfoEndpoint);
  put('device_authorization_endpoint', endpoints.deviceAuthorizationEndpoint);
  put('pushed_authorization_request_endpoint', endpoints.pushedAuthorizationRequestEndpoint);
  put('jwks_uri', endpoints.jwksUri);
  return metadata as unknown as oauth.AuthorizationServer;
}

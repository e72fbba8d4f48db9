/**
 * The authorization server behind a profile: its metadata (discovered, cached for five minutes, or typed into the
 * profile), what it supports, and the connection one request needs (server, client, client authentication).
 */
import type * as oauth from 'oauth4webapi';
import { normalizeProfileSettings } from '../../shared/profile.ts';
import { type DiscoveryResult } from '../../shared/oauth.ts';
import { TokenscopeError } from '../../shared/result.ts';
import type { Platform } from '../platform.ts';
import { clientAuthOf, clientOf } from './client-keys.ts';
import { createDpopHandles, type DpopBinding } from './dpop.ts';
import type { HttpContext } from './http-exchange.ts';
import type { LoadedProfile } from './profiles.ts';
import { TOKEN_EXCHANGE_GRANT_TYPE } from './token-exchange.ts';
import { discover, manualServer, requestOptions, type RequestOptions } from './server-metadata.ts';

const METADATA_TTL_MS = 5 * 60_000;

/** Everything one request for a profile needs. */
export interface ServerConnection {
  readonly profile: LoadedProfile;
  readonly server: oauth.AuthorizationServer;
  readonly client: oauth.Client;
  readonly clientAuth: oauth.ClientAuth;
  /** oauth4webapi's options: our fetch (timeout, exchange log), http only towards loopback issuers. */
  readonly requestOptions: RequestOptions;
  readonly http: HttpContext;
  /** The profile's DPoP key and handle when it uses DPoP (RFC 9449): every grant and resource request carries a proof. */
  readonly dpop: DpopBinding | undefined;
}

/** What the server's metadata says it supports (absent grant_types_supported: client credentials assumed). */
export function capabilitiesOf(server: oauth.AuthorizationServer): DiscoveryResult['supports'] {
  const grants = server.grant_types_supported;
  return {
    pkceS256: server.code_challenge_methods_supported?.includes('S256') ?? false,
    par: typeof server.pushed_authorization_request_endpoint === 'string',
    parRequired: server.require_pushed_authorization_requests === true,
    dpop: Array.isArray(server.dpop_signing_alg_values_supported) && server.dpop_signing_alg_values_supported.length > 0,
    deviceCode: typeof server.device_authorization_endpoint === 'string',
    clientCredentials: grants ? grants.includes('client_credentials') : true,
    tokenExchange: grants?.includes(TOKEN_EXCHANGE_GRANT_TYPE) ?? false,
    revocation: typeof server.revocation_endpoint === 'string',
    introspection: typeof server.introspection_endpoint === 'string',
    userinfo: typeof server.userinfo_endpoint === 'string',
    issParameter: server.authorization_response_iss_parameter_supported === true,
  };
}

/** An issuer the user typed (no profile yet), checked as a profile's issuer would be. */
export function issuerToDiscover(issuer: unknown): string {
  if (
    typeof issuer !== 'string' ||
    !normalizeProfileSettings({ issuer, clientId: 'x' }).problems.every((p) => p.field !== 'issuer')
  ) {
    throw new TokenscopeError('ERR_PROFILE_INVALID', 'the issuer must be an https URL (or http on 127.0.0.1/localhost)');
  }
  return issuer;
}

/** Discovery without a profile: the metadata as served and what it supports. */
export async function discoverIssuer(issuer: string, http: HttpContext): Promise<DiscoveryResult> {
  const server = await discover(issuer, http);
  return { issuer: server.issuer, metadata: { ...server }, supports: capabilitiesOf(server) };
}

export type AuthorizationServers = ReturnType<typeof createAuthorizationServers>;

export function createAuthorizationServers(platform: Platform) {
  const metadataCache = new Map<string, { server: oauth.AuthorizationServer; fetchedAtMs: number }>();
  const dpopHandles = createDpopHandles();

  async function serverFor(profile: LoadedProfile, http: HttpContext): Promise<oauth.AuthorizationServer> {
    if (!profile.settings.discovery) return manualServer(profile.settings);
    const cached = metadataCache.get(profile.settings.issuer);
    if (cached && platform.now() - cached.fetchedAtMs < METADATA_TTL_MS) return cached.server;
    const server = await discover(profile.settings.issuer, http);
    metadataCache.set(profile.settings.issuer, { server, fetchedAtMs: platform.now() });
    return server;
  }

  return {
    /** The profile's server (metadata from the cache when fresh), client and client authentication, for requests through `http`. */
    async connect(profile: LoadedProfile, http: HttpContext): Promise<ServerConnection> {
      const server = await serverFor(profile, http);
      return {
        profile,
        server,
        client: clientOf(profile.settings),
        clientAuth: await clientAuthOf(profile.settings, profile.secrets),
        requestOptions: requestOptions(server, http),
        http,
        dpop: await dpopHandles.forProfile(profile),
      };
    },
    /** The DPoP handle of the profile's key, DPoP on or not (a token bound to the key needs its proofs); undefined without a key. */
    dpopKeyOf(profile: LoadedProfile): Promise<DpopBinding> | undefined {
      return dpopHandles.forKey(profile);
    },
  };
}

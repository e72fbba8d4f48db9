/** Turns a profile into what oauth4webapi needs: authorization server metadata (discovered or typed), the client, and its authentication. */
import * as oauth from 'oauth4webapi';
import { exportJWK, generateKeyPair, importJWK, importPKCS8, calculateJwkThumbprint, type JWK } from 'jose';
import type { KeyAlgorithm, ProfileSettings } from '../../shared/profile.ts';
import { TokenscopeError, toAppError, type OAuthErrorContext } from '../../shared/result.ts';
import { exchangeFetch, type HttpContext } from './http-exchange.ts';

/** The secret half of a profile (encrypted by the store). */
export interface ProfileSecrets {
  readonly clientSecret?: string;
  readonly privateKeyJwk?: JWK;
}

/** Runs one protocol step and turns whatever it throws into our error for that endpoint. */
export async function step<T>(context: OAuthErrorContext, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof TokenscopeError) throw error;
    const app = toAppError(error, context);
    throw new TokenscopeError(app.code, app.message, app.detail);
  }
}

function isLoopbackHttp(raw: string | undefined): boolean {
  if (!raw) return false;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}

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
    [oauth.allowInsecureRequests]: isLoopbackHttp(as.issuer),
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
    return await step('discovery', async () =>
      oauth.processDiscoveryResponse(issuerUrl, await oauth.discoveryRequest(issuerUrl, { ...options, algorithm: 'oidc' })),
    );
  } catch (error) {
    const status = error instanceof TokenscopeError ? error.detail?.['status'] : undefined;
    if (status !== 404) throw error;
  }
  return step('discovery', async () =>
    oauth.processDiscoveryResponse(issuerUrl, await oauth.discoveryRequest(issuerUrl, { ...options, algorithm: 'oauth2' })),
  );
}

export function manualServer(settings: ProfileSettings): oauth.AuthorizationServer {
  const e = settings.endpoints ?? {};
  const as: Record<string, string> = { issuer: settings.issuer };
  const put = (key: string, value: string | undefined): void => {
    if (value) as[key] = value;
  };
  put('authorization_endpoint', e.authorizationEndpoint);
  put('token_endpoint', e.tokenEndpoint);
  put('revocation_endpoint', e.revocationEndpoint);
  put('introspection_endpoint', e.introspectionEndpoint);
  put('userinfo_endpoint', e.userinfoEndpoint);
  put('device_authorization_endpoint', e.deviceAuthorizationEndpoint);
  put('pushed_authorization_request_endpoint', e.pushedAuthorizationRequestEndpoint);
  put('jwks_uri', e.jwksUri);
  return as as unknown as oauth.AuthorizationServer;
}

export function clientOf(settings: ProfileSettings): oauth.Client {
  return { client_id: settings.clientId };
}

export async function clientAuthOf(settings: ProfileSettings, secrets: ProfileSecrets): Promise<oauth.ClientAuth> {
  const needSecret = (): string => {
    if (!secrets.clientSecret) throw new TokenscopeError('ERR_PROFILE_INVALID', `${settings.authMethod} needs a client secret`);
    return secrets.clientSecret;
  };
  switch (settings.authMethod) {
    case 'none':
      return oauth.None();
    case 'client_secret_basic':
      return oauth.ClientSecretBasic(needSecret());
    case 'client_secret_post':
      return oauth.ClientSecretPost(needSecret());
    case 'client_secret_jwt':
      return oauth.ClientSecretJwt(needSecret());
    case 'private_key_jwt': {
      const jwk = secrets.privateKeyJwk;
      if (!jwk) throw new TokenscopeError('ERR_PROFILE_INVALID', 'private_key_jwt needs a private key');
      const alg = settings.signingAlg ?? jwk.alg ?? 'ES256';
      let key: SigningKey;
      try {
        key = (await importJWK(jwk, alg)) as SigningKey;
      } catch {
        throw new TokenscopeError('ERR_INVALID_KEY', 'the stored private key cannot be used for signing');
      }
      return oauth.PrivateKeyJwt(jwk.kid === undefined ? key : { key, kid: jwk.kid });
    }
  }
}

type SigningKey = Extract<Parameters<typeof oauth.PrivateKeyJwt>[0], { type: string }>;

export interface KeyMaterial {
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
  readonly alg: string;
}

async function finishKey(privateJwk: JWK, alg: string): Promise<KeyMaterial> {
  const kid = privateJwk.kid ?? (await calculateJwkThumbprint(privateJwk));
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, oth: _oth, ...publicPart } = privateJwk;
  return { privateJwk: { ...privateJwk, kid, alg }, publicJwk: { ...publicPart, kid, alg, use: 'sig' }, alg };
}

export async function generateClientKey(alg: KeyAlgorithm): Promise<KeyMaterial> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  return finishKey(await exportJWK(privateKey), alg);
}

/** A pasted private key: JWK JSON or PKCS#8 PEM. */
export async function importClientKey(text: string, algHint: string | undefined): Promise<KeyMaterial> {
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith('{')) {
      const jwk = JSON.parse(trimmed) as JWK;
      if (typeof jwk.d !== 'string') throw new Error('not private');
      const alg = algHint ?? jwk.alg ?? (jwk.kty === 'EC' ? 'ES256' : jwk.kty === 'OKP' ? 'EdDSA' : 'RS256');
      await importJWK(jwk, alg);
      return await finishKey(jwk, alg);
    }
    const alg = algHint ?? (trimmed.length < 400 ? 'ES256' : 'RS256');
    const key = await importPKCS8(trimmed, alg, { extractable: true });
    return await finishKey(await exportJWK(key), alg);
  } catch {
    throw new TokenscopeError('ERR_INVALID_KEY', 'the private key is not a PKCS#8 PEM or a private JWK usable for signing');
  }
}

/** The client side of a profile for oauth4webapi: the client, its authentication (secret or private key), and key generation / import for private_key_jwt. */
import * as oauth from 'oauth4webapi';
import { exportJWK, generateKeyPair, importJWK, importPKCS8, calculateJwkThumbprint, type JWK } from 'jose';
import type { KeyAlgorithm, ProfileSettings } from '../../shared/profile.ts';
import { TokenscopeError } from '../../shared/result.ts';

/** The secret half of a profile (encrypted by the store). */
export interface ProfileSecrets {
  readonly clientSecret?: string;
  readonly privateKeyJwk?: JWK;
  /** The DPoP key pair's private JWK (dpop.ts). */
  readonly dpopJwk?: JWK;
}

export function clientOf(settings: ProfileSettings): oauth.Client {
  return { client_id: settings.clientId };
}

type SigningKey = Extract<Parameters<typeof oauth.PrivateKeyJwt>[0], { type: string }>;

/** How the client authenticates at the token, revocation, introspection, PAR and device endpoints (the profile's authMethod). */
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

export interface KeyMaterial {
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
  readonly alg: string;
}

/** The private JWK with its kid (the thumbprint when it has none) and alg, and the public half to register with the server. */
async function keyMaterialOf(privateJwk: JWK, alg: string): Promise<KeyMaterial> {
  const kid = privateJwk.kid ?? (await calculateJwkThumbprint(privateJwk));
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, oth: _oth, ...publicPart } = privateJwk;
  return { privateJwk: { ...privateJwk, kid, alg }, publicJwk: { ...publicPart, kid, alg, use: 'sig' }, alg };
}

export async function generateClientKey(alg: KeyAlgorithm): Promise<KeyMaterial> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  return keyMaterialOf(await exportJWK(privateKey), alg);
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
      return await keyMaterialOf(jwk, alg);
    }
    const alg = algHint ?? (trimmed.length < 400 ? 'ES256' : 'RS256');
    const key = await importPKCS8(trimmed, alg, { extractable: true });
    return await keyMaterialOf(await exportJWK(key), alg);
  } catch {
    throw new TokenscopeError('ERR_INVALID_KEY', 'the private key is not a PKCS#8 PEM or a private JWK usable for signing');
  }
}

/**
 * DPoP (RFC 9449) for a profile: its ES256 key pair (the private half sealed with the profile's secrets), one
 * oauth4webapi DPoP handle per profile and key (it signs the proofs and remembers each server's DPoP-Nonce), and
 * the one retry a `use_dpop_nonce` answer calls for.
 */
import * as oauth from 'oauth4webapi';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { TokenscopeError } from '../../shared/result.ts';
import type { LoadedProfile } from './profiles.ts';

/** Proofs are signed with ES256: every DPoP server supports it (RFC 9449 §4.2 names no mandatory algorithm; ES256 is the common one). */
const DPOP_ALG = 'ES256';

/** A new DPoP key pair: the private JWK to seal and the thumbprint of its public half. */
export async function generateDpopKey(): Promise<{ readonly privateJwk: JWK; readonly jkt: string }> {
  const { privateKey } = await generateKeyPair(DPOP_ALG, { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  return { privateJwk, jkt: await dpopThumbprint(privateJwk) };
}

/** The JWK thumbprint (RFC 7638, SHA-256) of a key's public half: what `cnf.jkt` and `dpop_jkt` carry. */
export function dpopThumbprint(jwk: JWK): Promise<string> {
  const { kty, crv, x, y, e, n } = jwk;
  return calculateJwkThumbprint({ kty, crv, x, y, e, n });
}

type KeyPair = Parameters<typeof oauth.DPoP>[1];

async function keyPairOf(privateJwk: JWK): Promise<KeyPair> {
  try {
    const { d: _d, ...publicJwk } = privateJwk;
    const privateKey = (await importJWK(privateJwk, DPOP_ALG)) as KeyPair['privateKey'];
    const publicKey = (await importJWK({ ...publicJwk, ext: true }, DPOP_ALG, { extractable: true })) as KeyPair['publicKey'];
    return { privateKey, publicKey };
  } catch {
    throw new TokenscopeError('ERR_INVALID_KEY', "the profile's stored DPoP key cannot be used for signing");
  }
}

/** A profile's DPoP handle and its key's thumbprint. */
export interface DpopBinding {
  readonly handle: oauth.DPoPHandle;
  readonly jkt: string;
}

/** One handle per profile key, kept for the life of the back end so the servers' nonces are remembered between requests. */
export function createDpopHandles() {
  const handles = new Map<string, Promise<DpopBinding>>();
  return {
    /** The profile's handle when it uses DPoP (its key is made when the profile is saved); undefined otherwise. */
    forProfile(profile: LoadedProfile): Promise<DpopBinding> | undefined {
      if (!profile.settings.dpop) return undefined;
      return this.forKey(profile);
    },
    /** The handle of the profile's key whether or not DPoP is on now (a token bound earlier still needs its proofs). */
    forKey(profile: LoadedProfile): Promise<DpopBinding> | undefined {
      const jwk = profile.secrets.dpopJwk;
      if (!jwk) {
        if (!profile.settings.dpop) return undefined;
        return Promise.reject(
          new TokenscopeError('ERR_PROFILE_INVALID', 'this profile uses DPoP but has no DPoP key: save the profile again'),
        );
      }
      const cacheKey = `${profile.id}:${jwk.x ?? ''}:${jwk.y ?? ''}`;
      let binding = handles.get(cacheKey);
      if (!binding) {
        binding = (async () => ({ handle: oauth.DPoP({}, await keyPairOf(jwk)), jkt: await dpopThumbprint(jwk) }))();
        binding.catch(() => handles.delete(cacheKey));
        handles.set(cacheKey, binding);
      }
      return binding;
    },
  };
}

/** Whether a server asked for a DPoP proof carrying its nonce (RFC 9449 §8, §9): the library's error or ours after mapping. */
export function isDpopNonceDemand(error: unknown): boolean {
  if (oauth.isDPoPNonceError(error)) return true;
  return error instanceof TokenscopeError && error.detail?.['error'] === 'use_dpop_nonce';
}

/**
 * Runs a request (with the processing of its answer) and, when DPoP is in use and the server answers
 * `use_dpop_nonce`, once more: the handle has kept the nonce the refusal carried, so the second proof has it.
 */
export async function withDpopNonceRetry<T>(dpop: DpopBinding | undefined, run: () => Promise<T>): Promise<T> {
  if (!dpop) return run();
  try {
    return await run();
  } catch (error) {
    if (!isDpopNonceDemand(error)) throw error;
    return run();
  }
}

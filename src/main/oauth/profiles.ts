/** Client profiles in the store: validated settings in plain JSON, client secrets and private keys sealed as secrets. */
import { normalizeProfileSettings, type ProfileInput, type ProfileSettings, type ProfileView } from '../../shared/profile.ts';
import { TokenscopeError } from '../../shared/result.ts';
import { generateClientKey, importClientKey, type ProfileSecrets } from './client-keys.ts';
import { dpopThumbprint, generateDpopKey } from './dpop.ts';
import type { OAuthStore } from './store-port.ts';

/** A profile ready for a request: settings validated, secrets decrypted. */
export interface LoadedProfile {
  readonly id: string;
  readonly name: string;
  readonly settings: ProfileSettings;
  readonly secrets: ProfileSecrets;
}

export function loadProfile(store: OAuthStore, profileId: unknown): LoadedProfile {
  if (typeof profileId !== 'string' || profileId === '')
    throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'profileId is required');
  const record = store.getProfile(profileId);
  if (!record) throw new TokenscopeError('ERR_NOT_FOUND', 'no such profile');
  const { settings, problems } = normalizeProfileSettings(record.settings as ProfileInput['settings']);
  if (problems.length > 0) {
    throw new TokenscopeError('ERR_PROFILE_INVALID', `profile "${record.name}": ${problems[0]?.message ?? 'invalid'}`, {
      problems,
    });
  }
  return { id: record.id, name: record.name, settings, secrets: record.secrets };
}

function viewOf(
  record: { id: string; name: string; settings: Readonly<Record<string, unknown>> },
  secrets: ProfileSecrets | null,
  hasSecrets: boolean,
): ProfileView {
  const { settings } = normalizeProfileSettings(record.settings as ProfileInput['settings']);
  return {
    id: record.id,
    name: record.name,
    settings,
    hasClientSecret: secrets
      ? typeof secrets.clientSecret === 'string'
      : hasSecrets && settings.authMethod.startsWith('client_secret'),
    hasPrivateKey: secrets ? secrets.privateKeyJwk !== undefined : hasSecrets && settings.authMethod === 'private_key_jwt',
  };
}

/** Every profile as the renderer sees it: secrets only as present or not. */
export function listProfileViews(store: OAuthStore): ProfileView[] {
  return store.listProfiles().map((p) => viewOf(p, null, p.hasSecrets));
}

/** Creates or updates a profile. Secrets: a string sets, null clears, undefined keeps; a private key may be generated here. */
export async function saveProfile(store: OAuthStore, input: ProfileInput): Promise<ProfileView> {
  if (typeof input.name !== 'string' || input.name.trim() === '' || input.name.length > 200) {
    throw new TokenscopeError('ERR_PROFILE_INVALID', 'a profile needs a name of at most 200 characters');
  }
  if (typeof input.settings !== 'object' || input.settings === null)
    throw new TokenscopeError('ERR_PROFILE_INVALID', 'settings are required');
  const existing = input.id === undefined ? null : store.getProfile(input.id);
  if (input.id !== undefined && !existing) throw new TokenscopeError('ERR_NOT_FOUND', 'no such profile');
  const { settings: normalized, problems } = normalizeProfileSettings(input.settings);
  if (problems.length > 0)
    throw new TokenscopeError('ERR_PROFILE_INVALID', problems[0]?.message ?? 'invalid profile', { problems });
  let settings: ProfileSettings = normalized;
  const secrets: { clientSecret?: string; privateKeyJwk?: Record<string, unknown>; dpopJwk?: Record<string, unknown> } = {
    ...((existing?.secrets ?? {}) as ProfileSecrets),
  };
  if (input.clientSecret === null) delete secrets.clientSecret;
  else if (typeof input.clientSecret === 'string') {
    if (input.clientSecret === '' || input.clientSecret.length > 4096)
      throw new TokenscopeError('ERR_PROFILE_INVALID', 'the client secret must be 1 to 4096 characters');
    secrets.clientSecret = input.clientSecret;
  }
  if (input.privateKey === null) {
    delete secrets.privateKeyJwk;
    const { publicJwk: _publicJwk, ...rest } = settings;
    settings = rest;
  } else if (input.privateKey !== undefined) {
    const key =
      typeof input.privateKey === 'string'
        ? await importClientKey(input.privateKey, settings.signingAlg)
        : await generateClientKey(input.privateKey.generate);
    secrets.privateKeyJwk = key.privateJwk;
    settings = { ...settings, publicJwk: key.publicJwk, signingAlg: key.alg };
  }
  // DPoP: one key pair per profile, made when DPoP is first turned on and kept (tokens bound to it stay usable).
  const { dpopJkt: _sentJkt, ...withoutJkt } = settings;
  settings = withoutJkt;
  if (settings.dpop && !secrets.dpopJwk) secrets.dpopJwk = (await generateDpopKey()).privateJwk;
  if (secrets.dpopJwk) settings = { ...settings, dpopJkt: await dpopThumbprint(secrets.dpopJwk) };
  if (settings.authMethod.startsWith('client_secret') && !secrets.clientSecret) {
    throw new TokenscopeError('ERR_PROFILE_INVALID', `${settings.authMethod} needs a client secret`);
  }
  if (settings.authMethod === 'private_key_jwt' && !secrets.privateKeyJwk) {
    throw new TokenscopeError('ERR_PROFILE_INVALID', 'private_key_jwt needs a private key (generate one or paste one)');
  }
  const id = store.saveProfile({
    ...(input.id === undefined ? {} : { id: input.id }),
    name: input.name.trim(),
    settings: settings as unknown as Record<string, unknown>,
    secrets,
  });
  return viewOf({ id, name: input.name.trim(), settings: settings as unknown as Record<string, unknown> }, secrets, true);
}

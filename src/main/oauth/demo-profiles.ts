/** The demo issuer's profiles: seeded on first launch, pointed at the running demo issuer whenever it starts. */
import { DEMO_PROFILE_NAME, normalizeProfileSettings, type ProfileInput } from '../../shared/profile.ts';
import type { DemoIssuerInfo } from '../../shared/oauth.ts';
import type { OAuthStore } from './store-port.ts';

/** One profile the demo issuer offers. */
interface DemoProfileSpec {
  readonly role: 'native' | 'native-jwt' | 'service';
  readonly name: string;
  readonly clientId: string;
  readonly authMethod: 'none' | 'client_secret_basic';
  readonly clientSecret?: string;
  readonly scope: string;
  readonly authorizationParams: Readonly<Record<string, string>>;
}

/** The running demo issuer as the service needs it (started lazily: oidc-provider is only loaded when asked for). */
export interface DemoIssuerHandle {
  readonly issuer: string;
  readonly profiles: readonly DemoProfileSpec[];
  close(): Promise<void>;
}

/** The demo profiles of a history by role (the first of each role). */
export function findDemoProfiles(store: Pick<OAuthStore, 'listProfiles'>): Map<string, string> {
  const found = new Map<string, string>();
  for (const p of store.listProfiles()) {
    if (p.settings['demo'] !== true) continue;
    const role = typeof p.settings['demoRole'] === 'string' ? p.settings['demoRole'] : 'native';
    if (!found.has(role)) found.set(role, p.id);
  }
  return found;
}

/** First launch: the history has no profile yet, so the demo profile is created and preselected. */
export function seedDemoProfile(store: OAuthStore): void {
  if (store.listProfiles().length > 0) return;
  store.saveProfile({
    name: DEMO_PROFILE_NAME,
    settings: {
      // The issuer URL is a placeholder until the demo issuer starts on its random port.
      ...normalizeProfileSettings({ issuer: 'http://127.0.0.1/', clientId: 'tokenscope-demo' }).settings,
      scope: 'openid profile email offline_access',
      authorizationParams: { prompt: 'consent' },
      demo: true,
      demoRole: 'native',
    },
    secrets: {},
  });
}

/**
 * Creates or updates one profile per demo role for this run of the demo issuer; `changed`: whether any profile was
 * written (when not, a profile read before the sync is still what the history holds).
 */
export function syncDemoProfiles(store: OAuthStore, handle: DemoIssuerHandle): { info: DemoIssuerInfo; changed: boolean } {
  const found = findDemoProfiles(store);
  const ids = new Map<string, string>();
  let changed = false;
  for (const spec of handle.profiles) {
    const existingId = found.get(spec.role);
    const existing = existingId ? store.getProfile(existingId) : null;
    const kept = existing ? normalizeProfileSettings(existing.settings as ProfileInput['settings']).settings : null;
    // The user may have tuned scopes or parameters; what ties the profile to this run is re-applied.
    const profile = {
      name: existing?.name ?? spec.name,
      settings: {
        ...normalizeProfileSettings({ issuer: handle.issuer, clientId: spec.clientId }).settings,
        scope: spec.scope,
        authorizationParams: spec.authorizationParams,
        ...(kept ?? {}),
        issuer: handle.issuer,
        discovery: true,
        clientId: spec.clientId,
        authMethod: spec.authMethod,
        demo: true,
        demoRole: spec.role,
      },
      // The DPoP key the user's tokens may be bound to stays; the client secret is this run's.
      secrets: {
        ...(existing?.secrets['dpopJwk'] !== undefined ? { dpopJwk: existing.secrets['dpopJwk'] } : {}),
        ...(spec.clientSecret ? { clientSecret: spec.clientSecret } : {}),
      },
    };
    // Every sign-in passes here: a profile already as it should be is not written again (one commit fewer each).
    const unchanged =
      existingId !== undefined &&
      existing !== null &&
      existing.name === profile.name &&
      JSON.stringify(existing.settings) === JSON.stringify(profile.settings) &&
      JSON.stringify(existing.secrets) === JSON.stringify(profile.secrets);
    const id = unchanged ? existingId : store.saveProfile({ ...(existingId ? { id: existingId } : {}), ...profile });
    if (!unchanged) changed = true;
    ids.set(spec.role, id);
  }
  return {
    info: {
      issuer: handle.issuer,
      profileId: ids.get('native') ?? '',
      jwtProfileId: ids.get('native-jwt') ?? '',
      serviceProfileId: ids.get('service') ?? '',
    },
    changed,
  };
}

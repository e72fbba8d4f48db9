/** Starts the demo issuer when first needed (once per service) and points the demo profiles at it; stops it on close. */
import { join } from 'node:path';
import type { DemoIssuerInfo } from '../../shared/oauth.ts';
import type { DemoSealer } from '../demo-issuer/demo-state.ts';
import type { Platform } from '../platform.ts';
import { syncDemoProfiles, type DemoIssuerHandle } from './demo-profiles.ts';
import { loadProfile, type LoadedProfile } from './profiles.ts';
import type { ServiceLifecycle } from './service-lifecycle.ts';
import type { OAuthStore } from './store-port.ts';

interface DemoLauncherOptions {
  readonly platform: Platform;
  readonly store: OAuthStore;
  readonly demoSealer: DemoSealer;
  readonly lifecycle: ServiceLifecycle;
  /** Starts the demo issuer; defaults to the embedded oidc-provider. */
  readonly startDemoIssuer?: (() => Promise<DemoIssuerHandle>) | undefined;
}

export type DemoLauncher = ReturnType<typeof createDemoLauncher>;

export function createDemoLauncher(options: DemoLauncherOptions) {
  const { platform, store, lifecycle } = options;
  let running: Promise<DemoIssuerHandle> | undefined;

  async function start(): Promise<DemoIssuerHandle> {
    if (options.startDemoIssuer) return options.startDemoIssuer();
    const { startDemoIssuer } = await import('../demo-issuer/demo-issuer.ts');
    // Kept in the data dir, sealed with the history's key, so demo tokens survive the process (each CLI
    // command is one); a history kept in memory only (session-only protection) keeps the demo issuer there too.
    if (store.inMemory) return startDemoIssuer();
    return startDemoIssuer({
      dir: join(platform.dataDir, 'demo-issuer'),
      sealer: options.demoSealer,
    });
  }

  async function startAndSync(): Promise<ReturnType<typeof syncDemoProfiles>> {
    lifecycle.ensureAccepting();
    running ??= start().catch((error: unknown) => {
      running = undefined;
      throw error;
    });
    return syncDemoProfiles(store, await running);
  }

  async function ensureDemoIssuer(): Promise<DemoIssuerInfo> {
    return (await startAndSync()).info;
  }

  return {
    ensureDemoIssuer,
    /** A profile ready for a request: a demo profile points at whatever port the demo issuer got this run. */
    async readyProfile(profileId: unknown): Promise<LoadedProfile> {
      const profile = loadProfile(store, profileId);
      if (profile.settings.demo !== true) return profile;
      // Every sign-in passes here: read the profile again only when the sync rewrote a demo profile.
      const { changed } = await startAndSync();
      return changed ? loadProfile(store, profileId) : profile;
    },
    async stop(): Promise<void> {
      const stopping = running;
      running = undefined;
      if (stopping) await stopping.then((demo) => demo.close()).catch(() => undefined);
    },
  };
}

/** Profiles with autoRefresh: each grant's access token is refreshed shortly before it expires, and the timers are re-armed after a restart. */
import type { GrantResult } from '../../shared/oauth.ts';
import type { Platform } from '../platform.ts';
import { loadProfile, type LoadedProfile } from './profiles.ts';
import type { ServiceLifecycle } from './service-lifecycle.ts';
import type { OAuthStore } from './store-port.ts';

/** Never sooner than this after scheduling, however close the expiry. */
const MIN_DELAY_MS = 500;
/** Refresh a minute before expiry, or a fifth of the remaining lifetime when that is shorter. */
const MAX_LEAD_MS = 60_000;

interface AutoRefreshOptions {
  readonly platform: Platform;
  readonly store: OAuthStore;
  readonly lifecycle: ServiceLifecycle;
  /** Refreshes the grant of this token; a failure is recorded on the grant (dead, events), nobody awaits it. */
  readonly refresh: (tokenId: string) => Promise<unknown>;
}

export type AutoRefresh = ReturnType<typeof createAutoRefresh>;

export function createAutoRefresh(options: AutoRefreshOptions) {
  const { platform, store, lifecycle } = options;
  /** Per grant: the timer of the next automatic refresh. */
  const timers = new Map<string, { readonly timer: NodeJS.Timeout; readonly profileId: string; readonly atMs: number }>();

  /** Arms (or re-arms) the grant's timer from the access token just obtained, when the profile asks and a refresh token exists. */
  function schedule(profile: LoadedProfile, result: GrantResult): void {
    if (!profile.settings.autoRefresh || lifecycle.closing) return;
    const access = result.tokens.find((t) => t.kind === 'access_token' && t.expiresAtMs !== null);
    if (!access?.expiresAtMs) return;
    const hasRefresh = store.getGrantTokens(result.grantId).some((t) => t.kind === 'refresh_token' && t.status === 'active');
    if (!hasRefresh) return;
    const now = platform.now();
    const leadMs = Math.min(MAX_LEAD_MS, Math.max(0, access.expiresAtMs - now) / 5);
    const delayMs = Math.max(MIN_DELAY_MS, access.expiresAtMs - leadMs - now);
    clearTimeout(timers.get(result.grantId)?.timer);
    const timer = setTimeout(() => {
      timers.delete(result.grantId);
      options.refresh(access.id).catch(() => undefined);
    }, delayMs);
    timer.unref();
    timers.set(result.grantId, { timer, profileId: profile.id, atMs: now + delayMs });
  }

  /** After a restart: re-arm for the newest live access token of each grant of an auto-refresh profile. */
  function rearm(): void {
    for (const listed of store.listProfiles()) {
      if (listed.settings['autoRefresh'] !== true) continue;
      let profile: LoadedProfile;
      try {
        profile = loadProfile(store, listed.id);
      } catch {
        continue; // an unreadable profile simply gets no timer
      }
      const seen = new Set<string>();
      const live = store.listTokens({ profileId: listed.id, kind: 'access_token', status: 'active', limit: 500 }).items;
      for (const token of live) {
        if (!token.grantId || seen.has(token.grantId) || token.expiresAtMs === null) continue;
        seen.add(token.grantId);
        if (store.getGrantSummary(token.grantId)?.state === 'dead') continue;
        schedule(profile, {
          grantId: token.grantId,
          tokens: [
            {
              id: token.id,
              kind: 'access_token',
              format: token.format,
              expiresAtMs: token.expiresAtMs,
              created: false,
              primary: true,
            },
          ],
        });
      }
    }
  }

  return {
    schedule,
    rearm,
    /** When the grant's next automatic refresh fires (epoch ms), or null when none is armed. */
    nextAt(grantId: string): number | null {
      return timers.get(grantId)?.atMs ?? null;
    },
    /** A deleted profile's grants are not refreshed any more. */
    forgetProfile(profileId: string): void {
      for (const [grantId, entry] of timers) {
        if (entry.profileId !== profileId) continue;
        clearTimeout(entry.timer);
        timers.delete(grantId);
      }
    },
    stopAll(): void {
      for (const { timer } of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}

/**
 * What a grant asked for and got, told in words: requested vs granted scopes, why it has no refresh token, and
 * whether its profile refreshes it automatically. Computed once by the back end (main/history/grant-scopes.ts).
 */

export interface GrantScopes {
  /** The scopes the sign-in (or token request) asked for; null: not recorded (older history, import, paste). */
  readonly requested: readonly string[] | null;
  /** The token response's `scope`; null: the server did not say (RFC 6749 §5.1: then the same as requested). */
  readonly granted: readonly string[] | null;
  /** Asked for, not granted (only when the server said what it granted). */
  readonly notGranted: readonly string[];
  /** Granted without being asked for. */
  readonly added: readonly string[];
  /** The comparison in one sentence. */
  readonly text: string;
  /** The grant has no refresh token: its likely cause in words; null when it has one or none is expected. */
  readonly missingRefresh: string | null;
}

/** The profile's auto-refresh for a grant: on or off, and when the next one fires. */
export interface AutoRefreshState {
  readonly on: boolean;
  /** Epoch ms of the armed timer; null when none is armed. */
  readonly nextAtMs: number | null;
}

export interface AutoRefreshView extends AutoRefreshState {
  /** Why no refresh is armed though the profile asks for it (no refresh token, dead grant, ...); null otherwise. */
  readonly why: string | null;
}

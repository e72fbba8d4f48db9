/**
 * Requested vs granted scopes of a grant, and the likely cause of a missing refresh token, from what its issuances
 * recorded (migration 5). The one place these words are made: the token detail, `history show` and `login` show them.
 */
import type { AutoRefreshState, AutoRefreshView, GrantScopes } from '../../shared/grant-scopes.ts';
import type { GrantSummary } from '../../shared/model.ts';
import type { RequestFacts } from '../store/issuance-repository.ts';

const split = (scope: string | null): string[] | null => (scope === null ? null : scope.split(/\s+/).filter(Boolean));
const list = (scopes: readonly string[]): string => (scopes.length === 0 ? '(none)' : scopes.join(' '));

/** Grants that never carry a refresh token by design (RFC 6749 §4.4.3), or that Tokenscope did not obtain. */
const NO_REFRESH_EXPECTED = new Set([
  'client_credentials',
  'imported',
  'paste',
  'urn:ietf:params:oauth:grant-type:token-exchange',
]);

function missingRefreshCause(grantType: string, requested: readonly string[] | null, facts: RequestFacts | undefined): string {
  const granted = split(facts?.grantedScope ?? null);
  const asksOffline = requested?.includes('offline_access') === true;
  const openid = requested?.includes('openid') === true;
  if (asksOffline && granted !== null && !granted.includes('offline_access')) {
    const consent = (facts?.prompt ?? '').split(/\s+/).includes('consent');
    if (openid && !consent && grantType === 'authorization_code') {
      return 'No refresh token: offline_access was requested but not granted. OpenID Connect Core §11 lets the server ignore offline_access unless the authorization request carries prompt=consent, and this one did not: add prompt=consent to the profile’s authorization parameters and sign in again.';
    }
    return 'No refresh token: offline_access was requested but not granted (server policy: this client or user may not be allowed offline access).';
  }
  if (openid && !asksOffline)
    return 'No refresh token: offline_access was not requested; OpenID providers usually issue a refresh token only for it.';
  return 'No refresh token: the server chose not to issue one (server policy: the client may not be allowed the refresh_token grant, or the server issues none for this flow).';
}

/**
 * `facts`: the grant's issuances, oldest first; the first tells what the grant was obtained with. `hasRefresh`: the
 * grant holds a refresh token (of any status).
 */
export function grantScopes(grant: GrantSummary, facts: readonly RequestFacts[], hasRefresh: boolean): GrantScopes {
  const first = facts[0];
  const requested = split(first?.scope ?? null);
  // The latest response that said what it granted speaks for the grant now (a refresh may narrow it).
  const said = [...facts].reverse().find((f) => f.grantedScope !== null);
  const granted = split(said?.grantedScope ?? null);
  const notGranted = requested && granted ? requested.filter((s) => !granted.includes(s)) : [];
  const added = requested && granted ? granted.filter((s) => !requested.includes(s)) : [];
  let text: string;
  if (requested === null) {
    text =
      granted === null
        ? 'Requested and granted scopes were not recorded (obtained before Tokenscope recorded them, or imported).'
        : `Granted: ${list(granted)} (what was requested was not recorded).`;
  } else if (granted === null) {
    text = `Requested: ${list(requested)}. Granted: the server did not say (no scope in the token response); RFC 6749 §5.1 means the same as requested.`;
  } else if (notGranted.length === 0 && added.length === 0) {
    text = `Granted as requested: ${list(granted)}.`;
  } else {
    text = [
      `Requested: ${list(requested)}. Granted: ${list(granted)}.`,
      notGranted.length > 0 ? `Not granted: ${notGranted.join(' ')}.` : '',
      added.length > 0 ? `Added by the server: ${added.join(' ')}.` : '',
    ]
      .filter(Boolean)
      .join(' ');
  }
  const missingRefresh =
    hasRefresh || NO_REFRESH_EXPECTED.has(grant.grantType) ? null : missingRefreshCause(grant.grantType, requested, first);
  return { requested, granted, notGranted, added, text, missingRefresh };
}

/** The auto-refresh state with why nothing is armed when the profile asks for it. */
export function autoRefreshView(state: AutoRefreshState, grant: GrantSummary, hasLiveRefresh: boolean): AutoRefreshView {
  let why: string | null = null;
  if (state.on && state.nextAtMs === null) {
    why =
      grant.state === 'dead'
        ? 'the grant is dead: sign in again'
        : !hasLiveRefresh
          ? 'the grant has no usable refresh token'
          : 'no access token with a known expiry to refresh before';
  }
  return { ...state, why };
}

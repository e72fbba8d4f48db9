/**
 * What can be done with a history token, and why not: the one place that decides, from the token, its grant and
 * its profile. The UI enables its buttons from this and the CLI prints the same reasons.
 */
import type {
  ActionAvailability,
  TokenActionsAvailability,
  TokenAttachResult,
  TokenDetail,
  TokenDetailView,
} from '../../shared/model.ts';
import { TokenscopeError } from '../../shared/result.ts';
import type { OAuthStore } from './store-port.ts';

const YES: ActionAvailability = { available: true, reason: null };
const no = (reason: string): ActionAvailability => ({ available: false, reason });

const UNREADABLE = "its value cannot be decrypted with this history's key: obtain the token again";
const NO_PROFILE = 'Tokenscope does not know its server (pasted or imported): attach it to a profile first';
const PROFILE_GONE = 'the profile it was obtained through was deleted: attach it to a profile first';

/** The first reason that applies, else available. */
function firstOf(...reasons: (string | false | null | undefined)[]): ActionAvailability {
  const reason = reasons.find((r): r is string => typeof r === 'string');
  return reason === undefined ? YES : no(reason);
}

type Store = Pick<OAuthStore, 'getGrantSummary' | 'getGrantTokens' | 'getProfile'>;

/** The token's detail with its actions and the profile its server is known through. */
export function tokenDetailView(store: Store, detail: TokenDetail): TokenDetailView {
  const token = detail.summary;
  const grant = token.grantId ? store.getGrantSummary(token.grantId) : null;
  const profileId = token.profileId ?? grant?.profileId ?? null;
  const profile = profileId ? store.getProfile(profileId) : null;
  const serverUnknown = profileId === null ? NO_PROFILE : profile === null ? PROFILE_GONE : null;
  const unreadable = detail.readable ? null : UNREADABLE;
  const isJwt = detail.header !== null;
  const clientCredentials = grant?.grantType === 'client_credentials';
  const confidential = profile !== null && profile.settings.authMethod !== 'none';
  const activeRefresh =
    token.kind === 'refresh_token'
      ? token.status === 'active'
      : grant !== null && store.getGrantTokens(grant.id).some((t) => t.kind === 'refresh_token' && t.status === 'active');

  const actions: TokenActionsAvailability = {
    refresh: firstOf(
      unreadable,
      clientCredentials && 'a client-credentials token has no refresh token: get a new token instead',
      serverUnknown,
      grant?.state === 'dead' && `the grant is dead (${grant.deadReason ?? 'refused by the server'}): sign in again`,
      token.kind === 'refresh_token' && token.status !== 'active' && `this refresh token is ${token.status}`,
      !activeRefresh && 'no active refresh token came with this token: sign in again for fresh tokens',
    ),
    getNewToken: firstOf(
      !clientCredentials && 'only a client-credentials token is re-obtained this way',
      serverUnknown,
      !confidential && 'the profile is a public client: client credentials need a secret or a private key',
    ),
    revoke: firstOf(unreadable, token.status === 'revoked' && 'already revoked', serverUnknown),
    introspect: firstOf(
      token.kind === 'id_token' &&
        'an ID token is not introspected (RFC 7662 takes access and refresh tokens): verify its signature instead',
      unreadable,
      serverUnknown,
    ),
    userinfo: firstOf(token.kind !== 'access_token' && 'userinfo takes an access token', unreadable, serverUnknown),
    callApi: firstOf(
      token.kind === 'refresh_token' && 'a refresh token is sent only to the token endpoint: call the API with its access token',
      token.kind === 'id_token' && 'an ID token is for the client, not for APIs: call the API with the access token',
      unreadable,
    ),
    verify: firstOf(!isJwt && 'only a JWT carries a signature the client can check', unreadable),
    exchange: firstOf(
      token.kind === 'unknown' &&
        !isJwt &&
        'its token type cannot be named for a token exchange (not an access, refresh or ID token, nor a JWT)',
      unreadable,
      serverUnknown,
    ),
    attachProfile: firstOf(serverUnknown === null && `obtained through the profile "${profile?.name ?? ''}"`, unreadable),
  };
  return { ...detail, actions, profile: profile ? { id: profile.id, name: profile.name } : null };
}

/** Links a token whose server is unknown to a profile; a refresh token without a grant gets one, so it can refresh. */
export function attachToProfile(
  store: Pick<OAuthStore, 'getTokenSummary' | 'getProfile' | 'createGrant' | 'setTokenProfile' | 'addEvent' | 'write'>,
  arg: { tokenId: string; profileId: string },
): TokenAttachResult {
  const token = store.getTokenSummary(arg.tokenId);
  if (!token) throw new TokenscopeError('ERR_NOT_FOUND', 'no such token in the history');
  const profile = store.getProfile(arg.profileId);
  if (!profile) throw new TokenscopeError('ERR_NOT_FOUND', 'no such profile');
  return store.write(() => {
    const grantId =
      token.grantId ??
      (token.kind === 'refresh_token'
        ? store.createGrant({
            profileId: profile.id,
            grantType: 'refresh_token',
            issuer: token.issuer,
            clientId: token.clientId,
            scopes: token.scopes,
          })
        : null);
    store.setTokenProfile(token.id, profile.id, grantId);
    store.addEvent({ tokenId: token.id, grantId, type: 'attached', detail: { profileId: profile.id } });
    return { tokenId: token.id, profileId: profile.id, grantId };
  });
}

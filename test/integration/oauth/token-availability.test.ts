/**
 * What can be done with a token is decided once, in the back end (TokenDetailView.actions), against a real
 * oidc-provider: client credentials offer "get a new token", a pasted token says why its server is unknown until it
 * is attached to a profile (then introspection works), an ID token is not introspected, a second revoke is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oauthHarness, startTestIssuer, type OAuthHarness } from '../../helpers/oidc-provider.ts';
import type { RunningIssuer } from '../../../src/main/demo-issuer/demo-issuer.ts';
import { tokenDetailView } from '../../../src/main/oauth/token-availability.ts';
import { jwt, opaque } from '../../fixtures/store/helpers.ts';

const CLIENT = { id: 'avail-basic', secret: 'avail-basic-secret-0123456789' };
let issuer: RunningIssuer;
let h: OAuthHarness;
let other: OAuthHarness;

beforeAll(async () => {
  issuer = await startTestIssuer({
    clients: [
      {
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      },
    ],
  });
  h = await oauthHarness();
  other = await oauthHarness();
});

afterAll(async () => {
  await h?.close();
  await other?.close();
  await issuer?.close();
});

const profileInput = () => ({
  name: 'service client',
  settings: { issuer: issuer.issuer, clientId: CLIENT.id, authMethod: 'client_secret_basic' as const, scope: 'api:read' },
  clientSecret: CLIENT.secret,
});

const actionsOf = (harness: OAuthHarness, id: string) => tokenDetailView(harness.store, harness.store.getToken(id)).actions;

describe('token actions, decided by the back end', () => {
  it('a client-credentials token offers "get a new token" instead of Refresh, and a second revoke says already revoked', async () => {
    const profile = await h.oauth.saveProfile(profileInput());
    const first = await h.oauth.clientCredentials({ profileId: profile.id });
    const id = first.tokens[0]?.id ?? '';
    const actions = actionsOf(h, id);
    expect(actions.refresh).toEqual({
      available: false,
      reason: 'a client-credentials token has no refresh token: get a new token instead',
    });
    expect(actions.getNewToken).toEqual({ available: true, reason: null });
    expect(actions.attachProfile.available).toBe(false);
    // "Get a new token" is the profile's client credentials again: a new token arrives.
    const again = await h.oauth.clientCredentials({ profileId: profile.id });
    expect(again.tokens[0]?.id).not.toBe(id);

    expect(actionsOf(h, id).revoke).toEqual({ available: true, reason: null });
    await h.oauth.revokeToken({ tokenId: id });
    expect(actionsOf(h, id).revoke).toEqual({ available: false, reason: 'already revoked' });
  });

  it('a pasted token says why its server is unknown; attached to a profile, introspection works', async () => {
    const profile = await h.oauth.saveProfile(profileInput());
    const obtained = await h.oauth.clientCredentials({ profileId: profile.id });
    const value = h.store.getTokenValue(obtained.tokens[0]?.id ?? '');
    // The same token pasted into another history, which has no profile for it.
    const pasted = other.store.saveToken({ value, kind: 'access_token', format: 'jwt', source: 'paste' }).id;
    const before = actionsOf(other, pasted);
    for (const action of ['introspect', 'userinfo', 'revoke', 'refresh'] as const) {
      expect(before[action].available, action).toBe(false);
    }
    expect(before.introspect.reason).toMatch(/does not know its server.*attach it to a profile/);
    expect(before.attachProfile).toEqual({ available: true, reason: null });
    await expect(other.oauth.introspectToken({ tokenId: pasted })).rejects.toMatchObject({ code: 'ERR_NOT_SUPPORTED' });

    const mine = await other.oauth.saveProfile(profileInput());
    const attached = other.oauth.attachProfile({ tokenId: pasted, profileId: mine.id });
    expect(attached).toEqual({ tokenId: pasted, profileId: mine.id, grantId: null });
    const after = actionsOf(other, pasted);
    expect(after.introspect).toEqual({ available: true, reason: null });
    expect(after.attachProfile.available).toBe(false);
    expect((await other.oauth.introspectToken({ tokenId: pasted })).active).toBe(true);
    expect(other.store.getToken(pasted).events.map((e) => e.type)).toContain('attached');
  });

  it('an attached refresh token gets a grant of its own, so Refresh is offered', async () => {
    const profile = await other.oauth.saveProfile(profileInput());
    const id = other.store.saveToken({
      value: opaque('pasted-refresh'),
      kind: 'refresh_token',
      format: 'opaque',
      source: 'paste',
    }).id;
    expect(actionsOf(other, id).refresh.available).toBe(false);
    const attached = other.oauth.attachProfile({ tokenId: id, profileId: profile.id });
    expect(attached.grantId).not.toBeNull();
    expect(actionsOf(other, id).refresh).toEqual({ available: true, reason: null });
  });

  it('an ID token is not introspected, and says so in words', () => {
    const idToken = jwt({ iss: issuer.issuer, sub: 'alice', aud: CLIENT.id, exp: Math.floor(Date.now() / 1000) + 600 });
    const id = h.store.saveToken({ value: idToken, kind: 'id_token', format: 'jwt', source: 'paste' }).id;
    expect(actionsOf(h, id).introspect.reason).toMatch(/ID token is not introspected/);
    expect(actionsOf(h, id).userinfo.reason).toBe('userinfo takes an access token');
    expect(actionsOf(h, id).verify).toEqual({ available: true, reason: null });
  });

  it('attaching to a profile that does not exist is ERR_NOT_FOUND', () => {
    const id = h.store.saveToken({ value: opaque('lonely'), kind: 'access_token', format: 'opaque', source: 'paste' }).id;
    expect(() => h.oauth.attachProfile({ tokenId: id, profileId: 'no-such-profile' })).toThrow(
      expect.objectContaining({ code: 'ERR_NOT_FOUND' }),
    );
  });
});

/**
 * A token response that arrives while an import holds the history (a `writeAsync` transaction) waits for it and is
 * saved: tokens a server issued are never dropped because the history was busy. Likewise what a server answers to a
 * revocation or an introspection is recorded when the import ends, not refused. Real oidc-provider, real store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BASIC_TEST_CLIENT,
  basicTestProfile,
  oauthHarness,
  startTestIssuer,
  type OAuthHarness,
} from '../../helpers/oidc-provider.ts';
import type { RunningIssuer } from '../../../src/main/demo-issuer/demo-issuer.ts';

let issuer: RunningIssuer;
let h: OAuthHarness;
let profileId: string;

beforeAll(async () => {
  issuer = await startTestIssuer({
    clients: [BASIC_TEST_CLIENT],
  });
  h = await oauthHarness();
  profileId = (await h.oauth.saveProfile(basicTestProfile(issuer.issuer))).id;
});

afterAll(async () => {
  await h?.close();
  await issuer?.close();
});

describe('a token response during an import', () => {
  it('waits for the import to end and is then saved (not refused, not lost)', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let importEnded = false;
    // What an import does: one transaction across awaits; other writers are refused (ERR_UNAVAILABLE) meanwhile.
    const importing = h.store.writeAsync(async () => {
      await held;
      importEnded = true;
    });
    expect(() => h.store.addEvent({ type: 'exported', detail: {} })).toThrow(/busy with an import/);
    const obtained = h.oauth.clientCredentials({ profileId });
    // The token request has its answer long before the import ends: it waits, and nothing is saved yet.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(h.store.count()).toBe(0);
    release();
    await importing;
    const result = await obtained;
    expect(importEnded).toBe(true);
    expect(result.tokens).toHaveLength(1);
    expect(h.store.getTokenSummary(result.tokens[0]!.id)?.status).toBe('active');
    expect(h.store.count()).toBe(1);
  });

  it('a revocation the server accepted during an import is recorded when it ends (not refused, not lost)', async () => {
    // Without a resource the issuer hands out an opaque access token, which its revocation endpoint accepts.
    const { authorizationParams: _jwt, ...settings } = basicTestProfile(issuer.issuer).settings;
    const opaqueProfile = await h.oauth.saveProfile({ ...basicTestProfile(issuer.issuer), name: 'basic opaque', settings });
    const { tokens } = await h.oauth.clientCredentials({ profileId: opaqueProfile.id });
    const tokenId = tokens[0]!.id;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const importing = h.store.writeAsync(() => held);
    let settled = false;
    const revoking = h.oauth.revokeToken({ tokenId }).finally(() => (settled = true));
    const introspecting = h.oauth.introspectToken({ tokenId });
    // The server has long answered; the history is still the import's: nothing written yet, nothing refused.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(settled).toBe(false);
    expect(h.store.getTokenSummary(tokenId)?.status).toBe('active');
    release();
    await importing;
    expect(await revoking).toMatchObject({ tokenId, revoked: true });
    await introspecting;
    expect(h.store.getTokenSummary(tokenId)?.status).toBe('revoked');
    const types = h.store.getEvents({ tokenId }).map((e) => e.type);
    expect(types).toContain('revoked');
    expect(types).toContain('introspected');
  });
});

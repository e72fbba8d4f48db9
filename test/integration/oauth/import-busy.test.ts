/**
 * A token response that arrives while an import holds the history (a `writeAsync` transaction) waits for it and is
 * saved: tokens a server issued are never dropped because the history was busy. Real oidc-provider, real store.
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
});

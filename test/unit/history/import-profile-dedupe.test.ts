/** Issue 16 item 5: importing a bundle from another machine does not add a second profile for the same issuer + client. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportToFile } from '../../../src/main/history/export.ts';
import { importContent } from '../../../src/main/history/import.ts';
import type { Store } from '../../../src/main/store/index.ts';
import { freshDir } from '../../helpers/temp-dir.ts';
import { accessJwt, openTestStore, type TestStore } from '../../fixtures/store/helpers.ts';

let open: TestStore[] = [];
async function fresh(): Promise<TestStore> {
  const t = await openTestStore();
  open.push(t);
  return t;
}
afterEach(() => {
  for (const t of open) t.store.close();
  open = [];
});

async function bundleOf(store: Store): Promise<string> {
  const path = join(freshDir(), 'bundle.json');
  await exportToFile(store, { format: 'bundle', redact: 'full' }, path, Date.now());
  return readFileSync(path, 'utf8');
}

/** A profile and one token obtained through it. */
function profileWithToken(t: TestStore, settings: Record<string, unknown>, name: string): { profileId: string; tokenId: string } {
  const profileId = t.store.saveProfile({ name, settings, secrets: {} });
  const grantId = t.store.createGrant({
    profileId,
    grantType: 'authorization_code',
    issuer: String(settings['issuer']),
    clientId: String(settings['clientId']),
    scopes: ['openid'],
  });
  const saved = t.store.saveToken({
    value: accessJwt(t.clock.now() + Math.floor(Math.random() * 1000)),
    kind: 'access_token',
    format: 'jwt',
    grantId,
    profileId,
    source: 'flow',
  });
  return { profileId, tokenId: saved.id };
}

describe('profile de-duplication on import', () => {
  it('same issuer (trailing slash aside) + client id = the profile already here: the tokens and grants join it', async () => {
    const here = await fresh();
    const mine = profileWithToken(here, { issuer: 'https://issuer.example/', clientId: 'app' }, 'My app');
    const there = await fresh();
    const theirs = profileWithToken(there, { issuer: 'https://issuer.example', clientId: 'app' }, 'My app (laptop)');
    profileWithToken(there, { issuer: 'https://issuer.example', clientId: 'other-app' }, 'Other app');

    const report = await importContent(here.store, { content: await bundleOf(there.store) });
    expect(report.committed).toBe(true);
    const profiles = here.store.listProfiles();
    expect(profiles.map((p) => p.name).sort()).toEqual(['My app', 'Other app']);
    expect(here.store.hasProfile(theirs.profileId)).toBe(false);
    expect(here.store.getTokenSummary(theirs.tokenId)?.profileId).toBe(mine.profileId);
    const grantId = here.store.getTokenSummary(theirs.tokenId)?.grantId ?? '';
    expect(here.store.getGrantSummary(grantId)?.profileId).toBe(mine.profileId);
  });

  it("another machine's demo profiles are the same demo profiles (their issuer port differs)", async () => {
    const here = await fresh();
    const demo = (port: number) => ({
      issuer: `http://127.0.0.1:${String(port)}`,
      clientId: 'tokenscope-demo',
      demo: true,
      demoRole: 'native',
    });
    profileWithToken(here, demo(41001), 'Demo issuer (local)');
    const there = await fresh();
    profileWithToken(there, demo(52002), 'Demo issuer (local)');
    await importContent(here.store, { content: await bundleOf(there.store) });
    expect(here.store.listProfiles().filter((p) => p.name === 'Demo issuer (local)')).toHaveLength(1);
  });

  it('a different client id, or a different issuer, stays a profile of its own; importing twice adds nothing', async () => {
    const here = await fresh();
    profileWithToken(here, { issuer: 'https://a.example', clientId: 'app' }, 'A');
    const there = await fresh();
    profileWithToken(there, { issuer: 'https://b.example', clientId: 'app' }, 'B');
    const bundle = await bundleOf(there.store);
    await importContent(here.store, { content: bundle });
    await importContent(here.store, { content: bundle });
    expect(
      here.store
        .listProfiles()
        .map((p) => p.name)
        .sort(),
    ).toEqual(['A', 'B']);
  });
});

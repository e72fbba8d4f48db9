/**
 * What a sign-in writes, and how often it commits: the tokens, the flow's logged requests and the callback's own
 * exchange go in one transaction (each commit is an fsync with synchronous=FULL), and the demo profiles are not
 * rewritten on every sign-in when nothing about them changed. The flow bench row (bench/rows/flow-row.ts) measures
 * the time; this test holds the number of commits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptedLogin } from '../../../bench/rows/flow-row.ts';
import { testPlatform } from '../../helpers/test-platform.ts';
import { createServices } from '../../../src/main/services.ts';
import { Connection } from '../../../src/main/store/connection.ts';
import { ProfileRepository } from '../../../src/main/store/profile-repository.ts';
import type { TokenscopeBackend } from '../../../src/shared/api.ts';
import type { Result } from '../../../src/shared/result.ts';

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

let backend: TokenscopeBackend;
let login: Promise<{ callbackStatus: number }> = Promise.resolve({ callbackStatus: 0 });
const commits: string[] = [];
const originalWrite = Object.getOwnPropertyDescriptor(Connection.prototype, 'write')?.value as Connection['write'];
let profileReads = 0;
const originalGetProfile = Object.getOwnPropertyDescriptor(ProfileRepository.prototype, 'getProfile')
  ?.value as ProfileRepository['getProfile'];

beforeAll(async () => {
  // Counts the outermost write transactions (nested writes join them and commit nothing of their own).
  Connection.prototype.write = function <T>(this: Connection, fn: () => T): T {
    if (!this.inWrite && !this.db.inTransaction) commits.push(new Error().stack?.split('\n')[2]?.trim() ?? '');
    return originalWrite.call(this, fn) as T;
  };
  ProfileRepository.prototype.getProfile = function (this: ProfileRepository, id: string) {
    profileReads++;
    return originalGetProfile.call(this, id);
  };
  const platform = testPlatform({
    onOpen: (url) => {
      login = scriptedLogin(url);
    },
  });
  backend = await createServices(platform);
});

afterAll(async () => {
  Connection.prototype.write = originalWrite;
  ProfileRepository.prototype.getProfile = originalGetProfile;
  await backend?.close();
});

async function signIn(profileId: string): Promise<string> {
  const start = value(await backend.startLogin({ profileId }));
  expect((await login).callbackStatus).toBe(200);
  const flow = value(await backend.getFlow({ flowId: start.flowId }));
  expect(flow.state).toBe('done');
  return flow.result!.grantId;
}

describe('a sign-in through the contract', () => {
  it('commits once: tokens, the logged requests and the callback exchange together; unchanged demo profiles are not rewritten', async () => {
    const { profileId } = value(await backend.ensureDemoIssuer());
    await signIn(profileId); // the first: discovery and the issuer's keys are fetched and cached
    const before = value(await backend.listProfiles()).map((p) => p.id);
    commits.length = 0;
    profileReads = 0;
    const grantId = await signIn(profileId);
    expect(commits, commits.join('\n')).toHaveLength(1);
    // The profile is read once for the sign-in, and each demo profile once by the sync that found it unchanged
    // (not the signed-in profile a second time after the sync).
    const demoProfiles = value(await backend.listProfiles()).filter((p) => p.settings.demo === true).length;
    expect(profileReads).toBe(1 + demoProfiles);
    expect(value(await backend.listProfiles()).map((p) => p.id)).toEqual(before);

    // The log is complete all the same: the token request and the callback with its page, linked to the grant.
    const exchanges = value(await backend.listExchanges({ grantId }));
    const callback = exchanges.find((e) => new URL(e.url).pathname === '/callback');
    expect(callback).toMatchObject({ method: 'GET', status: 200 });
    expect(callback?.responseBody).toMatch(/^Signed in: Tokenscope received 3 token\(s\)/);
    expect(exchanges.some((e) => e.method === 'POST' && new URL(e.url).pathname === '/token')).toBe(true);
  });
});

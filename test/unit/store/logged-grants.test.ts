// The exchange log's grant picker: every grant with logged requests (not only those of the newest tokens), the
// most recently active first, each with its subject and request count; grants without requests stay out.
import { afterEach, describe, expect, it } from 'vitest';
import { createServices } from '../../../src/main/services.ts';
import type { TokenscopeBackend } from '../../../src/shared/api.ts';
import { openStoreWith, type Store } from '../../../src/main/store/index.ts';
import { memoryKeyProvider } from '../../../src/main/store/key-file-provider.ts';
import { testPlatform } from '../../helpers/test-platform.ts';
import { opaque } from '../../fixtures/store/helpers.ts';

const stores: Store[] = [];
let backend: TokenscopeBackend | undefined;
afterEach(async () => {
  for (const s of stores.splice(0)) s.close();
  await backend?.close();
  backend = undefined;
});

function request(store: Store, grantId: string, startedAtMs: number): void {
  store.addExchange({
    grantId,
    method: 'POST',
    url: 'https://issuer.example/token',
    status: 200,
    requestHeaders: {},
    requestBody: 'grant_type=refresh_token',
    responseHeaders: {},
    responseBody: '{}',
    durationMs: 3,
    startedAtMs,
  });
}

describe('grants with logged requests', () => {
  it('lists every grant with requests, latest activity first, with its subject and count', async () => {
    let now = 1_000;
    const store = await openStoreWith(':memory:', memoryKeyProvider(), { now: () => now });
    stores.push(store);
    const grant = (subject: string): string => {
      const id = store.createGrant({ grantType: 'authorization_code', issuer: 'https://issuer.example', clientId: 'app' });
      store.saveToken({ value: opaque('at'), kind: 'access_token', format: 'opaque', grantId: id, subject, source: 'test' });
      return id;
    };
    const older = grant('alice');
    const newer = grant('bob');
    const silent = grant('carol'); // pasted or imported: nothing was ever sent for it
    request(store, older, 1_000);
    request(store, newer, 2_000);
    // Many tokens later, a refresh on the older grant: it comes first again.
    for (let i = 0; i < 600; i++) store.saveToken({ value: opaque('x'), kind: 'access_token', format: 'opaque', source: 'test' });
    now = 3_000;
    request(store, older, 3_000);

    const listed = store.listLoggedGrants();
    expect(listed.map((g) => g.id)).toEqual([older, newer]);
    expect(listed[0]).toMatchObject({
      subject: 'alice',
      exchangeCount: 2,
      lastExchangeAtMs: 3_000,
      grantType: 'authorization_code',
    });
    expect(listed[1]).toMatchObject({ subject: 'bob', exchangeCount: 1, lastExchangeAtMs: 2_000 });
    expect(listed.some((g) => g.id === silent)).toBe(false);
    expect(store.listLoggedGrants(1).map((g) => g.id)).toEqual([older]);
  });

  it('through the contract: a clear error for a bad query, an empty list for a new history', async () => {
    backend = await createServices(testPlatform());
    const empty = await backend.listLoggedGrants({});
    expect(empty.ok && empty.value).toEqual([]);
    const bad = await backend.listLoggedGrants('x' as never);
    expect(bad.ok ? 'ok' : bad.error.code).toBe('ERR_INVALID_ARGUMENT');
    const tooMany = await backend.listLoggedGrants({ limit: 5000 });
    expect(tooMany.ok ? 'ok' : tooMany.error.code).toBe('ERR_INVALID_ARGUMENT');
  });
});

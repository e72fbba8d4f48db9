import { maskValue } from '../../../src/shared/mask.ts';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/main/store/index.ts';
import { decodeCursor, encodeCursor, openStore, tokenHash } from '../../../src/main/store/index.ts';
import { queryWords } from '../../../src/main/store/fts-index.ts';
import { TokenscopeError } from '../../../src/shared/result.ts';
import { testPlatform } from '../../helpers/test-platform.ts';
import { accessJwt, jwt, opaque, openTestStore, type TestStore } from '../../fixtures/store/helpers.ts';

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

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e instanceof TokenscopeError ? e.code : `not a TokenscopeError: ${String(e)}`;
  }
}

describe('saveToken', () => {
  it('fills issuer, subject, client, scopes, times and jti from a JWT', async () => {
    const { store, clock } = await fresh();
    const value = accessJwt(clock.now(), { jti: 'abc-1' });
    const { id, created } = store.saveToken({ value, kind: 'access_token', format: 'jwt', source: 'paste' });
    expect(created).toBe(true);
    const d = store.getToken(id);
    expect(d.summary).toMatchObject({
      issuer: 'https://issuer.example',
      subject: 'alice',
      clientId: 'cli-app',
      scopes: ['openid', 'profile'],
      status: 'active',
    });
    expect(d.summary.expiresAtMs).toBe(Math.floor(clock.now() / 1000) * 1000 + 3_600_000);
    expect(d.jti).toBe('abc-1');
    expect(d.claims?.['sub']).toBe('alice');
    expect(d.header?.['kid']).toBe('k1');
    expect(d.readable).toBe(true);
    expect(d.hash).toBe(tokenHash(value));
  });

  it('de-duplicates by value: the second save returns the first id', async () => {
    const { store } = await fresh();
    const value = opaque();
    const a = store.saveToken({ value, kind: 'access_token', format: 'opaque', source: 'paste' });
    const b = store.saveToken({ value, kind: 'access_token', format: 'opaque', source: 'paste' });
    expect(b).toEqual({ id: a.id, created: false });
    expect(store.count()).toBe(1);
  });

  it('the preview is masked and getTokenValue returns the exact value', async () => {
    const { store, clock } = await fresh();
    const value = accessJwt(clock.now());
    const { id } = store.saveToken({ value, kind: 'access_token', format: 'jwt', source: 'paste' });
    const s = store.getTokenSummary(id);
    expect(s?.preview).toBe(maskValue(value));
    expect(s?.preview).not.toContain(value.slice(0, 4));
    expect(store.getTokenValue(id)).toBe(value);
  });

  it('refuses values with spaces or control characters and unknown kinds', async () => {
    const { store } = await fresh();
    expect(codeOf(() => store.saveToken({ value: 'a b', kind: 'access_token', format: 'opaque', source: 'x' }))).toBe(
      'ERR_NOT_A_TOKEN',
    );
    expect(codeOf(() => store.saveToken({ value: '', kind: 'access_token', format: 'opaque', source: 'x' }))).toBe(
      'ERR_NOT_A_TOKEN',
    );
    expect(codeOf(() => store.saveToken({ value: 'abc', kind: 'weird' as never, format: 'opaque', source: 'x' }))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
  });

  it('strict saving refuses a JWT-looking value that does not decode', async () => {
    const { store } = await fresh();
    expect(
      codeOf(() =>
        store.saveToken({ value: 'eyJhbGciOi.bbbb.cccc', kind: 'access_token', format: 'jwt', source: 'import', strict: true }),
      ),
    ).toBe('ERR_MALFORMED_JWT');
    expect(store.saveToken({ value: 'eyJhbGciOi.bbbb.cccc', kind: 'access_token', format: 'jwt', source: 'x' }).created).toBe(
      true,
    );
  });

  it('an opaque refresh token takes issuer and client from its grant', async () => {
    const { store } = await fresh();
    const grantId = store.createGrant({
      grantType: 'authorization_code',
      issuer: 'https://as.example',
      clientId: 'c1',
      scopes: ['openid'],
    });
    const { id } = store.saveToken({
      value: opaque('rt'),
      kind: 'refresh_token',
      format: 'rfc6749.TokenResponse',
      grantId,
      source: 'authorization_code',
    });
    expect(store.getTokenSummary(id)).toMatchObject({ issuer: 'https://as.example', clientId: 'c1', grantId });
  });

  it('an unknown grant or profile is ERR_NOT_FOUND', async () => {
    const { store } = await fresh();
    expect(
      codeOf(() => store.saveToken({ value: opaque(), kind: 'access_token', format: 'x', grantId: 'nope', source: 'x' })),
    ).toBe('ERR_NOT_FOUND');
    expect(
      codeOf(() => store.saveToken({ value: opaque(), kind: 'access_token', format: 'x', profileId: 'nope', source: 'x' })),
    ).toBe('ERR_NOT_FOUND');
  });

  it('an unknown grant or profile of a JWT that names its issuer and client is ERR_NOT_FOUND too, and the write goes on without it', async () => {
    const { store } = await fresh();
    const value = (): string => jwt({ iss: 'https://as.example', client_id: 'c1', sub: 'u1' });
    const kept = store.write(() => {
      const first = store.saveToken({ value: value(), kind: 'access_token', format: 'jwt', source: 'x' }).id;
      expect(
        codeOf(() => store.saveToken({ value: value(), kind: 'access_token', format: 'jwt', grantId: 'nope', source: 'x' })),
      ).toBe('ERR_NOT_FOUND');
      expect(
        codeOf(() => store.saveToken({ value: value(), kind: 'access_token', format: 'jwt', profileId: 'nope', source: 'x' })),
      ).toBe('ERR_NOT_FOUND');
      return first;
    });
    expect(store.count()).toBe(1);
    expect(store.listTokens({ text: 'u1' }).items.map((t) => t.id)).toEqual([kept]);
  });

  it('events of a write are read back inside it, and those of a rolled-back savepoint are gone', async () => {
    const { store } = await fresh();
    const id = store.saveToken({ value: opaque(), kind: 'access_token', format: 'x', source: 'x' }).id;
    store.write(() => {
      store.addEvent({ tokenId: id, type: 'verified', detail: { n: 1 } });
      expect(store.getEvents({ tokenId: id }).map((e) => e.type)).toEqual(['verified']);
      expect(() =>
        store.savepoint(() => {
          store.addEvent({ tokenId: id, type: 'revoked', detail: {} });
          throw new Error('roll back');
        }),
      ).toThrow('roll back');
      store.addEvent({ tokenId: id, type: 'refreshed', detail: {} });
    });
    expect(store.getEvents({ tokenId: id }).map((e) => e.type)).toEqual(['refreshed', 'verified']);
  });

  it('a token saved after its expiry is expired, and the sweep expires active ones', async () => {
    const { store, clock } = await fresh();
    const old = store.saveToken({
      value: opaque(),
      kind: 'access_token',
      format: 'x',
      expiresAtMs: clock.now() - 1,
      source: 'x',
    });
    const soon = store.saveToken({
      value: opaque(),
      kind: 'access_token',
      format: 'x',
      expiresAtMs: clock.now() + 60_000,
      source: 'x',
    });
    expect(store.getTokenSummary(old.id)?.status).toBe('expired');
    expect(store.getTokenSummary(soon.id)?.status).toBe('active');
    clock.advance(120_000);
    expect(store.sweepExpired(true)).toBe(1);
    expect(store.getTokenSummary(soon.id)?.status).toBe('expired');
  });
});

describe('grants, statuses, events', () => {
  it('getGrant returns the grant, its tokens newest first and its events', async () => {
    const { store, clock } = await fresh();
    const grantId = store.createGrant({
      grantType: 'authorization_code',
      issuer: 'https://issuer.example',
      clientId: 'cli-app',
      scopes: ['openid'],
    });
    const at = store.saveToken({
      value: accessJwt(clock.now()),
      kind: 'access_token',
      format: 'rfc6749.TokenResponse',
      grantId,
      source: 'authorization_code',
    });
    const rt = store.saveToken({
      value: opaque('rt'),
      kind: 'refresh_token',
      format: 'rfc6749.TokenResponse',
      grantId,
      source: 'authorization_code',
    });
    store.addEvent({ tokenId: at.id, grantId, type: 'obtained', detail: { status: 200 } });
    const g = store.getGrant(grantId);
    expect(g.grant).toMatchObject({ id: grantId, grantType: 'authorization_code', state: 'live', scopes: ['openid'] });
    expect(g.tokens.map((t) => t.id)).toEqual([rt.id, at.id]);
    expect(g.events.map((e) => e.type)).toEqual(['obtained']);
    expect(store.getGrantTokens(grantId)).toHaveLength(2);
  });

  it('markGrantDead records the reason and an event; an unknown grant is ERR_NOT_FOUND', async () => {
    const { store } = await fresh();
    const grantId = store.createGrant({ grantType: 'refresh_token' });
    store.markGrantDead(grantId, 'invalid_grant');
    const g = store.getGrant(grantId);
    expect(g.grant.state).toBe('dead');
    expect(g.grant.deadReason).toBe('invalid_grant');
    expect(g.events[0]?.type).toBe('grant-dead');
    expect(codeOf(() => store.markGrantDead('nope', 'x'))).toBe('ERR_NOT_FOUND');
    expect(codeOf(() => store.getGrant('nope'))).toBe('ERR_NOT_FOUND');
  });

  it('setTokenStatus changes the status and the counts follow', async () => {
    const { store } = await fresh();
    const a = store.saveToken({ value: opaque(), kind: 'refresh_token', format: 'x', source: 'x' });
    store.saveToken({ value: opaque(), kind: 'refresh_token', format: 'x', source: 'x' });
    store.setTokenStatus(a.id, 'superseded');
    expect(store.getTokenSummary(a.id)?.status).toBe('superseded');
    expect(store.countByStatus()).toMatchObject({ active: 1, superseded: 1, total: 2 });
    expect(codeOf(() => store.setTokenStatus(a.id, 'unreadable'))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => store.setTokenStatus('nope', 'revoked'))).toBe('ERR_NOT_FOUND');
  });

  it('addEvent refuses an unknown type; getEvents lists newest first', async () => {
    const { store } = await fresh();
    const t = store.saveToken({ value: opaque(), kind: 'access_token', format: 'x', source: 'x' });
    store.addEvent({ tokenId: t.id, type: 'introspected', detail: { active: true } });
    store.addEvent({ tokenId: t.id, type: 'revoked' });
    expect(store.getEvents({ tokenId: t.id }).map((e) => e.type)).toEqual(['revoked', 'introspected']);
    expect(codeOf(() => store.addEvent({ type: 'nope' as never }))).toBe('ERR_INVALID_ARGUMENT');
  });

  it('deleteTokens removes rows, keeps a deleted event and leaves the search index clean', async () => {
    const { store, clock } = await fresh();
    const t = store.saveToken({
      value: accessJwt(clock.now(), { sub: 'zed-unique' }),
      kind: 'access_token',
      format: 'jwt',
      source: 'x',
    });
    expect(store.listTokens({ text: 'zed-unique' }).items).toHaveLength(1);
    expect(store.deleteTokens([t.id, 'missing'])).toBe(1);
    expect(store.listTokens({ text: 'zed-unique' }).items).toHaveLength(0);
    expect(store.getEvents({ tokenId: t.id })[0]?.type).toBe('deleted');
    expect(store.countByStatus().total).toBe(0);
  });

  it('purgeExpired deletes tokens expired more than N days ago only', async () => {
    const { store, clock } = await fresh();
    const day = 86_400_000;
    store.saveToken({ value: opaque(), kind: 'access_token', format: 'x', expiresAtMs: clock.now() - 10 * day, source: 'x' });
    store.saveToken({ value: opaque(), kind: 'access_token', format: 'x', expiresAtMs: clock.now() - 1 * day, source: 'x' });
    store.saveToken({ value: opaque(), kind: 'access_token', format: 'x', expiresAtMs: clock.now() + day, source: 'x' });
    expect(store.purgeExpired(7)).toBe(1);
    expect(store.count()).toBe(2);
  });

  it('wipe deletes everything and vacuums', async () => {
    const { store } = await fresh();
    const g = store.createGrant({ grantType: 'x' });
    for (let i = 0; i < 20; i++) store.saveToken({ value: opaque(), kind: 'access_token', format: 'x', grantId: g, source: 'x' });
    expect(store.wipe()).toBe(20);
    expect(store.count()).toBe(0);
    expect(store.listTokens({}).counts?.total).toBe(0);
    expect(store.getEvents({})).toHaveLength(0);
    expect(store.getGrantSummary(g)).toBeNull();
  });
});

describe('profiles and exchanges', () => {
  it('saves a profile with encrypted secrets, lists it without them, updates and deletes it', async () => {
    const { store } = await fresh();
    const id = store.saveProfile({
      name: 'Local AS',
      settings: { issuer: 'https://as.example', clientId: 'c1' },
      secrets: { clientSecret: 's3cr3t' },
    });
    expect(store.getProfile(id)).toMatchObject({
      id,
      name: 'Local AS',
      settings: { issuer: 'https://as.example' },
      secrets: { clientSecret: 's3cr3t' },
    });
    expect(store.listProfiles()).toEqual([expect.objectContaining({ id, name: 'Local AS', hasSecrets: true })]);
    expect(JSON.stringify(store.listProfiles())).not.toContain('s3cr3t');
    store.saveProfile({ id, name: 'Renamed', settings: {}, secrets: {} });
    expect(store.getProfile(id)).toMatchObject({ name: 'Renamed', secrets: {} });
    expect(store.deleteProfile(id)).toBe(true);
    expect(store.getProfile(id)).toBeNull();
    expect(codeOf(() => store.saveProfile({ name: ' ', settings: {}, secrets: {} }))).toBe('ERR_PROFILE_INVALID');
  });

  it('deleting a profile keeps its tokens, unlinked', async () => {
    const { store } = await fresh();
    const profileId = store.saveProfile({ name: 'p', settings: {}, secrets: {} });
    const t = store.saveToken({ value: opaque(), kind: 'access_token', format: 'x', profileId, source: 'x' });
    store.deleteProfile(profileId);
    expect(store.getTokenSummary(t.id)?.profileId).toBeNull();
  });

  it('logs exchanges and lists them by grant, flow or token in order', async () => {
    const { store } = await fresh();
    const grantId = store.createGrant({ grantType: 'authorization_code' });
    const base = {
      method: 'POST',
      url: 'https://as.example/token',
      status: 200,
      requestHeaders: { 'content-type': 'application/x-www-form-urlencoded' },
      responseHeaders: {},
      durationMs: 12,
      startedAtMs: 1,
    };
    store.addExchange({
      ...base,
      grantId,
      flowId: 'f1',
      requestBody: 'grant_type=authorization_code&code=***',
      responseBody: '{"access_token":"***"}',
    });
    store.addExchange({ ...base, flowId: 'f1', status: null, requestBody: null, responseBody: null });
    expect(store.listExchanges({ flowId: 'f1' }).map((e) => e.status)).toEqual([200, null]);
    const [first] = store.listExchanges({ grantId });
    expect(first).toMatchObject({
      method: 'POST',
      requestBody: 'grant_type=authorization_code&code=***',
      requestHeaders: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(codeOf(() => store.listExchanges({}))).toBe('ERR_INVALID_ARGUMENT');
  });

  it('an exchange logged while an import holds the history is written when the import ends, not dropped', async () => {
    const { store } = await fresh();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // An import: one transaction across awaits, rolled back here (the exchange is not part of it either way).
    const importing = store.writeAsync(async () => {
      await held;
      throw new Error('import failed');
    });
    const exchange = {
      method: 'POST',
      url: 'https://as.example/token',
      status: 200,
      requestHeaders: {},
      responseHeaders: {},
      requestBody: 'grant_type=client_credentials',
      responseBody: '{"access_token":"***"}',
      durationMs: 3,
      startedAtMs: 1,
      flowId: 'during-import',
    };
    const id = store.addExchange(exchange);
    expect(store.listExchanges({ flowId: 'during-import' })).toEqual([]);
    release();
    await expect(importing).rejects.toThrow('import failed');
    await new Promise((resolve) => setImmediate(resolve));
    const logged = store.listExchanges({ flowId: 'during-import' });
    expect(logged.map((e) => [e.id, e.requestBody])).toEqual([[id, 'grant_type=client_credentials']]);
    // Outside an import it is written at once, as before.
    store.addExchange({ ...exchange, startedAtMs: 2 });
    expect(store.listExchanges({ flowId: 'during-import' })).toHaveLength(2);
  });
});

describe('listTokens', () => {
  async function seeded(n: number): Promise<{ store: Store; ids: string[] }> {
    const { store, clock } = await fresh();
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      clock.advance(1000);
      const sub = i % 10 === 0 ? `special-${String(i)}` : `user${String(i % 7)}`;
      const kind = i % 3 === 0 ? 'refresh_token' : 'access_token';
      ids.push(
        store.saveToken({
          value: kind === 'access_token' ? accessJwt(clock.now(), { sub }) : opaque(),
          kind,
          format: 'x',
          source: 'x',
        }).id,
      );
    }
    return { store, ids };
  }

  it('pages newest first with a keyset cursor and visits every token once', async () => {
    const { store, ids } = await seeded(57);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = store.listTokens({ limit: 10, cursor });
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it('stays stable when tokens are added between pages', async () => {
    const { store, ids } = await seeded(30);
    const first = store.listTokens({ limit: 10 });
    store.saveToken({ value: opaque(), kind: 'access_token', format: 'x', source: 'x' });
    const second = store.listTokens({ limit: 10, cursor: first.nextCursor });
    expect(second.items.map((t) => t.id)).toEqual([...ids].reverse().slice(10, 20));
  });

  it('the first page carries counts per status; later pages do not', async () => {
    const { store } = await seeded(12);
    const first = store.listTokens({ limit: 5 });
    expect(first.counts?.total).toBe(12);
    expect(first.counts?.active).toBe(12);
    expect(store.listTokens({ limit: 5, cursor: first.nextCursor }).counts).toBeUndefined();
  });

  it('filters by kind, status, text (FTS), and combinations; counts follow the filter', async () => {
    const { store, ids } = await seeded(40);
    expect(store.listTokens({ kind: 'refresh_token', limit: 500 }).items).toHaveLength(14);
    store.setTokenStatus(ids[1] ?? '', 'revoked');
    expect(store.listTokens({ status: 'revoked' }).items.map((t) => t.id)).toEqual([ids[1]]);
    const special = store.listTokens({ text: 'special' });
    // subjects special-10, special-20 and special-40 (0 and 30 are refresh tokens: opaque, no subject)
    expect(special.items.map((t) => t.subject).sort()).toEqual(['special-10', 'special-20']);
    expect(special.counts?.total).toBe(2);
    expect(store.listTokens({ text: 'issuer.example', kind: 'access_token', limit: 500 }).items).toHaveLength(26);
    expect(store.listTokens({ text: 'issuer.example', status: 'revoked' }).items).toHaveLength(1);
    expect(store.listTokens({ text: 'issuer.example', status: 'active' }).counts).toMatchObject({ revoked: 1, active: 25 });
  });

  it('text search pages with a cursor too', async () => {
    const { store } = await seeded(40);
    const a = store.listTokens({ text: 'openid', limit: 10 });
    const b = store.listTokens({ text: 'openid', limit: 10, cursor: a.nextCursor });
    const c = store.listTokens({ text: 'openid', limit: 10, cursor: b.nextCursor });
    const all = [...a.items, ...b.items, ...c.items].map((t) => t.id);
    expect(new Set(all).size).toBe(26);
    expect(c.nextCursor).toBeNull();
  });

  it('finds a token by its exact pasted value or its SHA-256', async () => {
    const { store } = await fresh();
    const value = opaque('needle');
    const { id } = store.saveToken({ value, kind: 'access_token', format: 'x', source: 'x' });
    store.saveToken({ value: opaque(), kind: 'access_token', format: 'x', source: 'x' });
    expect(store.listTokens({ text: value }).items.map((t) => t.id)).toEqual([id]);
    expect(store.listTokens({ text: tokenHash(value) }).items.map((t) => t.id)).toEqual([id]);
  });

  it('FTS syntax in the search text is taken literally, never as a query', async () => {
    const { store } = await seeded(5);
    for (const text of ['"', 'NEAR(', 'a OR', '*', '-', 'sub:alice', '()', "'; DROP TABLE tokens; --"]) {
      expect(() => store.listTokens({ text })).not.toThrow();
    }
    expect(queryWords('alice@example.com')).toEqual(['alice', 'example', 'com']);
    expect(queryWords('!!!')).toEqual([]);
  });

  it('expiring within N minutes returns active tokens expiring in that window', async () => {
    const { store, clock } = await fresh();
    const soon = store.saveToken({
      value: opaque(),
      kind: 'access_token',
      format: 'x',
      expiresAtMs: clock.now() + 5 * 60_000,
      source: 'x',
    });
    store.saveToken({ value: opaque(), kind: 'access_token', format: 'x', expiresAtMs: clock.now() + 60 * 60_000, source: 'x' });
    store.saveToken({ value: opaque(), kind: 'access_token', format: 'x', expiresAtMs: clock.now() - 60_000, source: 'x' });
    expect(store.listTokens({ expiringWithinMinutes: 10 }).items.map((t) => t.id)).toEqual([soon.id]);
  });

  it('filters by time range, profile and grant', async () => {
    const { store, clock } = await fresh();
    const profileId = store.saveProfile({ name: 'p', settings: {}, secrets: {} });
    const grantId = store.createGrant({ grantType: 'x', profileId });
    const t0 = clock.now();
    const a = store.saveToken({ value: opaque(), kind: 'access_token', format: 'x', profileId, grantId, source: 'x' });
    clock.advance(10_000);
    const b = store.saveToken({ value: opaque(), kind: 'access_token', format: 'x', source: 'x' });
    expect(store.listTokens({ fromMs: t0 + 5000 }).items.map((t) => t.id)).toEqual([b.id]);
    expect(store.listTokens({ toMs: t0 }).items.map((t) => t.id)).toEqual([a.id]);
    expect(store.listTokens({ profileId }).items.map((t) => t.id)).toEqual([a.id]);
    expect(store.listTokens({ grantId }).items.map((t) => t.id)).toEqual([a.id]);
  });

  it('a time range pages by time, newest first, through every token in the range once', async () => {
    const { store, clock } = await fresh();
    const t0 = clock.now();
    const inRange: string[] = [];
    for (let i = 0; i < 30; i++) {
      clock.advance(1000);
      const { id } = store.saveToken({ value: opaque(), kind: 'access_token', format: 'x', source: 'x' });
      if (i >= 5 && i < 25) inRange.push(id);
    }
    // an imported token from long ago lands in the range by its time, not by when it was added
    const old = store.saveToken({
      value: opaque(),
      kind: 'access_token',
      format: 'x',
      source: 'import',
      createdAtMs: t0 + 10_500,
    });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = store.listTokens({ fromMs: t0 + 6000, toMs: t0 + 25_000, limit: 7, cursor });
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(21);
    expect(new Set(seen)).toEqual(new Set([...inRange, old.id]));
    const times = seen.map((id) => store.getTokenSummary(id)?.createdAtMs ?? 0);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    // a cursor of a plain listing does not fit a time-range listing
    const plain = store.listTokens({ limit: 1 }).nextCursor;
    expect(codeOf(() => store.listTokens({ fromMs: t0, cursor: plain }))).toBe('ERR_CURSOR_MISMATCH');
  });

  it('rejects a cursor that does not decode with ERR_INVALID_ARGUMENT (other bad queries: test/unit/services.test.ts)', async () => {
    const { store } = await fresh();
    expect(codeOf(() => store.listTokens({ cursor: 'junk' }))).toBe('ERR_INVALID_ARGUMENT');
    expect(decodeCursor(encodeCursor(42))).toEqual({ sort: '-received', seq: 42 });
    expect(decodeCursor(encodeCursor(42, 7))).toEqual({ sort: '-received', seq: 42, createdAtMs: 7 });
  });
});

describe('keys', () => {
  it('a second open with the same key file reads every value', async () => {
    const first = await openTestStore();
    const value = opaque();
    const { id } = first.store.saveToken({ value, kind: 'access_token', format: 'x', source: 'x' });
    first.store.close();
    const again = await openStore(testPlatform({ dataDir: first.dir }));
    open.push({ ...first, store: again });
    expect(again.getTokenValue(id)).toBe(value);
  });

  it('memory-only jwt helper makes distinct tokens', () => {
    expect(jwt({ a: 1 })).not.toBe(jwt({ a: 1 }));
  });
});

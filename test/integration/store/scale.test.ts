import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/main/store/index.ts';
import type { ListTokensQuery } from '../../../src/shared/model.ts';
import { clock, openTestStore, type TestStore } from '../../fixtures/store/helpers.ts';

/**
 * Keyset paging and filters on a 20,000-token history. The million-token figures belong to the
 * benchmark; this pins the query plans: a page must not cost more as the history grows.
 */
const N = 20_000;
let t: TestStore;
let store: Store;

beforeAll(async () => {
  t = await openTestStore({ clock: clock(Date.UTC(2026, 0, 1)) });
  store = t.store;
  const c = t.clock;
  for (let b = 0; b < N; b += 5000) {
    store.write(() => {
      for (let i = b; i < b + 5000; i++) {
        c.advance(1000);
        store.saveToken({
          value: `tok_${randomBytes(16).toString('hex')}`,
          kind: i % 3 === 0 ? 'refresh_token' : 'access_token',
          format: 'rfc6749.TokenResponse',
          issuer: `https://issuer${String(i % 5)}.example`,
          subject: `user${String(i % 1000)}`,
          clientId: `client${String(i % 3)}`,
          scopes: ['openid', i % 2 ? 'email' : 'profile'],
          issuedAtMs: c.now(),
          expiresAtMs: c.now() + (i % 10 === 0 ? 60_000 : 365 * 86_400_000),
          source: 'scale',
        });
      }
    });
  }
  c.advance(120_000);
  store.sweepExpired(true);
}, 120_000);

afterAll(() => store.close());

/** Median milliseconds of `runs` calls. */
function median(fn: () => unknown, runs = 9): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    fn();
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)] ?? 0;
}

function deepCursor(query: ListTokensQuery, pages: number): string | null {
  let cursor: string | null = null;
  for (let i = 0; i < pages; i++) {
    cursor = store.listTokens({ ...query, limit: 100, cursor }).nextCursor;
    if (!cursor) break;
  }
  return cursor;
}

describe(`listTokens at ${String(N)} tokens`, () => {
  const cases: [string, ListTokensQuery][] = [
    ['newest page', {}],
    ['status', { status: 'expired' }],
    ['kind', { kind: 'refresh_token' }],
    ['rare text', { text: 'user42' }],
    ['common text', { text: 'issuer1' }],
    ['text + kind', { text: 'issuer2', kind: 'refresh_token' }],
    ['expiring within a day', { expiringWithinMinutes: 24 * 60 }],
    // the middle of the history: 5,000 tokens newer than the range must not be walked through
    ['time range', { fromMs: Date.UTC(2026, 0, 1) + 5_000_000, toMs: Date.UTC(2026, 0, 1) + 15_000_000 }],
  ];
  const measured: Record<string, string> = {};

  for (const [name, query] of cases) {
    it(`${name}: a page (first or deep) comes back in milliseconds`, () => {
      const first = median(() => store.listTokens({ ...query, limit: 100 }));
      const cursor = deepCursor(query, 10);
      const deep = cursor ? median(() => store.listTokens({ ...query, limit: 100, cursor })) : 0;
      measured[name] = `first ${first.toFixed(2)} ms, deep ${deep.toFixed(2)} ms`;
      // generous bounds for a loaded 2-core CI box; typical figures are printed below
      expect(first).toBeLessThan(150);
      expect(deep).toBeLessThan(150);
    });
  }

  it('paging visits every token exactly once, newest first', () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    let last = Number.POSITIVE_INFINITY;
    do {
      const page = store.listTokens({ limit: 500, cursor });
      for (const item of page.items) {
        seen.add(item.id);
        expect(item.createdAtMs).toBeLessThanOrEqual(last);
        last = item.createdAtMs;
      }
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.size).toBe(N);
  });

  it('unfiltered counts are exact; filtered counts are capped and say so', () => {
    const all = store.listTokens({ limit: 1 }).counts;
    expect(all?.total).toBe(N);
    expect(all?.capped).toBeUndefined();
    expect(all?.expired).toBe(N / 10);
    const common = store.listTokens({ limit: 1, text: 'openid' }).counts;
    expect(common?.capped).toBe(true);
    // a word matches as a prefix: user42 and user420..user429, 20 tokens each
    const rare = store.listTokens({ limit: 1, text: 'user42' }).counts;
    expect(rare?.total).toBe(220);
    expect(rare?.capped).toBeUndefined();
  });

  afterAll(() => {
    console.log(
      `listTokens at ${String(N)} tokens (median of 9):\n${Object.entries(measured)
        .map(([k, v]) => `  ${k.padEnd(24)} ${v}`)
        .join('\n')}`,
    );
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { ListSort, ListTokensQuery, TokenSummary } from '../../../src/shared/model.ts';
import { TokenscopeError } from '../../../src/shared/result.ts';
import type { Store } from '../../../src/main/store/index.ts';
import { opaque, openTestStore, type TestStore } from '../../fixtures/store/helpers.ts';

/**
 * The list sorted by Expires: every token once, in (expiry, seq) order, soonest or latest first, tokens with no
 * expiry last (newest first among them), across pages of any size, ties and NULLs included; on an index.
 */
const open: TestStore[] = [];
afterEach(() => {
  for (const t of open.splice(0)) t.store.close();
});

const HOUR = 3_600_000;

/** 40 tokens: expiries with many ties (past and future), every 4th with no expiry; kinds and statuses mixed. */
async function seeded(): Promise<{ store: Store; now: number }> {
  const t = await openTestStore();
  open.push(t);
  const { store } = t;
  const now = t.clock.now();
  store.write(() => {
    for (let i = 0; i < 40; i++) {
      const { id } = store.saveToken({
        value: opaque(`t${String(i)}`),
        kind: i % 3 === 0 ? 'refresh_token' : 'access_token',
        format: 'opaque',
        source: 'test',
        expiresAtMs: i % 4 === 0 ? null : now + ((i % 7) - 3) * HOUR,
      });
      if (i % 5 === 1) store.setTokenStatus(id, 'revoked');
    }
  });
  return { store, now };
}

function pageThrough(store: Store, query: ListTokensQuery, limit: number): TokenSummary[] {
  const seen: TokenSummary[] = [];
  let cursor = query.cursor ?? null;
  for (let guard = 0; guard < 100; guard++) {
    const page = store.listTokens({ ...query, limit, cursor });
    seen.push(...page.items);
    cursor = page.nextCursor;
    if (cursor === null) return seen;
  }
  throw new Error('the pages did not end');
}

/** The order the sort promises, computed here from the rows (seq order = the order of `all`, oldest first). */
function expected(all: readonly TokenSummary[], sort: ListSort): string[] {
  const seqOf = new Map(all.map((t, i) => [t.id, i] as const));
  const dated = all.filter((t) => t.expiresAtMs !== null);
  const undated = all.filter((t) => t.expiresAtMs === null).reverse();
  const sign = sort === 'expires' ? 1 : -1;
  dated.sort((a, b) => sign * ((a.expiresAtMs ?? 0) - (b.expiresAtMs ?? 0) || (seqOf.get(a.id) ?? 0) - (seqOf.get(b.id) ?? 0)));
  return [...dated, ...undated].map((t) => t.id);
}

describe('sorting the history by expiry', () => {
  for (const sort of ['expires', '-expires'] as const) {
    for (const [name, filter] of [
      ['no filter', {}],
      ['status', { status: 'active' }],
      ['kind', { kind: 'access_token' }],
      ['revoked refresh tokens', { status: 'revoked', kind: 'refresh_token' }],
    ] as const) {
      it(`${sort}, ${name}: pages of 1, 3 and 7 yield every token once, in order, no expiry last`, async () => {
        const { store } = await seeded();
        const all = pageThrough(store, { ...filter, sort: 'received' }, 500);
        const want = expected(all, sort);
        expect(want.length).toBeGreaterThan(2);
        for (const limit of [1, 3, 7]) {
          const got = pageThrough(store, { ...filter, sort }, limit);
          expect(
            got.map((t) => t.id),
            `limit ${String(limit)}`,
          ).toEqual(want);
        }
        const firstUndated = want.findIndex((id) => all.find((t) => t.id === id)?.expiresAtMs === null);
        if (firstUndated >= 0)
          expect(want.slice(firstUndated).every((id) => all.find((t) => t.id === id)?.expiresAtMs === null)).toBe(true);
      });
    }
  }

  it('a page keeps its place when a token is added before the next page', async () => {
    const { store, now } = await seeded();
    const first = store.listTokens({ sort: 'expires', limit: 10 });
    store.saveToken({
      value: opaque('late'),
      kind: 'access_token',
      format: 'opaque',
      source: 'test',
      expiresAtMs: now - 10 * HOUR,
    });
    const rest = pageThrough(store, { sort: 'expires', cursor: first.nextCursor }, 10);
    const ids = [...first.items, ...rest].map((t) => t.id);
    expect(new Set(ids).size).toBe(40);
  });

  it('a text search sorted by expiry keeps only the matches, in order', async () => {
    const t = await openTestStore();
    open.push(t);
    const now = t.clock.now();
    const save = (subject: string, expiresAtMs: number | null): string =>
      t.store.saveToken({ value: opaque(), kind: 'access_token', format: 'opaque', source: 'test', subject, expiresAtMs }).id;
    const late = save('carol', now + 2 * HOUR);
    save('dave', now + HOUR);
    const none = save('carol', null);
    const soon = save('carol', now + HOUR);
    expect(pageThrough(t.store, { text: 'carol', sort: 'expires' }, 1).map((x) => x.id)).toEqual([soon, late, none]);
    expect(pageThrough(t.store, { text: 'carol', sort: '-expires' }, 2).map((x) => x.id)).toEqual([late, soon, none]);
  });

  it('refuses the cursor of another sort with ERR_CURSOR_MISMATCH, never misreading it', async () => {
    const { store } = await seeded();
    const byExpiry = store.listTokens({ sort: 'expires', limit: 2 }).nextCursor;
    const byReceived = store.listTokens({ limit: 2 }).nextCursor;
    const codeOf = (q: ListTokensQuery): string => {
      try {
        store.listTokens(q);
        return 'ok';
      } catch (e) {
        return e instanceof TokenscopeError ? e.code : 'thrown';
      }
    };
    expect(codeOf({ sort: '-expires', cursor: byExpiry })).toBe('ERR_CURSOR_MISMATCH');
    expect(codeOf({ cursor: byExpiry })).toBe('ERR_CURSOR_MISMATCH');
    expect(codeOf({ sort: 'expires', cursor: byReceived })).toBe('ERR_CURSOR_MISMATCH');
    expect(codeOf({ sort: 'received', cursor: byReceived })).toBe('ERR_CURSOR_MISMATCH');
    expect(codeOf({ sort: 'expires', cursor: byExpiry })).toBe('ok');
  });
});

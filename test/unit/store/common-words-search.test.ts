import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/main/store/index.ts';
import type { FtsIndex } from '../../../src/main/store/fts-index.ts';
import { DATABASE_FILE } from '../../../src/main/store/database.ts';
import { tokenFilter } from '../../../src/main/store/token-query.ts';
import { WORD_CHECK_SQL } from '../../../src/main/store/word-check.ts';
import { jwt, openTestStore, type TestStore } from '../../fixtures/store/helpers.ts';

/**
 * A query word that prefixes a term many tokens share (`example`, `com`) is not matched through FTS5 (which would
 * merge that term's whole doclist first) but checked on the rows the query's other words find. These pin that the
 * answer is the same as the plain rule: every query word a prefix of one of the token's words (claims included).
 */
let open: TestStore[] = [];
afterEach(() => {
  for (const t of open) t.store.close();
  open = [];
});

const N = 1300;
/** The plaintext words of token i, as the test's own rule (lower case, split at anything not a letter or digit). */
function claimsOf(i: number): Record<string, unknown> {
  return {
    iss: 'https://issuer.test',
    sub: `s${String(i)}`,
    // The common words live in a sealed claim only (not in a listed column), so the check must open the value.
    email: `user${String(i)}@example.com`,
    ...(i % 7 === 0 ? { name: 'Exampleson' } : {}),
    ...(i % 11 === 0 ? { team: 'blue' } : {}),
  };
}
function wordsOf(i: number): string[] {
  return Object.entries(claimsOf(i))
    .flatMap(([k, v]) => [k, String(v)])
    .join(' ')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

async function seeded(): Promise<{ store: Store; ids: string[]; dir: string }> {
  const t = await openTestStore();
  open.push(t);
  const ids = t.store.write(() =>
    Array.from(
      { length: N },
      (_, i) => t.store.saveToken({ value: jwt(claimsOf(i)), kind: 'access_token', format: 'jwt', source: 'test' }).id,
    ),
  );
  return { store: t.store, ids, dir: t.dir };
}

function fts(store: Store): FtsIndex {
  return (store as unknown as { fts: FtsIndex }).fts;
}

/** Every id a search finds, through all its pages (newest first), and the first page's counted total. */
function searchAll(store: Store, text: string): { ids: string[]; total: number | undefined } {
  const ids: string[] = [];
  let page = store.listTokens({ text, limit: 97 });
  const total = page.counts?.total;
  for (;;) {
    ids.push(...page.items.map((i) => i.id));
    if (!page.nextCursor) return { ids, total };
    page = store.listTokens({ text, limit: 97, cursor: page.nextCursor });
  }
}

/** The ids the plain rule finds, newest first. */
function expected(ids: readonly string[], text: string): string[] {
  const query = text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
  const out: string[] = [];
  for (let i = N - 1; i >= 0; i--) {
    const words = wordsOf(i);
    if (query.every((q) => words.some((w) => w.startsWith(q)))) out.push(ids[i] ?? '');
  }
  return out;
}

function checks(store: Store, text: string): boolean {
  const s = store as unknown as { conn: never; tokens: never };
  const f = tokenFilter({ conn: s.conn, fts: fts(store), tokens: s.tokens, query: { text }, withStatus: true });
  return f.where.includes(WORD_CHECK_SQL);
}

describe('searching for words many tokens share', () => {
  it('a word in a thousand saved tokens becomes common, with its prefixes; rare words do not', async () => {
    const { store } = await seeded();
    for (const w of ['example', 'exa', 'com', 'email', 'iss']) expect(fts(store).isCommon(w), w).toBe(true);
    for (const w of ['user17', 'exampleson', 'blue', 's12']) expect(fts(store).isCommon(w), w).toBe(false);
    // Two bytes or less prefix too many words to go through the index alone.
    expect(fts(store).isCommon('zq')).toBe(true);
    // Terms only: no word of a token is readable in the table.
    const terms = store.db.prepare('SELECT term FROM search_common_terms').pluck().all() as string[];
    expect(terms.length).toBeGreaterThan(0);
    for (const t of terms) expect(t).not.toMatch(/example|com|issuer/);
  });

  it('finds exactly what the plain rule finds, checking the common words on the rows the rare ones find', async () => {
    const { store, ids } = await seeded();
    for (const text of [
      'user17@example.com',
      'user17 exa',
      'example user12',
      'exampleson com',
      'blue com',
      'blue exa',
      'user129 co',
    ]) {
      expect(checks(store, text), text).toBe(true);
      const want = expected(ids, text);
      expect(want.length, text).toBeGreaterThan(0);
      const got = searchAll(store, text);
      expect(got.ids, text).toEqual(want);
      expect(got.total, text).toBe(want.length);
    }
    // A common word no candidate has: nothing found, and said so by the counts.
    expect(searchAll(store, 'user17 examplesonx')).toEqual({ ids: [], total: 0 });
  });

  it('every word common, or the rare words finding too many rows: all words go through the index, same answer', async () => {
    const { store, ids } = await seeded();
    for (const text of ['example', 'example com', 'user example']) {
      expect(checks(store, text), text).toBe(false);
      const want = expected(ids, text);
      const got = searchAll(store, text);
      expect(got.ids.length, text).toBe(want.length);
      expect(got.ids, text).toEqual(want);
    }
  });

  it('a status filter and the per-status counts agree with the check', async () => {
    const { store, ids } = await seeded();
    const revoked = ids[17] ?? '';
    store.setTokenStatus(revoked, 'revoked');
    const page = store.listTokens({ text: 'user17 example', status: 'revoked' });
    expect(page.items.map((i) => i.id)).toEqual([revoked]);
    const want = expected(ids, 'user17 example');
    expect(page.counts).toMatchObject({ revoked: 1, active: want.length - 1, total: want.length });
  });

  it('wiping the history forgets its common terms too', async () => {
    const { store } = await seeded();
    expect(fts(store).isCommon('example')).toBe(true);
    store.wipe();
    expect(store.db.prepare('SELECT count(*) FROM search_common_terms').pluck().get()).toBe(0);
    expect(fts(store).isCommon('example')).toBe(false);
  });

  it('a history from schema 8 gets its common terms from the index it already has (migration 9)', async () => {
    const { store, dir } = await seeded();
    store.close();
    open = [];
    const raw = new Database(join(dir, DATABASE_FILE));
    raw.exec('DROP TABLE search_common_terms');
    raw.pragma('user_version = 8');
    raw.close();
    const t = await openTestStore({ dir });
    open.push(t);
    expect(fts(t.store).isCommon('example')).toBe(true);
    expect(fts(t.store).isCommon('user17')).toBe(false);
    expect(checks(t.store, 'user17 example')).toBe(true);
  });
});

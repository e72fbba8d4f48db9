import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/main/store/index.ts';
import type { FtsIndex } from '../../../src/main/store/fts-index.ts';
import { jwt, openTestStore, type TestStore } from '../../fixtures/store/helpers.ts';

/**
 * The full-text rows of the tokens a `write` saves go into the index just before it commits (one FTS5
 * segment, not one per token). These pin that the index still holds exactly one entry per token.
 */
let open: TestStore[] = [];
async function fresh(): Promise<Store> {
  const t = await openTestStore();
  open.push(t);
  return t.store;
}
afterEach(() => {
  for (const t of open) t.store.close();
  open = [];
});

function save(store: Store, subject: string): string {
  return store.saveToken({
    value: jwt({ iss: 'https://fts.example', sub: subject, scope: 'openid' }),
    kind: 'access_token',
    format: 'jwt',
    source: 'test',
  }).id;
}

function found(store: Store, text: string): string[] {
  return store.listTokens({ text, limit: 500 }).items.map((i) => i.id);
}

/** How many index entries match a word (straight from the FTS5 table: no join with the tokens). */
function indexed(store: Store, word: string): number {
  const fts = (store as unknown as { fts: FtsIndex }).fts;
  return (
    store.db.prepare('SELECT count(*) AS n FROM token_terms WHERE token_terms MATCH ?').get(fts.match([word])) as { n: number }
  ).n;
}

function integrityOk(store: Store): void {
  store.db.prepare("INSERT INTO token_terms (token_terms, rank) VALUES ('integrity-check', 0)").run();
}

describe('full-text rows of a write', () => {
  it('every token of a long write is searchable after it commits, once, under its own words', async () => {
    const store = await fresh();
    const ids = store.write(() => Array.from({ length: 2500 }, (_, i) => save(store, `sub${String(i)}q`)));
    for (const i of [0, 999, 1000, 1001, 2499]) expect(found(store, `sub${String(i)}q`)).toEqual([ids[i]]);
    expect(indexed(store, 'openid')).toBe(2500);
    expect(store.listTokens({ limit: 1 }).counts?.active).toBe(2500);
    integrityOk(store);
  });

  it('a search inside the write finds the tokens that write saved', async () => {
    const store = await fresh();
    store.write(() => {
      const id = save(store, 'insidewrite');
      expect(found(store, 'insidewrite')).toEqual([id]);
      expect(store.listTokens({ text: 'insidewrite', limit: 1 }).counts?.total).toBe(1);
    });
    expect(indexed(store, 'insidewrite')).toBe(1);
  });

  it('a savepoint that rolls back leaves no entry, even when a later token takes the same seq', async () => {
    const store = await fresh();
    let kept = '';
    store.write(() => {
      save(store, 'before');
      expect(() =>
        store.db.transaction(() => {
          save(store, 'rolledback');
          throw new Error('undo this record');
        })(),
      ).toThrow('undo this record');
      kept = save(store, 'after');
    });
    expect(found(store, 'rolledback')).toEqual([]);
    expect(indexed(store, 'rolledback')).toBe(0);
    expect(found(store, 'after')).toEqual([kept]);
    expect(indexed(store, 'fts')).toBe(2);
    integrityOk(store);
  });

  it('a failed store.savepoint takes back its index row and its count; the write keeps the rest', async () => {
    const store = await fresh();
    store.write(() => {
      save(store, 'kept1');
      expect(() =>
        store.savepoint(() => {
          save(store, 'undone');
          throw new Error('undo');
        }),
      ).toThrow('undo');
      save(store, 'kept2');
      expect(store.count()).toBe(2);
    });
    expect(store.count()).toBe(2);
    expect(store.listTokens({ limit: 1 }).counts?.active).toBe(2);
    expect(indexed(store, 'undone')).toBe(0);
    expect(found(store, 'kept2')).toHaveLength(1);
    integrityOk(store);
  });

  it('a savepoint that fails just as the batch is written takes back only its own rows: the earlier ones stay indexed', async () => {
    const store = await fresh();
    const ids: string[] = [];
    store.write(() => {
      // 999 tokens wait for the index; the savepoint's token is the 1,000th, so the batch is written inside it.
      for (let i = 0; i < 999; i++) ids.push(save(store, `early${String(i)}z`));
      expect(() =>
        store.savepoint(() => {
          save(store, 'boundary');
          throw new Error('undo this record');
        }),
      ).toThrow('undo this record');
      ids.push(save(store, 'afterboundary'));
    });
    for (const i of [0, 500, 998]) expect(found(store, `early${String(i)}z`)).toEqual([ids[i]]);
    expect(found(store, 'boundary')).toEqual([]);
    expect(found(store, 'afterboundary')).toHaveLength(1);
    expect(indexed(store, 'fts')).toBe(1000);
    integrityOk(store);
  });

  it('a token saved and deleted in the same write leaves nothing in the index', async () => {
    const store = await fresh();
    store.write(() => {
      const id = save(store, 'shortlived');
      expect(store.deleteTokens([id])).toBe(1);
    });
    expect(indexed(store, 'shortlived')).toBe(0);
    expect(store.count()).toBe(0);
    integrityOk(store);
  });

  it('a write that fails keeps nothing, and the next write indexes only its own tokens', async () => {
    const store = await fresh();
    expect(() =>
      store.write(() => {
        save(store, 'failedwrite');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    const id = save(store, 'nextwrite');
    expect(indexed(store, 'failedwrite')).toBe(0);
    expect(found(store, 'nextwrite')).toEqual([id]);
    expect(indexed(store, 'fts')).toBe(1);
    integrityOk(store);
  });

  it('a transaction opened outside write still indexes each token as it is saved', async () => {
    const store = await fresh();
    const id = store.db.transaction(() => save(store, 'rawtransaction'))();
    expect(found(store, 'rawtransaction')).toEqual([id]);
    expect(indexed(store, 'rawtransaction')).toBe(1);
  });
});

/** Issue 16 items 6/8: an export reports how far it has come (tokens written of those selected), for every format. */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportToFile } from '../../../src/main/history/export.ts';
import { freshDir } from '../../helpers/temp-dir.ts';
import { opaque, openTestStore, type TestStore } from '../../fixtures/store/helpers.ts';

const open: TestStore[] = [];
afterEach(() => {
  for (const t of open.splice(0)) t.store.close();
});

async function history(n: number): Promise<TestStore> {
  const t = await openTestStore();
  open.push(t);
  t.store.write(() => {
    for (let i = 0; i < n; i++)
      t.store.saveToken({ value: opaque(), kind: i % 2 ? 'refresh_token' : 'access_token', format: 'opaque', source: 'test' });
  });
  return t;
}

describe('export progress', () => {
  for (const format of ['bundle', 'csv', 'env', 'rfc6749.TokenResponse']) {
    it(`${format}: starts at 0 of the total, never goes back, ends at what was written`, async () => {
      const { store } = await history(450);
      const seen: [number, number | null][] = [];
      const result = await exportToFile(store, { format, redact: 'hash' }, join(freshDir(), 'out'), Date.now(), (d, t) =>
        seen.push([d, t]),
      );
      expect(seen[0]).toEqual([0, 450]);
      expect(seen.at(-1)).toEqual([result.tokenCount, 450]);
      expect(result.tokenCount).toBe(450);
      const done = seen.map(([d]) => d);
      expect([...done].sort((a, b) => a - b)).toEqual(done);
    });
  }

  it('a filtered export counts its selection: the refresh tokens only', async () => {
    const { store } = await history(30);
    const seen: [number, number | null][] = [];
    const result = await exportToFile(
      store,
      { format: 'csv', redact: 'hash', filter: { kind: 'refresh_token' } },
      join(freshDir(), 'out'),
      Date.now(),
      (d, t) => seen.push([d, t]),
    );
    expect(result.tokenCount).toBe(15);
    expect(seen.at(-1)).toEqual([15, 15]);
  });
});

import { describe, expect, it } from 'vitest';
import { io } from '../../helpers/cli-io.ts';
import { main } from '../../../src/cli/main.ts';
import { clock, opaque, openTestStore } from '../../fixtures/store/helpers.ts';

const MINUTE = 60_000;

/** Four tokens saved in this order: expiring in 30 min, none, in 5 min, in 90 min (the CLI runs on the real clock). */
async function seeded(): Promise<{ dir: string; ids: Record<'in30' | 'none' | 'in5' | 'in90', string> }> {
  const t = await openTestStore({ clock: clock(Date.now()) });
  const now = t.clock.now();
  const save = (subject: string, expiresAtMs: number | null): string =>
    t.store.saveToken({ value: opaque(), kind: 'access_token', format: 'opaque', source: 'x', subject, expiresAtMs }).id;
  const ids = {
    in30: save('s-in30', now + 30 * MINUTE),
    none: save('s-none', null),
    in5: save('s-in5', now + 5 * MINUTE),
    in90: save('s-in90', now + 90 * MINUTE),
  };
  t.store.close();
  return { dir: t.dir, ids };
}

function idsOf(out: string): string[] {
  return out
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { id: string }).id);
}

describe('tokenscope history --sort', () => {
  it('--sort expires and --sort -expires page through the contract in expiry order, no expiry last', async () => {
    const { dir, ids } = await seeded();
    const a = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['history', '--sort', 'expires', '--json', '--all', '--limit', '1'], a)).toBe(0);
    expect(idsOf(a.out())).toEqual([ids.in5, ids.in30, ids.in90, ids.none]);
    // `--sort -expires` (not only `--sort=-expires`): the value is one of a closed list.
    const b = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['history', '--sort', '-expires', '--json', '--all', '--limit', '2'], b)).toBe(0);
    expect(idsOf(b.out())).toEqual([ids.in90, ids.in30, ids.in5, ids.none]);
    const c = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['history', '--json', '--all'], c)).toBe(0);
    expect(idsOf(c.out())).toEqual([ids.in90, ids.in5, ids.none, ids.in30]);
  });

  it('the text list says the sort in the contract words, and its "more:" line repeats the query', async () => {
    const { dir, ids } = await seeded();
    const a = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['history', '--sort', 'expires', '--limit', '2'], a)).toBe(0);
    const lines = a.out().trim().split('\n');
    expect(lines[0]).toBe('4 token(s) (active 4), by expiry, soonest first, no expiry last');
    expect(lines[1]).toContain(ids.in5);
    expect(lines[2]).toContain(ids.in30);
    const more = /^more: tokenscope history (.*) --cursor (\S+) \(or --all\)$/.exec(lines[3] ?? '');
    expect(more?.[1]).toBe('--sort=expires --limit 2');
    const b = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['history', '--sort=expires', '--limit', '2', '--cursor', more?.[2] ?? ''], b)).toBe(0);
    expect(b.out()).toContain(ids.in90);
    expect(b.out()).toContain(ids.none);
  });

  it('a cursor of another sort exits 2 with ERR_CURSOR_MISMATCH; an unknown sort with ERR_INVALID_ARGUMENT', async () => {
    const { dir } = await seeded();
    const a = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['history', '--sort', 'expires', '--limit', '1', '--json'], a)).toBe(0);
    const cursor = (JSON.parse(a.out()) as { nextCursor: string }).nextCursor;
    const b = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['history', '--cursor', cursor], b)).toBe(2);
    expect(b.err()).toMatch(/^error ERR_CURSOR_MISMATCH: .*sorted by expires, not -received/);
    const c = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['history', '--sort', 'subject'], c)).toBe(2);
    expect(c.err()).toMatch(/^error ERR_INVALID_ARGUMENT: --sort is one of -received, received, expires, -expires/);
  });
});

// The CLI refuses a history sealed with another passphrase, and `history status` fails while tokens are unreadable.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { io } from '../../helpers/cli-io.ts';
import { main } from '../../../src/cli/main.ts';
import { freshDir } from '../../helpers/temp-dir.ts';
import { accessJwt, opaque, openWithForeignSecondKey } from '../../fixtures/store/helpers.ts';

function dirBytes(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((n) => [n, readFileSync(join(dir, n)).toString('base64')]),
  );
}

describe('tokenscope and the history key', () => {
  it('another TOKENSCOPE_PASSPHRASE is `error ERR_WRONG_PASSPHRASE` (exit 1) and changes nothing; the right one reads all', async () => {
    const dir = freshDir();
    const file = join(freshDir(), 'tokens.json');
    const tokens = [accessJwt(Date.now(), { sub: 'key-alice' }), accessJwt(Date.now(), { sub: 'key-bob' })];
    writeFileSync(file, JSON.stringify(tokens.map((access_token) => ({ access_token, token_type: 'Bearer' }))));
    const a = io({ TOKENSCOPE_DATA_DIR: dir, TOKENSCOPE_PASSPHRASE: 'passphrase A' });
    expect(await main(['import', file], a)).toBe(0);
    const before = dirBytes(dir);
    for (const argv of [['history'], ['history', 'status'], ['import', file]]) {
      const b = io({ TOKENSCOPE_DATA_DIR: dir, TOKENSCOPE_PASSPHRASE: 'passphrase B' });
      expect(await main(argv, b)).toBe(1);
      expect(b.err()).toMatch(/^error ERR_WRONG_PASSPHRASE: /);
      expect(b.out()).toBe('');
    }
    const none = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['history'], none)).toBe(1);
    expect(none.err()).toMatch(/^error ERR_KEY_UNAVAILABLE: /);
    expect(dirBytes(dir)).toEqual(before);
    const again = io({ TOKENSCOPE_DATA_DIR: dir, TOKENSCOPE_PASSPHRASE: 'passphrase A' });
    expect(await main(['history', 'status', '--json'], again)).toBe(0);
    expect(JSON.parse(again.out())).toMatchObject({ tokenCount: 2, unreadableCount: 0, keyBackend: 'passphrase' });
  });

  it('history status exits 1 and says why while tokens are unreadable', async () => {
    const dir = freshDir();
    // a history from before the own-key check: a second data key under another key sealed one token
    expect(await main(['history', 'status'], io({ TOKENSCOPE_DATA_DIR: dir }))).toBe(0);
    const store = await openWithForeignSecondKey(dir);
    store.saveToken({ value: opaque('at'), kind: 'access_token', format: 'opaque', source: 'x' });
    store.close();
    const s = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['history', 'status'], s)).toBe(1);
    expect(s.out()).toMatch(/1 unreadable with this key/);
    expect(s.err()).toMatch(/^error: 1 token\(s\) cannot be read: .*key-file cannot unwrap/);
    const j = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['history', 'status', '--json'], j)).toBe(1);
    expect(JSON.parse(j.out())).toMatchObject({ tokenCount: 1, unreadableCount: 1 });
  });
});

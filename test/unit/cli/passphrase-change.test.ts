// `tokenscope passphrase change`: the history opens with the new passphrase only, nothing is lost, a key file goes.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { io } from '../../helpers/cli-io.ts';
import { main } from '../../../src/cli/main.ts';
import { KEY_FILE } from '../../../src/main/store/key-file-provider.ts';
import { freshDir } from '../../helpers/temp-dir.ts';
import { accessJwt } from '../../fixtures/store/helpers.ts';

function importTwo(): string {
  const file = join(freshDir(), 'tokens.json');
  const tokens = [accessJwt(Date.now(), { sub: 'pp-alice' }), accessJwt(Date.now(), { sub: 'pp-bob' })];
  writeFileSync(file, JSON.stringify(tokens.map((access_token) => ({ access_token, token_type: 'Bearer' }))));
  return file;
}

async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
  const x = io(env);
  const code = await main(argv, x);
  return { code, out: x.out(), err: x.err() };
}

async function readable(dir: string, passphrase?: string): Promise<unknown> {
  const r = await run(['history', 'status', '--json'], {
    TOKENSCOPE_DATA_DIR: dir,
    ...(passphrase ? { TOKENSCOPE_PASSPHRASE: passphrase } : {}),
  });
  return r.code === 0 ? JSON.parse(r.out) : r.err;
}

describe('tokenscope passphrase change', () => {
  it('moves a key-file history to a passphrase: the key file is deleted and only the new passphrase opens it', async () => {
    const dir = freshDir();
    const file = importTwo();
    expect((await run(['import', file], { TOKENSCOPE_DATA_DIR: dir })).code).toBe(0);
    expect(existsSync(join(dir, KEY_FILE))).toBe(true);
    const newFile = join(freshDir(), 'new-pass');
    writeFileSync(newFile, 'correct horse battery\n');
    const changed = await run(['passphrase', 'change', '--new-passphrase-file', newFile], { TOKENSCOPE_DATA_DIR: dir });
    expect(changed.err).toBe('');
    expect(changed.code).toBe(0);
    expect(changed.out).toMatch(/^1 data key\(s\) re-wrapped: passphrase\. .*TOKENSCOPE_PASSPHRASE.*key file was deleted/);
    expect(existsSync(join(dir, KEY_FILE))).toBe(false);
    expect(await readable(dir)).toMatch(/^error ERR_KEY_UNAVAILABLE: /);
    expect(await readable(dir, 'correct horse battery')).toMatchObject({
      tokenCount: 2,
      unreadableCount: 0,
      keyBackend: 'passphrase',
    });
    const show = await run(['history', '--json'], { TOKENSCOPE_DATA_DIR: dir, TOKENSCOPE_PASSPHRASE: 'correct horse battery' });
    expect(show.out).toContain('pp-alice');
  });

  it('changes one passphrase for another: the old one is refused, the new one reads every token', async () => {
    const dir = freshDir();
    const file = importTwo();
    const old = { TOKENSCOPE_DATA_DIR: dir, TOKENSCOPE_PASSPHRASE: 'the old passphrase' };
    expect((await run(['import', file], old)).code).toBe(0);
    const changed = await run(['passphrase', 'change', '--json'], { ...old, TOKENSCOPE_NEW_PASSPHRASE: 'the new passphrase' });
    expect(changed.code).toBe(0);
    expect(JSON.parse(changed.out)).toMatchObject({
      rewrappedKeys: 1,
      unreadableKeys: 0,
      removedKeyFile: false,
      status: { tokenCount: 2, keyBackend: 'passphrase' },
    });
    expect(await readable(dir, 'the old passphrase')).toMatch(/^error ERR_WRONG_PASSPHRASE: /);
    expect(await readable(dir, 'the new passphrase')).toMatchObject({ tokenCount: 2, unreadableCount: 0 });
  });

  it('refuses a wrong current passphrase, a short new one and a missing one, changing nothing', async () => {
    const dir = freshDir();
    const file = importTwo();
    const env = { TOKENSCOPE_DATA_DIR: dir, TOKENSCOPE_PASSPHRASE: 'the first passphrase' };
    expect((await run(['import', file], env)).code).toBe(0);
    const wrong = await run(['passphrase', 'change'], {
      ...env,
      TOKENSCOPE_PASSPHRASE: 'not the passphrase',
      TOKENSCOPE_NEW_PASSPHRASE: 'whatever it is',
    });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/^error ERR_WRONG_PASSPHRASE: /);
    const short = await run(['passphrase', 'change'], { ...env, TOKENSCOPE_NEW_PASSPHRASE: 'short' });
    expect(short.code).toBe(2);
    expect(short.err).toMatch(/^error ERR_INVALID_ARGUMENT: the new passphrase needs at least 8 characters/);
    // no terminal, no file, no variable: nothing to take it from
    const none = await run(['passphrase', 'change'], env);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/--new-passphrase-file FILE or TOKENSCOPE_NEW_PASSPHRASE/);
    expect(await readable(dir, 'the first passphrase')).toMatchObject({ tokenCount: 2, unreadableCount: 0 });
    expect((await run(['passphrase', 'rotate'], env)).code).toBe(2);
  });
});

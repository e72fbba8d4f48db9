/**
 * Two secrets, two names: a bundle's passphrase comes from --passphrase-file, TOKENSCOPE_BUNDLE_PASSPHRASE or a
 * no-echo prompt, never from TOKENSCOPE_PASSPHRASE (the history's key). A bundle made with its own passphrase imports
 * readable into a history with another key; another passphrase is refused and writes nothing.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import type { CliIo } from '../../../src/cli/io.ts';
import { openStoreWith } from '../../../src/main/store/index.ts';
import { keyFileProvider } from '../../../src/main/store/key-file-provider.ts';
import { io } from '../../helpers/cli-io.ts';
import { freshDir } from '../../helpers/temp-dir.ts';
import { accessJwt, clock, opaque, openTestStore, openWithForeignSecondKey } from '../../fixtures/store/helpers.ts';

const HISTORY_A = 'history passphrase A, long enough';
const BUNDLE = 'the bundle passphrase, its own';

async function seeded(): Promise<{ dir: string; values: string[] }> {
  const t = await openTestStore({ clock: clock(Date.now()) });
  const values = [accessJwt(t.clock.now(), { sub: 'bundle-alice' }), opaque('rt')];
  const g = t.store.createGrant({ grantType: 'authorization_code' });
  values.forEach((value, i) =>
    t.store.saveToken({ value, kind: i === 0 ? 'access_token' : 'refresh_token', format: '', grantId: g, source: 'x' }),
  );
  t.store.close();
  return { dir: t.dir, values };
}

/**
 * Seals one more token under a second data key wrapped by a key from elsewhere (a history from before the own-key
 * check), so the history's own key file cannot read it. Returns how many tokens are then unreadable.
 */
async function makeUnreadable(dir: string): Promise<number> {
  const store = await openWithForeignSecondKey(dir);
  store.saveToken({ value: opaque('lost'), kind: 'access_token', format: 'opaque', source: 'x' });
  store.close();
  const again = await openStoreWith(dir, keyFileProvider(dir));
  const count = again.storageStatus().unreadableCount;
  again.close();
  return count;
}

/** A terminal on stdin: raw mode recorded, what the user types written after the prompt appears. */
function terminal(
  env: NodeJS.ProcessEnv,
  answers: readonly string[],
): CliIo & { out: () => string; err: () => string; raw: boolean[] } {
  const stdin = Object.assign(new PassThrough(), { isTTY: true, raw: [] as boolean[] });
  const raw: boolean[] = [];
  Object.assign(stdin, { setRawMode: (on: boolean) => raw.push(on) });
  let out = '';
  let err = '';
  const queue = [...answers];
  return {
    stdout: (t) => (out += t),
    stderr: (t) => {
      err += t;
      if (/passphrase[^\n]*: $/i.test(t)) setImmediate(() => stdin.write(queue.shift() ?? '\u0003'));
    },
    stdin,
    env,
    out: () => out,
    err: () => err,
    raw,
  };
}

async function exportWith(dir: string, env: NodeJS.ProcessEnv, extra: string[] = []): Promise<string> {
  const out = join(freshDir(), 'all.jwe');
  const e = io({ TOKENSCOPE_DATA_DIR: dir, ...env });
  expect(await main(['export', '--format', 'bundle', '--out', out, '--encrypt', ...extra], e), e.err()).toBe(0);
  return out;
}

describe('a bundle passphrase of its own', () => {
  it('a bundle made with TOKENSCOPE_BUNDLE_PASSPHRASE imports readable into a history with another passphrase', async () => {
    const { dir, values } = await seeded();
    const file = await exportWith(dir, { TOKENSCOPE_BUNDLE_PASSPHRASE: BUNDLE });
    const target = freshDir();
    // Made under history key A; the bundle's passphrase is a third secret.
    expect(await main(['history'], io({ TOKENSCOPE_DATA_DIR: target, TOKENSCOPE_PASSPHRASE: HISTORY_A }))).toBe(0);
    const imp = io({ TOKENSCOPE_DATA_DIR: target, TOKENSCOPE_PASSPHRASE: HISTORY_A, TOKENSCOPE_BUNDLE_PASSPHRASE: BUNDLE });
    expect(await main(['import', file, '--json'], imp), imp.err()).toBe(0);
    expect(JSON.parse(imp.out())).toMatchObject({ detected: 'bundle+jwe', imported: 2 });
    // Readable afterwards, with the history's own key and without the bundle's.
    const status = io({ TOKENSCOPE_DATA_DIR: target, TOKENSCOPE_PASSPHRASE: HISTORY_A });
    expect(await main(['history', 'status', '--json'], status)).toBe(0);
    expect(JSON.parse(status.out())).toMatchObject({ tokenCount: 2, unreadableCount: 0 });
    const all = io({ TOKENSCOPE_DATA_DIR: target, TOKENSCOPE_PASSPHRASE: HISTORY_A });
    expect(await main(['history', '--json', '--all'], all)).toBe(0);
    const ids = all
      .out()
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: string }).id);
    const shown: string[] = [];
    for (const id of ids) {
      const show = io({ TOKENSCOPE_DATA_DIR: target, TOKENSCOPE_PASSPHRASE: HISTORY_A });
      expect(await main(['history', 'show', id, '--reveal', '--json'], show), show.err()).toBe(0);
      shown.push(show.out());
    }
    for (const value of values) expect(shown.join('')).toContain(value);
  });

  it('--passphrase-file works on import as on export; another passphrase is ERR_WRONG_PASSPHRASE and writes nothing', async () => {
    const { dir } = await seeded();
    const pass = join(freshDir(), 'bundle.pass');
    writeFileSync(pass, `${BUNDLE}\n`);
    const file = await exportWith(dir, {}, ['--passphrase-file', pass]);
    const target = freshDir();
    const wrong = io({ TOKENSCOPE_DATA_DIR: target, TOKENSCOPE_BUNDLE_PASSPHRASE: 'not the bundle passphrase' });
    expect(await main(['import', file], wrong)).toBe(1);
    expect(wrong.err()).toMatch(/^error ERR_WRONG_PASSPHRASE: /);
    // The history's passphrase is never tried as the bundle's, even when it is the same text.
    const historyKeyOnly = io({ TOKENSCOPE_DATA_DIR: freshDir(), TOKENSCOPE_PASSPHRASE: BUNDLE });
    expect(await main(['import', file], historyKeyOnly)).toBe(1);
    expect(historyKeyOnly.err()).toMatch(/ERR_WRONG_PASSPHRASE: this bundle is encrypted: give its passphrase/);
    const status = io({ TOKENSCOPE_DATA_DIR: target });
    expect(await main(['history', 'status', '--json'], status)).toBe(0);
    expect(JSON.parse(status.out())).toMatchObject({ tokenCount: 0 });
    const right = io({ TOKENSCOPE_DATA_DIR: target });
    expect(await main(['import', file, '--passphrase-file', pass, '--json'], right), right.err()).toBe(0);
    expect(JSON.parse(right.out())).toMatchObject({ imported: 2 });
  });

  it('asks on a terminal without echo: twice to export, once to import an encrypted bundle', async () => {
    const { dir } = await seeded();
    const out = join(freshDir(), 'typed.jwe');
    const ex = terminal({ TOKENSCOPE_DATA_DIR: dir }, [`${BUNDLE}\r`, `${BUNDLE}\r`]);
    expect(await main(['export', '--format', 'bundle', '--out', out, '--encrypt'], ex), ex.err()).toBe(0);
    expect(ex.raw).toEqual([true, false, true, false]);
    expect(ex.err() + ex.out()).not.toContain(BUNDLE);
    const mismatch = terminal({ TOKENSCOPE_DATA_DIR: dir }, [`${BUNDLE}\r`, 'a typo\r']);
    const other = join(freshDir(), 'never.jwe');
    expect(await main(['export', '--format', 'bundle', '--out', other, '--encrypt'], mismatch)).toBe(2);
    expect(existsSync(other)).toBe(false);
    const target = freshDir();
    const imp = terminal({ TOKENSCOPE_DATA_DIR: target }, [`${BUNDLE}\r`]);
    expect(await main(['import', out, '--json'], imp), imp.err()).toBe(0);
    expect(JSON.parse(imp.out())).toMatchObject({ imported: 2 });
    expect(imp.err()).toContain('Passphrase of the bundle: ');
    expect(imp.err()).not.toContain(BUNDLE);
    const cancelled = terminal({ TOKENSCOPE_DATA_DIR: freshDir() }, ['\u0003']);
    expect(await main(['import', out], cancelled)).toBe(1);
    expect(cancelled.err()).toMatch(/ERR_CANCELLED/);
  });

  it('an encrypted export of tokens this key cannot read fails with ERR_TOKENS_UNREADABLE and writes no file', async () => {
    const { dir } = await seeded();
    const outDir = freshDir();
    const out = join(outDir, 'x.jwe');
    const unreadable = await makeUnreadable(dir);
    expect(unreadable).toBeGreaterThan(0);
    const e = io({ TOKENSCOPE_DATA_DIR: dir, TOKENSCOPE_BUNDLE_PASSPHRASE: BUNDLE });
    expect(await main(['export', '--format', 'bundle', '--out', out, '--encrypt'], e)).toBe(1);
    expect(e.err()).toMatch(/^error ERR_TOKENS_UNREADABLE: \d+ token\(s\) cannot be read/);
    expect(readdirSync(outDir)).toEqual([]);
  });

  it('csv, env and format exports never leave an unreadable value out silently: full fails, masked says so', async () => {
    const { dir } = await seeded();
    expect(await makeUnreadable(dir)).toBeGreaterThan(0);
    const outDir = freshDir();
    for (const [format, extra] of [
      ['csv', ['--include-values']],
      ['env', []],
      ['rfc6749.TokenResponse', []],
    ] as const) {
      const out = join(outDir, `full.${format}`);
      const full = io({ TOKENSCOPE_DATA_DIR: dir });
      expect(await main(['export', '--format', format, '--out', out, ...extra], full), format).toBe(1);
      expect(full.err()).toMatch(/^error ERR_TOKENS_UNREADABLE: \d+ token\(s\) cannot be read/);
      expect(existsSync(out)).toBe(false);
      const masked = join(outDir, `masked.${format}`);
      const m = io({ TOKENSCOPE_DATA_DIR: dir });
      expect(await main(['export', '--format', format, '--out', masked, '--redact', 'masked', ...extra], m), m.err()).toBe(0);
      expect(readFileSync(masked, 'utf8'), format).toContain('«secret unreadable here: sealed with another key»');
    }
  });
});

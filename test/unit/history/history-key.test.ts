// A history opens only with its own key: the first key that sealed it. Another passphrase, or none, is refused
// before anything is written, never given a second data key (issue 14, "Keys and passphrases").
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodePlatform } from '../../../src/main/node-platform.ts';
import { createServices } from '../../../src/main/services.ts';
import { DATABASE_FILE } from '../../../src/main/store/index.ts';
import type { TokenscopeBackend } from '../../../src/shared/api.ts';
import { TokenscopeError, type Result } from '../../../src/shared/result.ts';
import { freshDir } from '../../helpers/temp-dir.ts';

const TOKENS = [
  'opaque-access-token-for-the-history-key-test-000000001',
  'opaque-access-token-for-the-history-key-test-000000002',
  'opaque-access-token-for-the-history-key-test-000000003',
];

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

let open: TokenscopeBackend[] = [];
afterEach(async () => {
  for (const b of open) await b.close();
  open = [];
});

async function start(dir: string, passphrase?: string): Promise<TokenscopeBackend> {
  const env = passphrase === undefined ? {} : { TOKENSCOPE_PASSPHRASE: passphrase };
  const b = await createServices(createNodePlatform({ mode: 'test', dataDir: dir, env }));
  open.push(b);
  return b;
}

async function codeOfStart(dir: string, passphrase?: string): Promise<string | undefined> {
  try {
    await start(dir, passphrase);
    return undefined;
  } catch (e) {
    return e instanceof TokenscopeError ? e.code : String(e);
  }
}

/** Every file of the data dir with its bytes and mode. */
function snapshot(dir: string): Record<string, { bytes: string; mode: number; mtimeMs: number }> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((name) => {
        const file = join(dir, name);
        const st = statSync(file);
        return [name, { bytes: readFileSync(file).toString('base64'), mode: st.mode, mtimeMs: st.mtimeMs }];
      }),
  );
}

async function historyWithPassphrase(passphrase: string): Promise<{ dir: string; ids: string[] }> {
  const dir = freshDir();
  const b = await start(dir, passphrase);
  expect(value(await b.storageStatus())).toMatchObject({ keyBackend: 'passphrase', unreadableCount: 0 });
  const ids: string[] = [];
  for (const text of TOKENS) ids.push(...value(await b.saveToken({ text })).ids);
  expect(ids).toHaveLength(3);
  await b.close();
  open = [];
  return { dir, ids };
}

describe('a history opens only with its own key', () => {
  it('another passphrase is ERR_WRONG_PASSPHRASE and leaves the data dir byte for byte as it was', async () => {
    const { dir, ids } = await historyWithPassphrase('passphrase A');
    const before = snapshot(dir);
    expect(Object.keys(before)).toContain(DATABASE_FILE);
    expect(await codeOfStart(dir, 'passphrase B')).toBe('ERR_WRONG_PASSPHRASE');
    expect(snapshot(dir)).toEqual(before);
    // and the right one still opens every token
    const a = await start(dir, 'passphrase A');
    expect(value(await a.storageStatus())).toMatchObject({ tokenCount: 3, unreadableCount: 0 });
    for (const [i, id] of ids.entries()) expect(value(await a.revealToken(id)).value).toBe(TOKENS[i]);
  });

  it('no passphrase (the key file) is ERR_KEY_UNAVAILABLE and creates no key file', async () => {
    const { dir } = await historyWithPassphrase('passphrase A');
    const before = snapshot(dir);
    expect(await codeOfStart(dir)).toBe('ERR_KEY_UNAVAILABLE');
    expect(snapshot(dir)).toEqual(before);
    // a passphrase on a history sealed with the key file is refused the same way
    const keyFileDir = freshDir();
    value(await (await start(keyFileDir)).saveToken({ text: TOKENS[0] ?? '' }));
    await open[0]?.close();
    open = [];
    const keyFileBefore = snapshot(keyFileDir);
    expect(await codeOfStart(keyFileDir, 'passphrase A')).toBe('ERR_WRONG_PASSPHRASE');
    expect(snapshot(keyFileDir)).toEqual(keyFileBefore);
  });

  it('a brand-new empty history still creates its first data key', async () => {
    const dir = freshDir();
    const b = await start(dir, 'passphrase A');
    value(await b.saveToken({ text: TOKENS[0] ?? '' }));
    expect(readdirSync(dir)).toContain('tokenscope.salt');
  });
});

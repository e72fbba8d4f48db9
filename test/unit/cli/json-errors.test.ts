/** One output rule: with --json every command's failure is JSON on stdout, {"error":{"code","message"}}, as well as the stderr line. */
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/cli/commands/index.ts';
import { main } from '../../../src/cli/main.ts';
import { io } from '../../helpers/cli-io.ts';
import { freshDir } from '../../helpers/temp-dir.ts';

interface JsonError {
  readonly error: { readonly code: string; readonly message: string };
}

function jsonError(out: string): JsonError {
  const lines = out.trim().split('\n');
  return JSON.parse(lines.at(-1) ?? '') as JsonError;
}

describe('CLI errors under --json', () => {
  it.each(COMMANDS.map((c) => c.name))('%s: a bad option is {"error":{"code","message"}} on stdout, exit 2', async (name) => {
    const t = io({ TOKENSCOPE_DATA_DIR: freshDir('tokenscope-json-err-') });
    const code = await main([name, '--json', '--no-such-option-here'], t);
    expect(code).toBe(2);
    const parsed = jsonError(t.out());
    expect(parsed.error.code).toBe('ERR_INVALID_ARGUMENT');
    expect(parsed.error.message).not.toBe('');
    expect(t.err()).toMatch(/^error ERR_INVALID_ARGUMENT: /m);
  });

  it('a back-end failure (an unknown token) is JSON with its code, and its exit status', async () => {
    const t = io({ TOKENSCOPE_DATA_DIR: freshDir('tokenscope-json-err-') });
    const code = await main(['revoke', 'no-such-token', '--json'], t);
    expect(code).not.toBe(0);
    expect(jsonError(t.out()).error.code).toBe('ERR_NOT_FOUND');
  });

  it('an unknown command under --json is JSON too; without --json stdout stays empty', async () => {
    const t = io({});
    expect(await main(['frobnicate', '--json'], t)).toBe(2);
    expect(jsonError(t.out()).error.code).toBe('ERR_INVALID_ARGUMENT');
    const plain = io({});
    expect(await main(['frobnicate'], plain)).toBe(2);
    expect(plain.out()).toBe('');
  });
});

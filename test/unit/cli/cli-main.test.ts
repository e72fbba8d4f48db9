import { spawnSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import type { CliIo } from '../../../src/cli/io.ts';

function io(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    stdin: new PassThrough(),
    env: {},
    out: () => out,
    err: () => err,
  };
}

describe('tokenscope command line', () => {
  it('--version prints the package version', async () => {
    const t = io();
    expect(await main(['--version'], t)).toBe(0);
    expect(t.out().trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('--help lists the serve command', async () => {
    const t = io();
    expect(await main(['--help'], t)).toBe(0);
    expect(t.out()).toContain('serve');
  });

  it('an unknown command exits 2 with one error line and no stack trace', async () => {
    const t = io();
    expect(await main(['frobnicate'], t)).toBe(2);
    expect(t.err()).toMatch(/^error ERR_INVALID_ARGUMENT: /);
    expect(t.err().trim().split('\n')).toHaveLength(1);
  });

  it('serve rejects a bad --port with ERR_INVALID_ARGUMENT', async () => {
    const t = io();
    expect(await main(['serve', '--port', 'seventy'], t)).toBe(2);
    expect(t.err()).toMatch(/^error ERR_INVALID_ARGUMENT/);
  });

  it('the bin runs from the checkout with no build step, even from an old system Node', () => {
    // /usr/bin/node may be older than 24: the bin re-runs itself with the project's Node.
    const systemNode = ['/usr/bin/node', '/usr/local/bin/node', process.execPath].find((p) => spawnSync(p, ['-v']).status === 0)!;
    const r = spawnSync(systemNode, ['bin/tokenscope.mjs', '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(r.stderr).toBe('');
  });
});

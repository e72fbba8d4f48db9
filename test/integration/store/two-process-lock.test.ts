import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import { createNodePlatform } from '../../../src/main/node-platform.ts';
import { openStore } from '../../../src/main/store/index.ts';
import { createServices } from '../../../src/main/services.ts';
import { TokenscopeError } from '../../../src/shared/result.ts';
import { freshDir } from '../../helpers/temp-dir.ts';

const HOLDER = fileURLToPath(new URL('../../fixtures/store/lock-holder.ts', import.meta.url));

function waitFor(child: ChildProcessWithoutNullStreams, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (d: Buffer): void => {
      buffered += d.toString();
      if (buffered.split('\n').includes(line)) {
        child.stdout.off('data', onData);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`holder exited (${String(code)}) before "${line}"`)));
  });
}

describe('two processes on one history', () => {
  it('the second gets ERR_STORE_LOCKED (store, services and CLI); the first loses nothing', async () => {
    const dir = freshDir();
    const holder = spawn(process.execPath, [HOLDER, dir], { stdio: ['pipe', 'pipe', 'pipe'] });
    try {
      await waitFor(holder, 'ready');
      const platform = createNodePlatform({ mode: 'cli', dataDir: dir, env: {} });
      let code: string | undefined;
      try {
        (await openStore(platform)).close();
      } catch (e) {
        code = (e as TokenscopeError).code;
      }
      expect(code).toBe('ERR_STORE_LOCKED');
      await expect(createServices(platform)).rejects.toMatchObject({ code: 'ERR_STORE_LOCKED' });
      let err = '';
      const exit = await main(['history'], {
        stdout: () => undefined,
        stderr: (t) => (err += t),
        stdin: Readable.from([]),
        env: { TOKENSCOPE_DATA_DIR: dir },
      });
      expect(exit).toBe(1);
      expect(err).toMatch(/^error ERR_STORE_LOCKED: /);
      // the holder keeps writing after the refusals
      const wrote = waitFor(holder, 'wrote');
      holder.stdin.write('write\n');
      await wrote;
      const closed = waitFor(holder, 'closed');
      holder.stdin.end();
      await closed;
    } finally {
      holder.kill();
    }
    if (holder.exitCode === null && holder.signalCode === null) await once(holder, 'exit');
    const store = await openStore(createNodePlatform({ mode: 'cli', dataDir: dir, env: {} }));
    try {
      expect(store.count()).toBe(2);
      const values = store.listTokens({}).items.map((t) => store.getTokenValue(t.id));
      expect(values.every((v) => v.startsWith('holder_token_'))).toBe(true);
    } finally {
      store.close();
    }
  }, 60_000);
});

/** Starts `tokenscope serve` as a child process with a fresh data dir, the way a user does. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freshDir } from './temp-dir.ts';

const BIN = fileURLToPath(new URL('../../bin/tokenscope.mjs', import.meta.url));

export interface ServedApp {
  readonly url: string;
  readonly launchUrl: string;
  readonly dataDir: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

export function startServe(options: { dataDir?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ServedApp> {
  const dataDir = options.dataDir ?? freshDir('tokenscope-e2e-');
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--no-open', '--port', '0'], {
    env: { ...process.env, ...options.env, TOKENSCOPE_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 20_000);
    child.on('exit', (code) => reject(new Error(`serve exited with ${String(code)}: ${out}`)));
    const check = (): void => {
      // serve prints one URL, the one that opens the UI; the bare address is its origin.
      const launch = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (launch?.[1]) {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        resolve({
          url: `${new URL(launch[1]).origin}/`,
          launchUrl: launch[1],
          dataDir,
          output: () => out,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) {
                done();
                return;
              }
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout?.on('data', check);
  });
}

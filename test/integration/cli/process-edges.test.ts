/**
 * The real `tokenscope` process at its edges: a reader that goes away (EPIPE), Ctrl-C and kill, and an
 * endless input file. Each ends with its exit status and one line (or nothing) on stderr, never a stack trace.
 */
import { spawn, spawnSync } from 'node:child_process';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshDir } from '../../helpers/temp-dir.ts';

const BIN = join(import.meta.dirname, '..', '..', '..', 'bin', 'tokenscope.mjs');
const posix = process.platform !== 'win32';
/** The POSIX tool that makes a named pipe (coreutils; every POSIX system has it). */
const MKFIFO = 'mkfifo';

interface Ended {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  readonly ms: number;
}

function ended(child: ReturnType<typeof spawn>, started = Date.now()): Promise<Ended> {
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr, ms: Date.now() - started })),
  );
}

function expectNoTrace(stderr: string): void {
  expect(stderr).not.toMatch(/Error|EPIPE|^\s+at /m);
}

const env = (): NodeJS.ProcessEnv => ({ ...process.env, TOKENSCOPE_DATA_DIR: freshDir() });

describe.runIf(posix)('tokenscope as a process', () => {
  it('output into a pipe whose reader has gone (`| head -c1`, `| true`) ends quietly', async () => {
    for (const reader of ['head -c1', 'true']) {
      const child = spawn('sh', ['-c', `"${process.execPath}" "${BIN}" formats | ${reader} >/dev/null`], {
        env: env(),
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const r = await ended(child);
      expect(r.code).toBe(0);
      expectNoTrace(r.stderr);
      expect(r.stderr).toBe('');
    }
    // the reader's end closed before tokenscope writes a byte
    const child = spawn(process.execPath, [BIN, 'formats'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    const r = await ended(child);
    expect([0, 141]).toContain(r.code);
    expect(r.stderr).toBe('');
  }, 60_000);

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '%s while it reads a FIFO ends at once by that signal (shell status %i), no trace',
    async (signal, _status) => {
      const fifo = join(freshDir(), 'input');
      expect(spawnSync(MKFIFO, [fifo]).status).toBe(0);
      const child = spawn(process.execPath, [BIN, 'inspect', fifo], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
      const done = ended(child);
      // Opening the FIFO for writing returns once tokenscope has opened it for reading: it is running, and
      // its read waits in the thread pool (where process.exit() would hang until the writer closes).
      const writer = await open(fifo, 'w');
      child.kill(signal);
      const r = await done;
      await writer.close();
      expect(r.signal).toBe(signal);
      expect(r.ms).toBeLessThan(20_000);
      expectNoTrace(r.stderr);
      expect(r.stderr).toBe('');
    },
    60_000,
  );

  it('import /dev/zero is refused fast (NUL bytes are not JSON): exit 2, one line on stderr', async () => {
    const child = spawn(process.execPath, [BIN, 'import', '/dev/zero'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const r = await ended(child);
    clearTimeout(timer);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error ERR_INVALID_JSON: [^\n]*\n$/);
    expectNoTrace(r.stderr.replace(/^error /, ''));
  }, 60_000);

  it('import - reads stdin through the same cap', async () => {
    const child = spawn(process.execPath, [BIN, 'import', '-'], { env: env(), stdio: ['pipe', 'pipe', 'pipe'] });
    const done = ended(child);
    // an endless stdin: 1 MiB chunks until tokenscope closes its end
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const pump = (): void => {
      while (child.stdin.writable && child.stdin.write(chunk));
      if (child.stdin.writable) child.stdin.once('drain', pump);
    };
    child.stdin.on('error', () => undefined);
    pump();
    const r = await done;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error ERR_(FILE|INPUT)_TOO_LARGE: [^\n]*\n$/);
  }, 60_000);
});

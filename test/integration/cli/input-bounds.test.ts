/**
 * Hostile input into the real `tokenscope` process stays bounded (issue 14, item 8): endless devices and pipes,
 * an endless record, endless blank space, a flood of bad records. Each is refused with exit 2 (or, for bad records,
 * reported and not imported: exit 1), one line on stderr and no stack trace, and the child's peak RSS (the
 * kernel's, through /usr/bin/time) stays within 100 MB of an idle `tokenscope --version`.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshDir } from '../../helpers/temp-dir.ts';

const BIN = join(import.meta.dirname, '..', '..', '..', 'bin', 'tokenscope.mjs');
/** GNU time: writes the child's peak RSS (KiB) to a file, so stderr stays the child's own. */
const TIME = '/usr/bin/time';
const BOUND_MB = 100;

interface Run {
  readonly code: number | null;
  readonly stderr: string;
  readonly peakMb: number;
}

/** Runs tokenscope under /usr/bin/time; stdin gets `prefix`, then `feed` again and again until tokenscope stops reading. */
function run(args: readonly string[], feed?: Buffer, prefix = ''): Promise<Run> {
  const out = join(freshDir(), 'rss');
  const child = spawn(TIME, ['-f', '%M', '-o', out, process.execPath, BIN, ...args], {
    env: { ...process.env, TOKENSCOPE_DATA_DIR: freshDir() },
    stdio: [feed ? 'pipe' : 'ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  if (feed && child.stdin) {
    const stdin = child.stdin;
    stdin.on('error', () => undefined);
    if (prefix !== '') stdin.write(prefix);
    const pump = (): void => {
      while (stdin.writable && stdin.write(feed));
      if (stdin.writable) stdin.once('drain', pump);
    };
    pump();
  }
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      const kb = Number(readFileSync(out, 'utf8').trim().split('\n').at(-1));
      resolve({ code, stderr, peakMb: kb / 1024 });
    }),
  );
}

function oneErrorLine(stderr: string, codes: RegExp): void {
  expect(stderr).toMatch(new RegExp(`^error (${codes.source}): [^\\n]*\\n$`));
  expect(stderr).not.toMatch(/^\s+at |EPIPE|TypeError|RangeError/m);
}

describe.runIf(process.platform === 'linux' && existsSync(TIME))('hostile input into tokenscope stays within 100 MB', () => {
  let idleMb = 0;
  beforeAll(async () => {
    const idle = await run(['--version']);
    expect(idle.code).toBe(0);
    idleMb = idle.peakMb;
  }, 60_000);

  it('inspect /dev/zero: ERR_INPUT_TOO_LARGE, exit 2', async () => {
    const r = await run(['inspect', '/dev/zero']);
    expect(r.code).toBe(2);
    oneErrorLine(r.stderr, /ERR_INPUT_TOO_LARGE/);
    expect(r.peakMb - idleMb).toBeLessThan(BOUND_MB);
  }, 60_000);

  it('import /dev/zero: refused at its first byte (ERR_INVALID_JSON), exit 2', async () => {
    const r = await run(['import', '/dev/zero']);
    expect(r.code).toBe(2);
    oneErrorLine(r.stderr, /ERR_INVALID_JSON/);
    expect(r.peakMb - idleMb).toBeLessThan(BOUND_MB);
  }, 60_000);

  it('import - fed endless blank space: ERR_INPUT_TOO_LARGE, exit 2', async () => {
    const r = await run(['import', '-'], Buffer.alloc(1024 * 1024, 0x20));
    expect(r.code).toBe(2);
    oneErrorLine(r.stderr, /ERR_INPUT_TOO_LARGE/);
    expect(r.peakMb - idleMb).toBeLessThan(BOUND_MB);
  }, 60_000);

  it('import - fed one endless record: ERR_INPUT_TOO_LARGE (a record over 2 MiB), exit 2', async () => {
    // a JSON string in an array that never ends: `["aaaa…`
    const r = await run(['import', '-'], Buffer.alloc(1024 * 1024, 0x61), '["');
    expect(r.code).toBe(2);
    oneErrorLine(r.stderr, /ERR_INPUT_TOO_LARGE/);
    expect(r.peakMb - idleMb).toBeLessThan(BOUND_MB);
  }, 60_000);

  it('import - fed an endless array of bad records: stops after the first thousand bad ones, nothing imported, exit 1', async () => {
    const r = await run(['import', '-', '--json'], Buffer.from('{},'.repeat(100_000)), '[');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.peakMb - idleMb).toBeLessThan(BOUND_MB);
  }, 60_000);
});

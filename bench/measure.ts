/** Timing and child-process helpers for the rows: interleaved rounds (ours, baseline, ours, ...) so machine noise hits both sides alike. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from './report.ts';

/** Milliseconds per call of `fn`, timed over `n` calls. */
export function msPerCall(fn: () => unknown, n: number): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  return (performance.now() - t0) / n;
}

/**
 * Runs `rounds` rounds, each timing ours then the baseline (the order alternates every round), and
 * returns the median of each side. `sample` returns one figure for a side (ms, tokens/s, ...).
 */
export async function interleaved(
  rounds: number,
  ours: () => number | Promise<number>,
  baseline: () => number | Promise<number>,
): Promise<{ ours: number; baseline: number; oursAll: number[]; baselineAll: number[] }> {
  const o: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      o.push(await ours());
      b.push(await baseline());
    } else {
      b.push(await baseline());
      o.push(await ours());
    }
  }
  return { ours: median(o), baseline: median(b), oursAll: o, baselineAll: b };
}

/**
 * A search row's timing: each call times one search of ours, started at least `pauseMs` after our previous one (a
 * user's pace: no cache kept warm by back-to-back searches), and one baseline scan, the order alternating from call
 * to call; it returns the two times in ms, ours first.
 */
export function pacedSearchPairs(pauseMs: number): (ours: () => void, scan: () => void) => Promise<[number, number]> {
  let lastOurs = 0;
  let calls = 0;
  const timeOurs = async (ours: () => void): Promise<number> => {
    const wait = lastOurs + pauseMs - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    lastOurs = performance.now();
    return msPerCall(ours, 1);
  };
  return async (ours, scan) => {
    if (calls++ % 2 === 0) {
      const o = await timeOurs(ours);
      return [o, msPerCall(scan, 1)];
    }
    const b = msPerCall(scan, 1);
    return [await timeOurs(ours), b];
  };
}

/** The node running the harness, with Node 24's type stripping (the project's node_modules/.bin node). */
export const NODE = process.execPath;

export interface ChildOutput {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a bench child script (`bench/children/<name>.ts`) and returns its output; `nodeArgs` go before the script. */
export function runChild(
  name: string,
  args: readonly string[],
  options: { nodeArgs?: readonly string[]; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<ChildOutput> {
  const script = fileURLToPath(new URL(`./children/${name}.ts`, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [...(options.nodeArgs ?? []), script, ...args], {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The last line of a child's stdout as JSON (children print one JSON line at the end). */
export function childJson<T>(out: ChildOutput): T {
  const line = out.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(
      `child failed (exit ${String(out.code)}): ${(out.stderr || out.stdout).trim().split('\n').slice(-5).join(' | ').slice(0, 600)}`,
    );
  }
}

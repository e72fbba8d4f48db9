/**
 * cli.inspect and cli.start: the `tokenscope` command as a whole process, as a developer runs it from a shell.
 * - cli.inspect: `tokenscope inspect FILE` on one JWT (human output) against a plain Node script that reads
 *   the same file and decodes it with jose (printing header and payload as JSON);
 * - cli.start: `tokenscope --version` against `node -e 0`.
 * Wall time from spawn to exit, same Node, interleaved rounds after a warm-up of each side, median.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateToken } from '../fixtures.ts';
import { interleaved, NODE } from '../measure.ts';
import { measuredResult, type BenchResult } from '../report.ts';

const BIN = fileURLToPath(new URL('../../bin/tokenscope.mjs', import.meta.url));

interface Run {
  readonly ms: number;
  readonly code: number | null;
  readonly stdout: string;
}

function run(args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(NODE, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - t0, code, stdout }));
  });
}

/** Wall milliseconds of one run; a failed run fails the row (a fast error is not a fast command). */
async function timed(args: readonly string[], expect: RegExp): Promise<number> {
  const r = await run(args);
  if (r.code !== 0 || !expect.test(r.stdout))
    throw new Error(`${args.slice(0, 3).join(' ')} exited ${String(r.code)}: ${r.stdout.slice(0, 200)}`);
  return r.ms;
}

export async function benchCli(tmp: string, rounds: number): Promise<BenchResult[]> {
  const nowMs = Date.now();
  let jwt = '';
  for (let i = 0; jwt === ''; i++) {
    const t = generateToken(17, i, nowMs);
    if (t.kind === 'id_token') jwt = t.value;
  }
  const file = join(tmp, 'cli-one.jwt');
  writeFileSync(file, `${jwt}\n`);
  const plain = join(tmp, 'cli-plain-decode.mjs');
  writeFileSync(
    plain,
    [
      "import { readFileSync } from 'node:fs';",
      `import { decodeJwt, decodeProtectedHeader } from ${JSON.stringify(import.meta.resolve('jose'))};`,
      "const jwt = readFileSync(process.argv[2], 'utf8').trim();",
      'console.log(JSON.stringify({ header: decodeProtectedHeader(jwt), payload: decodeJwt(jwt) }, null, 2));',
      '',
    ].join('\n'),
  );
  const from = (await run([BIN, '--version', '--verbose'])).stdout.trim().split('\n').pop() ?? '?';
  const inspect = (): Promise<number> => timed([BIN, 'inspect', file], /^Signature /m);
  const decode = (): Promise<number> => timed([plain, file], /"payload"/);
  const version = (): Promise<number> => timed([BIN, '--version'], /^\d+\.\d+\.\d+/);
  const bare = (): Promise<number> => timed(['-e', '0'], /^$/);
  // Warm-up: the OS file cache, and Node's compile cache for both sides.
  for (let i = 0; i < 2; i++) {
    await inspect();
    await decode();
    await version();
    await bare();
  }
  const ins = await interleaved(rounds, inspect, decode);
  const start = await interleaved(rounds, version, bare);
  const note = `whole processes, wall time, median of ${String(rounds)} interleaved rounds after 2 warm-ups; ${from}`;
  return [
    measuredResult('cli.inspect', ins.ours, ins.baseline, `one ID token (${String(jwt.length)} bytes), ${note}`),
    measuredResult('cli.start', start.ours, start.baseline, note),
  ];
}

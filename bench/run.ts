/**
 * `npm run bench [-- --quick] [-- --json FILE]`: measures what users feel, each figure against a raw
 * baseline measured in the same run, prints a table and optionally writes the JSON report.
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { amplifyHistory, seedHistory, type SeedInfo } from './fixtures.ts';
import {
  buildReport,
  formatNotes,
  formatTable,
  parseArgs,
  reportProblems,
  round,
  ROWS,
  selected,
  unmeasuredResult,
  type BenchArgs,
  type BenchReport,
  type BenchResult,
} from './report.ts';
import { keptLimits, resultsMarkdown } from './results-md.ts';
import { benchInsert, benchPageAndScale, benchSearch, openHistory } from './rows/store-rows.ts';
import { benchInspect } from './rows/inspect-row.ts';
import { benchSearchClaims } from './rows/search-claims-row.ts';
import { benchExport, benchMemory } from './rows/process-rows.ts';
import { benchFlow } from './rows/flow-row.ts';
import { benchImport } from './rows/import-row.ts';
import { benchUi } from './rows/ui-rows.ts';
import { benchCli } from './rows/cli-rows.ts';

/** Sizes of a full run and of `--quick` (every row, reduced, under a minute). */
export interface Sizes {
  readonly big: number;
  /** Tokens saved one by one through the store (the export history; the big one is grown from it). */
  readonly unique: number;
  readonly small: number;
  readonly insert: number;
  readonly insertRounds: number;
  readonly pages: number;
  readonly searches: number;
  /** A user's pace between two searches. */
  readonly searchPauseMs: number;
  readonly inspectCalls: number;
  readonly inspectRounds: number;
  readonly memoryRuns: number;
  readonly exportRuns: number;
  readonly flows: number;
  readonly uiLoads: number;
  readonly scrollRows: number;
  /** Interleaved rounds of the import row (each imports the whole `unique` history's bundle). */
  readonly importRounds: number;
}

export const FULL: Sizes = {
  big: 1_000_000,
  unique: 100_000,
  small: 10_000,
  insert: 5_000,
  insertRounds: 3,
  pages: 200,
  searches: 10,
  searchPauseMs: 6000,
  inspectCalls: 2000,
  inspectRounds: 7,
  memoryRuns: 3,
  exportRuns: 2,
  flows: 15,
  uiLoads: 5,
  scrollRows: 10_000,
  importRounds: 3,
};

export const QUICK: Sizes = {
  big: 10_000,
  unique: 1_000,
  small: 1_000,
  insert: 300,
  insertRounds: 3,
  pages: 30,
  searches: 3,
  searchPauseMs: 0,
  inspectCalls: 300,
  inspectRounds: 5,
  memoryRuns: 1,
  exportRuns: 1,
  flows: 2,
  uiLoads: 1,
  scrollRows: 1_000,
  importRounds: 1,
};

function fmtCount(n: number): string {
  return n >= 1_000_000 ? `${String(n / 1_000_000)}M` : n >= 1000 ? `${String(n / 1000)}k` : String(n);
}

/** The commit measured, and whether the tree had changes (null outside a git checkout). */
function gitCommit(): BenchReport['commit'] {
  try {
    const cwd = new URL('..', import.meta.url).pathname;
    const id = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, encoding: 'utf8' }).trim() !== '';
    return { id, dirty };
  } catch {
    return null;
  }
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Rows whose measurement threw (a broken harness or product, not a missed goal): the run exits 1 (CI's --quick). */
const failedRows: string[] = [];

async function row(
  names: readonly string[],
  args: BenchArgs,
  fn: () => Promise<BenchResult | BenchResult[]>,
): Promise<BenchResult[]> {
  const wanted = names.filter((n) => selected(args, n));
  if (wanted.length === 0) return [];
  const t0 = performance.now();
  log(`▶ ${wanted.join(', ')}`);
  try {
    const out = await fn();
    const results = (Array.isArray(out) ? out : [out]).filter((r) => wanted.includes(r.name));
    for (const r of results)
      log(
        `  ${r.name}: ours ${String(r.ours)} ${r.unit}, baseline ${String(r.baseline)}, ratio ${String(r.ratio)} (${r.goal}) ${r.pass ? 'pass' : 'MISS'}${r.ratio === null && r.note ? ` — ${r.note}` : ''}`,
      );
    log(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    return results;
  } catch (e) {
    const message = e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e);
    log(`  failed: ${message}`);
    failedRows.push(...wanted);
    return wanted.map((n) => unmeasuredResult(n, `not measured: ${message.slice(0, 300)}`));
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    log((e as Error).message);
    return 2;
  }
  const started = performance.now();
  const loadAtStart = loadavg()[0] ?? 0;
  const sizes = args.quick ? QUICK : FULL;
  const tmp = mkdtempSync(join(tmpdir(), 'tokenscope-bench-'));
  const keep = args.keep ? resolve(args.keep) : null;
  const dataRoot = keep ?? join(tmp, 'data');
  mkdirSync(dataRoot, { recursive: true });
  if (args.cpuProf) mkdirSync(args.cpuProf, { recursive: true });
  log(
    `tokenscope bench${args.quick ? ' --quick' : ''}: ${String(cpus().length)} cpus, node ${process.version}, data in ${dataRoot}`,
  );

  const needsBig = [
    'store.page',
    'store.scale',
    'store.search',
    'store.search.claims',
    'memory',
    'ui.firstRows',
    'ui.scroll.drops',
    'ui.scroll.p95',
  ].some((n) => selected(args, n));
  const needsSmall = selected(args, 'store.scale');
  const needsUnique = needsBig || selected(args, 'export') || selected(args, 'import');
  const suffix = args.quick ? 'quick' : 'full';
  const uniqueDir = join(dataRoot, `unique-${suffix}`);
  const bigDir = join(dataRoot, `big-${suffix}`);
  const smallDir = args.quick ? uniqueDir : join(dataRoot, `small-${suffix}`);
  const emptyDir = join(tmp, 'empty');
  const results: BenchResult[] = [];
  const seeds: SeedInfo[] = [];
  let seedError: string | null = null;
  try {
    if (needsUnique) seeds.push(await seedHistory(uniqueDir, sizes.unique, 1, { reuse: keep !== null, log }));
    if (needsSmall && smallDir !== uniqueDir)
      seeds.push(await seedHistory(smallDir, sizes.small, 2, { reuse: keep !== null, log }));
    if (needsBig) seeds.push(await amplifyHistory(uniqueDir, bigDir, sizes.big, { reuse: keep !== null, log }));
    for (const s of seeds) {
      log(
        `  history ${s.dataDir}: ${String(s.count)} tokens (${String(s.unique)} through the store) ${s.reused ? 'reused' : `in ${s.seconds.toFixed(0)} s`}; first open ${s.firstOpenSeconds.toFixed(1)} s`,
      );
    }
  } catch (e) {
    seedError = `the token history could not be seeded: ${(e as Error).message.split('\n')[0] ?? ''}`;
    log(`  ${seedError}`);
  }
  const bigSeed = seeds.find((s) => s.dataDir === bigDir);
  const bigLabel = `${fmtCount(sizes.big)} tokens`;
  const seedNote = bigSeed
    ? ` (${fmtCount(bigSeed.unique)} saved through the store, the rest SQL copies of those rows; the store's first open of this history took ${bigSeed.firstOpenSeconds.toFixed(1)} s, not measured)`
    : '';
  const smallLabel = `${fmtCount(sizes.small)} tokens`;
  const seeded = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (seedError) throw new Error(seedError);
    return fn();
  };

  results.push(...(await row(['store.insert'], args, () => benchInsert(tmp, sizes.insert, sizes.insertRounds))));
  results.push(...(await row(['inspect'], args, () => benchInspect(sizes.inspectCalls, sizes.inspectRounds))));
  let subjects: string[] = [];
  results.push(
    ...(await row(['store.page', 'store.scale', 'store.search'], args, () =>
      seeded(async () => {
        const big = await openHistory(bigDir);
        const small = await openHistory(smallDir);
        try {
          const out = benchPageAndScale(big, small, sizes.pages, `${bigLabel}${seedNote}`, smallLabel);
          out.push(await benchSearch(big, sizes.searches, bigLabel, sizes.searchPauseMs));
          subjects = (
            big.raw.prepare('SELECT subject FROM tokens WHERE subject IS NOT NULL ORDER BY seq DESC LIMIT 5').all() as {
              subject: string;
            }[]
          ).map((r) => r.subject);
          return out;
        } finally {
          small.close();
          big.close();
        }
      }),
    )),
  );
  results.push(
    ...(await row(['store.search.claims'], args, () =>
      seeded(async () => {
        const big = await openHistory(bigDir);
        try {
          return await benchSearchClaims(big, sizes.searches, bigLabel, sizes.searchPauseMs);
        } finally {
          big.close();
        }
      }),
    )),
  );
  results.push(
    ...(await row(['memory'], args, () =>
      seeded(async () => {
        mkdirSync(emptyDir, { recursive: true });
        const list = subjects.length > 0 ? subjects : ['00000000-0000-4000-a000-000000000000'];
        return benchMemory(bigDir, emptyDir, list, sizes.memoryRuns, bigLabel, args.cpuProf);
      }),
    )),
  );
  results.push(...(await row(['export'], args, () => seeded(() => benchExport(uniqueDir, tmp, sizes.exportRuns, args.cpuProf)))));
  results.push(...(await row(['flow'], args, () => benchFlow(tmp, sizes.flows))));
  results.push(...(await row(['import'], args, () => seeded(() => benchImport(uniqueDir, tmp, sizes.importRounds)))));
  results.push(...(await row(['cli.inspect', 'cli.start'], args, () => benchCli(tmp, args.quick ? 7 : 15))));
  let chromium: string | undefined;
  results.push(
    ...(await row(['ui.firstRows', 'ui.scroll.drops', 'ui.scroll.p95'], args, () =>
      seeded(() =>
        benchUi({
          bigDir,
          emptyRoot: tmp,
          loads: sizes.uiLoads,
          scrollRows: sizes.scrollRows,
          bigLabel,
          onBrowser: (version) => (chromium = version),
          cpuProfDir: args.cpuProf ? resolve(args.cpuProf) : null,
        }),
      ),
    )),
  );

  const ordered = ROWS.filter((r) => selected(args, r.name)).map(
    (spec) => results.find((r) => r.name === spec.name) ?? unmeasuredResult(spec.name, 'not measured: the row did not run'),
  );
  const durationS = (performance.now() - started) / 1000;
  const report = buildReport(
    ordered,
    {
      cpus: cpus().length,
      node: process.version,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(totalmem() / 2 ** 30),
      platform: `${process.platform}-${process.arch}`,
      ...(chromium ? { chromium } : {}),
      loadAverage: { start: round(loadAtStart), end: round(loadavg()[0] ?? 0) },
    },
    { quick: args.quick, durationS, commit: gitCommit() },
  );
  if (args.only.length === 0) {
    const problems = reportProblems(report);
    if (problems.length > 0) log(`report problems: ${problems.join('; ')}`);
  }
  process.stdout.write(
    `\n${formatTable(report.results)}\n\n${formatNotes(report.results)}\n\n${report.date} · ${String(report.machine.cpus)} cpus · node ${report.machine.node} · ${durationS.toFixed(0)} s${args.quick ? ' · --quick' : ''}\n`,
  );
  if (args.json) writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
  if (args.results) {
    const kept = existsSync(args.results) ? keptLimits(readFileSync(args.results, 'utf8')) : new Map<string, string>();
    writeFileSync(args.results, resultsMarkdown(report, kept, { json: args.json }));
  }
  rmSync(tmp, { recursive: true, force: true });
  if (failedRows.length > 0) log(`rows that failed to run: ${failedRows.join(', ')}`);
  return failedRows.length > 0 ? 1 : 0;
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));

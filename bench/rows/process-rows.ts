/** memory and export: RSS figures taken in child processes, so the harness's own heap never counts. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { childJson, runChild } from '../measure.ts';
import { measuredResult, median, type BenchResult } from '../report.ts';

const MB = 1024 * 1024;

function profArgs(cpuProfDir: string | null, name: string): string[] {
  return cpuProfDir
    ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`, `--cpu-prof-name=${name}-${String(Date.now())}.cpuprofile`]
    : [];
}

interface MemoryChild {
  rss: number;
  heapUsed: number;
  rows: number;
  found: number;
  tokenCount: number | null;
}

/** Back-end RSS with the big history against an empty one; `runs` children each, alternating. */
export async function benchMemory(
  bigDir: string,
  emptyDir: string,
  subjects: readonly string[],
  runs: number,
  label: string,
  cpuProfDir: string | null,
): Promise<BenchResult> {
  const big: MemoryChild[] = [];
  const empty: MemoryChild[] = [];
  const arg = JSON.stringify(subjects);
  for (let i = 0; i < runs; i++) {
    const one = async (dir: string, into: MemoryChild[], name: string): Promise<void> => {
      into.push(
        childJson<MemoryChild>(
          await runChild('memory', [dir, arg], { nodeArgs: ['--expose-gc', ...(i === 0 ? profArgs(cpuProfDir, name) : [])] }),
        ),
      );
    };
    if (i % 2 === 0) {
      await one(bigDir, big, 'memory-big');
      await one(emptyDir, empty, 'memory-empty');
    } else {
      await one(emptyDir, empty, 'memory-empty');
      await one(bigDir, big, 'memory-big');
    }
  }
  const b = big[0];
  return measuredResult(
    'memory',
    median(big.map((x) => x.rss)) / MB,
    median(empty.map((x) => x.rss)) / MB,
    `${label}; back end as the front doors start it (createServices), 20 pages + 2 filtered pages + ${String(subjects.length)} searches, RSS after GC, median of ${String(runs)} children each (history reported ${String(b?.tokenCount ?? '?')} tokens, ${String(b?.rows ?? '?')} rows listed)`,
  );
}

interface ExportChild {
  before: number;
  peak: number;
  sampledPeak: number;
  maxRss: number;
  maxRssBefore: number;
  tokenCount: number;
  exported: number;
  bytes: number;
  seconds: number;
}

/** Peak RSS while exporting the whole history to a bundle, against the RSS right before. */
export async function benchExport(dataDir: string, tmp: string, runs: number, cpuProfDir: string | null): Promise<BenchResult> {
  const runsOut: ExportChild[] = [];
  for (let i = 0; i < runs; i++) {
    const out = join(tmp, `export-${String(i)}.tokenscope.json`);
    runsOut.push(
      childJson<ExportChild>(
        await runChild('export', [dataDir, out], {
          nodeArgs: ['--expose-gc', ...(i === 0 ? profArgs(cpuProfDir, 'export') : [])],
        }),
      ),
    );
    rmSync(out, { force: true });
  }
  const first = runsOut[0];
  return measuredResult(
    'export',
    median(runsOut.map((x) => x.peak)) / MB,
    median(runsOut.map((x) => x.before)) / MB,
    `${String(first?.exported ?? '?')} tokens to a full-value bundle through the contract (exportTokens) (${((first?.bytes ?? 0) / MB).toFixed(0)} MB, ${(first?.seconds ?? 0).toFixed(1)} s); peak = max(RSS sampled every 5 ms, the kernel's maxRSS when the export raised it): sampled ${runsOut.map((x) => (x.sampledPeak / MB).toFixed(0)).join(', ')} MB, maxRSS ${runsOut.map((x) => `${(x.maxRssBefore / MB).toFixed(0)} before → ${(x.maxRss / MB).toFixed(0)} after`).join(', ')} MB; median of ${String(runs)} children`,
  );
}

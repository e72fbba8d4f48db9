/**
 * The pure half of the benchmark harness: how a row's two figures become a ratio, a goal and a verdict,
 * the JSON report, the printed table and the command line. No I/O here (the unit tests run all of it).
 */

/** How a row's ratio is formed, and which side of the goal passes. */
export interface RowGoal {
  /**
   * `ours/baseline` for times and sizes, `baseline/ours` for a speed-up, `ours/baseline` for throughputs compared by ≥;
   * `ours` when the figure itself is held to the goal (a share of frames: the baseline is shown beside it, not divided).
   */
  readonly ratio: 'ours/baseline' | 'baseline/ours' | 'ours';
  readonly op: '<=' | '>=';
  readonly value: number;
}

export interface RowSpec {
  readonly name: string;
  readonly unit: string;
  readonly goal: RowGoal;
  /** What "ours" and "baseline" are, for the report's notes. */
  readonly ours: string;
  readonly baseline: string;
}

/** One row of the JSON report. `ours`, `baseline` and `ratio` are null when the row could not be measured. */
export interface BenchResult {
  readonly name: string;
  readonly ours: number | null;
  readonly baseline: number | null;
  readonly unit: string;
  readonly ratio: number | null;
  readonly goal: string;
  readonly pass: boolean;
  /** Why a row has no figures (a missing dependency, an error), or what limits a missed goal. */
  readonly note?: string;
}

export interface BenchReport {
  readonly date: string;
  /** The commit measured (`git rev-parse HEAD`) and whether the tree had uncommitted changes; null outside git. */
  readonly commit: { readonly id: string; readonly dirty: boolean } | null;
  readonly machine: {
    readonly cpus: number;
    readonly node: string;
    readonly cpuModel?: string;
    readonly memoryGb?: number;
    readonly platform?: string;
    /** The Chromium the ui rows ran in, when they ran. */
    readonly chromium?: string;
    /** The 1-minute load average when the run started and when it ended (a shared machine shows here). */
    readonly loadAverage?: { readonly start: number; readonly end: number };
  };
  readonly quick: boolean;
  readonly durationS: number;
  readonly results: readonly BenchResult[];
}

/** Every row the issue asks for, in its order, with its goal. */
export const ROWS: readonly RowSpec[] = [
  {
    name: 'store.insert',
    unit: 'tokens/s',
    goal: { ratio: 'ours/baseline', op: '>=', value: 0.5 },
    ours: 'tokens/s through Store.saveToken + addEvent in one store.write transaction (hashing, decoding, encryption, indexes, FTS, events)',
    baseline:
      'raw better-sqlite3 prepared INSERTs of the same plaintext rows in one transaction (same pragmas); the note adds a second baseline: raw INSERTs of the rows the store wrote (sealed values, events, search-term rows) into the same schema',
  },
  {
    name: 'store.page',
    unit: 'ms',
    goal: { ratio: 'ours/baseline', op: '<=', value: 1.5 },
    ours: 'Store.listTokens: a filtered (status + kind) keyset page of 100 at random depths, 1,000,000 tokens',
    baseline: 'the same query as hand-written SQL on the same file (second connection)',
  },
  {
    name: 'store.scale',
    unit: 'ms',
    goal: { ratio: 'ours/baseline', op: '<=', value: 2 },
    ours: 'that page at 1,000,000 tokens',
    baseline: 'that page at 10,000 tokens',
  },
  {
    name: 'store.search',
    unit: 'ms',
    goal: { ratio: 'baseline/ours', op: '>=', value: 10 },
    ours: 'Store.listTokens({ text: subject }): free-text search for a subject among 1,000,000 tokens (first page, with counts)',
    baseline: 'a LIKE scan: SELECT … WHERE subject LIKE %subject% ORDER BY seq DESC LIMIT 101 on the same file',
  },
  {
    name: 'store.search.claims',
    unit: 'ms',
    goal: { ratio: 'baseline/ours', op: '>=', value: 10 },
    ours: 'Store.listTokens({ text }) for a claim value (an email) and a profile name among 1,000,000 tokens (first page, with counts)',
    baseline: 'a LIKE scan of the same data on the same file',
  },
  {
    name: 'inspect',
    unit: 'µs/op',
    goal: { ratio: 'ours/baseline', op: '<=', value: 3 },
    ours: 'inspectText(jwt): decode, claims, detection, findings',
    baseline: 'jose.decodeJwt + jose.decodeProtectedHeader',
  },
  {
    name: 'cli.inspect',
    unit: 'ms',
    goal: { ratio: 'ours/baseline', op: '<=', value: 1.5 },
    ours: '`tokenscope inspect FILE` on one JWT, human output, as a whole process (wall time)',
    baseline: 'a plain Node script that reads the same file and decodes it with jose, as a whole process',
  },
  {
    name: 'cli.start',
    unit: 'ms',
    goal: { ratio: 'ours/baseline', op: '<=', value: 2 },
    ours: '`tokenscope --version` as a whole process (wall time)',
    baseline: '`node -e 0`',
  },
  {
    name: 'flow',
    unit: 'ms',
    goal: { ratio: 'ours/baseline', op: '<=', value: 1.2 },
    ours: 'code + PKCE loopback flow against the demo issuer, scripted login, through our services (startLogin → tokens stored)',
    baseline: 'the same flow written directly with openid-client (own loopback listener, same scripted login)',
  },
  {
    name: 'import',
    unit: 'tokens/s',
    goal: { ratio: 'ours/baseline', op: '>=', value: 0.4 },
    ours: 'importTokens (the contract) of a 100,000-token bundle, with its import-progress events',
    baseline: 'raw prepared INSERTs of the same tokens into the same schema with pre-sealed values',
  },
  {
    name: 'ui.firstRows',
    unit: 'ms',
    goal: { ratio: 'ours/baseline', op: '<=', value: 1.5 },
    ours: '`serve` in Chromium: navigation to the first list rows painted, history of 1,000,000',
    baseline: 'the same with an empty history (navigation to the empty list painted)',
  },
  {
    name: 'ui.scroll.drops',
    unit: '% of frames',
    goal: { ratio: 'ours', op: '<=', value: 1 },
    ours: "share of frames longer than 1.5× the empty page's median frame while scrolling 10,000 rows at 3 rows a frame, 1,000,000 tokens",
    baseline: 'the same share for an empty page of the same height scrolled the same way, in the same run',
  },
  {
    name: 'ui.scroll.p95',
    unit: 'ms',
    goal: { ratio: 'ours/baseline', op: '<=', value: 1.05 },
    ours: 'p95 frame time of that scroll',
    baseline: 'p95 frame time of the empty page scrolled the same way, in the same run',
  },
  {
    name: 'memory',
    unit: 'MB',
    goal: { ratio: 'ours/baseline', op: '<=', value: 1.2 },
    ours: 'back-end (createServices) RSS with 1,000,000 tokens after listing and searching, in a child process',
    baseline: 'the same with an empty history',
  },
  {
    name: 'export',
    unit: 'MB',
    goal: { ratio: 'ours/baseline', op: '<=', value: 1.5 },
    ours: 'peak RSS while exporting 100,000 tokens to a bundle, in a child process',
    baseline: 'RSS of that process right before the export',
  },
];

export function rowSpec(name: string): RowSpec {
  const spec = ROWS.find((r) => r.name === name);
  if (!spec) throw new Error(`unknown benchmark row ${name}`);
  return spec;
}

export function goalText(goal: RowGoal): string {
  const op = goal.op === '<=' ? '≤' : '≥';
  if (goal.ratio === 'ours') return `${op} ${String(goal.value)} %`;
  return goal.ratio === 'baseline/ours' ? `${op} ${String(goal.value)}× faster` : `ratio ${op} ${String(goal.value)}`;
}

/** The figure the goal is read against: a ratio of the two sides, or (`ours`) our figure itself. */
export function computeRatio(ours: number, baseline: number, goal: RowGoal): number | null {
  if (goal.ratio === 'ours') return Number.isFinite(ours) && ours >= 0 ? ours : null;
  const [num, den] = goal.ratio === 'ours/baseline' ? [ours, baseline] : [baseline, ours];
  if (!Number.isFinite(num) || !Number.isFinite(den) || den <= 0 || num < 0) return null;
  return num / den;
}

export function passes(ratio: number | null, goal: RowGoal): boolean {
  if (ratio === null) return false;
  return goal.op === '<=' ? ratio <= goal.value : ratio >= goal.value;
}

/** A measured row: the ratio and the verdict follow from the two figures and the row's goal. */
export function measuredResult(name: string, ours: number, baseline: number, note?: string): BenchResult {
  const spec = rowSpec(name);
  const ratio = computeRatio(ours, baseline, spec.goal);
  const result: BenchResult = {
    name,
    ours: round(ours),
    baseline: round(baseline),
    unit: spec.unit,
    ratio: ratio === null ? null : shownRatio(ratio, spec.goal),
    goal: goalText(spec.goal),
    pass: passes(ratio, spec.goal),
  };
  return note === undefined ? result : { ...result, note };
}

/** A row that could not be measured (a part not built yet, an error): no figures, never a pass. */
export function unmeasuredResult(name: string, reason: string): BenchResult {
  const spec = rowSpec(name);
  return { name, ours: null, baseline: null, unit: spec.unit, ratio: null, goal: goalText(spec.goal), pass: false, note: reason };
}

/** The ratio rounded for the table, with as many more digits as it takes for the shown figure to agree with the verdict. */
export function shownRatio(ratio: number, goal: RowGoal): number {
  let shown = round(ratio);
  for (let digits = 4; digits <= 8 && passes(shown, goal) !== passes(ratio, goal); digits++)
    shown = Number(ratio.toPrecision(digits));
  return shown;
}

/** Three significant digits, enough for noisy timings. */
export function round(n: number): number {
  if (!Number.isFinite(n) || n === 0) return n;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(n))));
  const f = 10 ** Math.min(digits, 6);
  return Math.round(n * f) / f;
}

// ── statistics ──

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Linear-interpolated quantile (q in 0..1); NaN for no values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  return a + (b - a) * (pos - lo);
}

// ── report ──

export function buildReport(
  results: readonly BenchResult[],
  machine: BenchReport['machine'],
  options: { quick: boolean; durationS: number; date?: Date; commit?: BenchReport['commit'] },
): BenchReport {
  return {
    date: (options.date ?? new Date()).toISOString(),
    commit: options.commit ?? null,
    machine,
    quick: options.quick,
    durationS: round(options.durationS),
    results,
  };
}

/** Checks the shape of a report (what CI and the unit test rely on); returns the problems found. */
export function reportProblems(report: unknown): string[] {
  const problems: string[] = [];
  if (!report || typeof report !== 'object') return ['the report is not an object'];
  const r = report as Record<string, unknown>;
  if (typeof r['date'] !== 'string' || Number.isNaN(Date.parse(r['date']))) problems.push('date is not an ISO date');
  const commit = r['commit'] as Record<string, unknown> | null | undefined;
  if (commit !== null && (typeof commit?.['id'] !== 'string' || typeof commit['dirty'] !== 'boolean'))
    problems.push('commit needs an id and dirty (or null)');
  const machine = r['machine'] as Record<string, unknown> | undefined;
  if (!machine || typeof machine['cpus'] !== 'number' || typeof machine['node'] !== 'string')
    problems.push('machine needs cpus and node');
  if (!Array.isArray(r['results'])) return [...problems, 'results is not an array'];
  const names = (r['results'] as unknown[]).map((x) => (x as Record<string, unknown> | null)?.['name']);
  for (const spec of ROWS) if (!names.includes(spec.name)) problems.push(`row ${spec.name} is missing`);
  for (const row of r['results'] as unknown[]) {
    const x = row as Record<string, unknown>;
    for (const key of ['name', 'ours', 'baseline', 'unit', 'ratio', 'goal', 'pass'])
      if (!(key in x)) problems.push(`row ${String(x['name'])} has no ${key}`);
    for (const key of ['ours', 'baseline', 'ratio'])
      if (x[key] !== null && typeof x[key] !== 'number')
        problems.push(`row ${String(x['name'])}: ${key} is not a number or null`);
    if (typeof x['pass'] !== 'boolean') problems.push(`row ${String(x['name'])}: pass is not a boolean`);
    if (x['ratio'] === null && x['pass'] === true) problems.push(`row ${String(x['name'])} passes without a ratio`);
  }
  return problems;
}

function cell(n: number | null): string {
  return n === null ? '—' : String(n);
}

/** The table printed at the end of a run and pasted into RESULTS.md (GitHub markdown). */
export function formatTable(results: readonly BenchResult[]): string {
  const lines = ['| name | ours | baseline | unit | ratio | goal | pass |', '|---|---:|---:|---|---:|---|---|'];
  for (const r of results) {
    const verdict = r.ratio === null ? 'not measured' : r.pass ? 'yes' : '**no**';
    lines.push(
      `| \`${r.name}\` | ${cell(r.ours)} | ${cell(r.baseline)} | ${r.unit} | ${cell(r.ratio)} | ${r.goal} | ${verdict} |`,
    );
  }
  return lines.join('\n');
}

export function formatNotes(results: readonly BenchResult[]): string {
  return results
    .filter((r) => r.note !== undefined)
    .map((r) => `- \`${r.name}\`: ${r.note ?? ''}`)
    .join('\n');
}

// ── command line ──

export interface BenchArgs {
  readonly quick: boolean;
  readonly json: string | null;
  /** Also write RESULTS.md (markdown) here, keeping the "what limits it" texts of the file already there. */
  readonly results: string | null;
  /** Run only these rows (default: all). */
  readonly only: readonly string[];
  /** Keep the seeded databases in this directory and reuse them on the next run (development). */
  readonly keep: string | null;
  /** Write V8 CPU profiles of the measured children / phases here. */
  readonly cpuProf: string | null;
}

export function parseArgs(argv: readonly string[]): BenchArgs {
  let quick = false;
  let json: string | null = null;
  let results: string | null = null;
  let keep: string | null = null;
  let cpuProf: string | null = null;
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') quick = true;
    else if (a === '--json') json = value();
    else if (a.startsWith('--json=')) json = a.slice('--json='.length);
    else if (a === '--results') results = value();
    else if (a === '--only') only.push(...value().split(','));
    else if (a.startsWith('--only=')) only.push(...a.slice('--only='.length).split(','));
    else if (a === '--keep') keep = value();
    else if (a === '--cpu-prof-dir') cpuProf = value();
    else if (a === '--help' || a === '-h') throw new Error(USAGE);
    else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  for (const name of only)
    if (!ROWS.some((r) => r.name === name || r.name.startsWith(`${name}.`))) throw new Error(`unknown row ${name}`);
  return { quick, json, results, only, keep, cpuProf };
}

export const USAGE = `usage: npm run bench -- [--quick] [--json FILE] [--results FILE] [--only ROW[,ROW]] [--keep DIR] [--cpu-prof-dir DIR]
  --quick          every row at reduced size (CI: proves the harness, its figures mean little)
                   (exit 1 when a row failed to run; a missed goal is reported, not an error)
  --json FILE      also write the report as JSON (bench/results.json, committed beside RESULTS.md)
  --results FILE   also write the markdown report (bench/RESULTS.md), keeping its "what limits it" texts
  --only ROWS      only these rows (a prefix like "store" selects store.*)
  --keep DIR       keep the seeded databases in DIR and reuse them on the next run
  --cpu-prof-dir D write CPU profiles of the children (memory, export) and of ours in-process phases to D`;

export function selected(args: BenchArgs, name: string): boolean {
  return args.only.length === 0 || args.only.some((o) => name === o || name.startsWith(`${o}.`));
}

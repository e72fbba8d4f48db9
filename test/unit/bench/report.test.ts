import { describe, expect, it } from 'vitest';
import { FULL, QUICK } from '../../../bench/run.ts';
import {
  buildReport,
  computeRatio,
  formatTable,
  goalText,
  measuredResult,
  parseArgs,
  passes,
  quantile,
  reportProblems,
  ROWS,
  round,
  selected,
  unmeasuredResult,
} from '../../../bench/report.ts';

const machine = { cpus: 2, node: 'v24.0.0' };

describe('bench report', () => {
  it('lists exactly the rows of the issue, in its order', () => {
    expect(ROWS.map((r) => r.name)).toEqual([
      'store.insert',
      'store.page',
      'store.scale',
      'store.search',
      'store.search.claims',
      'inspect',
      'cli.inspect',
      'cli.start',
      'flow',
      'import',
      'ui.firstRows',
      'ui.scroll.drops',
      'ui.scroll.p95',
      'memory',
      'export',
    ]);
  });

  it('keeps the goals of the issue', () => {
    const goals = Object.fromEntries(ROWS.map((r) => [r.name, `${r.goal.ratio} ${r.goal.op} ${String(r.goal.value)}`]));
    expect(goals).toEqual({
      'store.insert': 'ours/baseline >= 0.5',
      'store.page': 'ours/baseline <= 1.5',
      'store.scale': 'ours/baseline <= 2',
      'store.search': 'baseline/ours >= 10',
      'store.search.claims': 'baseline/ours >= 10',
      inspect: 'ours/baseline <= 3',
      'cli.inspect': 'ours/baseline <= 1.5',
      'cli.start': 'ours/baseline <= 2',
      flow: 'ours/baseline <= 1.2',
      import: 'ours/baseline >= 0.4',
      'ui.firstRows': 'ours/baseline <= 1.5',
      'ui.scroll.drops': 'ours <= 1',
      'ui.scroll.p95': 'ours/baseline <= 1.05',
      memory: 'ours/baseline <= 1.2',
      export: 'ours/baseline <= 1.5',
    });
  });

  it('passes a time ratio at the goal and misses it just above', () => {
    expect(measuredResult('store.page', 1.5, 1).pass).toBe(true);
    expect(measuredResult('store.page', 1.51, 1).pass).toBe(false);
    expect(measuredResult('store.page', 3, 2)).toMatchObject({
      ours: 3,
      baseline: 2,
      ratio: 1.5,
      unit: 'ms',
      goal: 'ratio ≤ 1.5',
      pass: true,
    });
  });

  it('compares a throughput with ≥ (ours / baseline)', () => {
    expect(measuredResult('store.insert', 500, 1000)).toMatchObject({ ratio: 0.5, pass: true });
    expect(measuredResult('store.insert', 499, 1000)).toMatchObject({ ratio: 0.499, pass: false });
  });

  it('reads the search goal as a speed-up (baseline / ours)', () => {
    expect(measuredResult('store.search', 2, 40)).toMatchObject({ ratio: 20, goal: '≥ 10× faster', pass: true });
    expect(measuredResult('store.search', 5, 40)).toMatchObject({ ratio: 8, pass: false });
  });

  it("holds ui.scroll.p95 to the empty page's p95 of the same run, never to a constant frame", () => {
    expect(measuredResult('ui.scroll.p95', 17.5, 16.7)).toMatchObject({ ratio: 1.05, goal: 'ratio ≤ 1.05', pass: true });
    // A miss by a hair is not shown as a ratio that meets the goal.
    expect(measuredResult('ui.scroll.p95', 17.55, 16.7)).toMatchObject({ ratio: 1.051, pass: false });
    expect(measuredResult('ui.scroll.p95', 33.4, 16.7).pass).toBe(false);
  });

  it("reads ui.scroll.drops as a share of frames, with the empty page's share beside it and not divided", () => {
    expect(measuredResult('ui.scroll.drops', 0.6, 0.2)).toMatchObject({
      ours: 0.6,
      baseline: 0.2,
      unit: '% of frames',
      ratio: 0.6,
      goal: '≤ 1 %',
      pass: true,
    });
    expect(measuredResult('ui.scroll.drops', 1, 0)).toMatchObject({ ratio: 1, pass: true });
    expect(measuredResult('ui.scroll.drops', 1.0004, 0)).toMatchObject({ ratio: 1.0004, pass: false });
    // A zero baseline does not make the share unmeasurable; a negative or NaN share is.
    expect(measuredResult('ui.scroll.drops', 0, 0)).toMatchObject({ ratio: 0, pass: true });
    expect(measuredResult('ui.scroll.drops', Number.NaN, 0)).toMatchObject({ ratio: null, pass: false });
  });

  it('holds import to ≥ 0.4 of the raw inserts and flow to ≤ 1.2', () => {
    expect(measuredResult('import', 40, 100)).toMatchObject({ ratio: 0.4, pass: true });
    expect(measuredResult('import', 39.9, 100)).toMatchObject({ ratio: 0.399, pass: false });
    expect(measuredResult('flow', 48, 40)).toMatchObject({ ratio: 1.2, pass: true });
    expect(measuredResult('flow', 48.4, 40)).toMatchObject({ ratio: 1.21, pass: false });
  });

  it('never passes a row without figures, and a zero baseline gives no ratio', () => {
    expect(computeRatio(1, 0, { ratio: 'ours/baseline', op: '<=', value: 2 })).toBeNull();
    expect(computeRatio(Number.NaN, 1, { ratio: 'ours/baseline', op: '<=', value: 2 })).toBeNull();
    expect(passes(null, { ratio: 'ours/baseline', op: '>=', value: 0 })).toBe(false);
    expect(unmeasuredResult('flow', 'not measured: the demo issuer is missing')).toEqual({
      name: 'flow',
      ours: null,
      baseline: null,
      unit: 'ms',
      ratio: null,
      goal: 'ratio ≤ 1.2',
      pass: false,
      note: 'not measured: the demo issuer is missing',
    });
  });

  it('rounds to three significant digits', () => {
    expect(round(1234.5678)).toBe(1235);
    expect(round(1.23456)).toBe(1.23);
    expect(round(0.0123456)).toBe(0.0123);
    expect(round(0)).toBe(0);
  });

  it('interpolates quantiles', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([10, 20], 0.95)).toBeCloseTo(19.5);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('writes the JSON shape of the issue', () => {
    const results = ROWS.map((r, i) =>
      i % 2 === 0 ? measuredResult(r.name, 1, 1) : unmeasuredResult(r.name, 'not measured: missing'),
    );
    const report = buildReport(results, machine, {
      quick: true,
      durationS: 12.3456,
      date: new Date('2026-01-01T00:00:00Z'),
      commit: { id: 'a'.repeat(40), dirty: false },
    });
    const json: unknown = JSON.parse(JSON.stringify(report));
    expect(reportProblems(json)).toEqual([]);
    expect(json).toMatchObject({
      date: '2026-01-01T00:00:00.000Z',
      commit: { id: 'a'.repeat(40), dirty: false },
      machine: { cpus: 2, node: 'v24.0.0' },
      quick: true,
      durationS: 12.3,
    });
    for (const row of (json as { results: Record<string, unknown>[] }).results) {
      expect(Object.keys(row)).toEqual(expect.arrayContaining(['name', 'ours', 'baseline', 'unit', 'ratio', 'goal', 'pass']));
    }
  });

  it('finds a broken report', () => {
    expect(
      reportProblems({ date: 'x', commit: {}, machine: {}, results: [{ name: 'flow', ours: '1', pass: true, ratio: null }] }),
    ).toEqual(
      expect.arrayContaining([
        'date is not an ISO date',
        'commit needs an id and dirty (or null)',
        'machine needs cpus and node',
        'row store.insert is missing',
        'row flow has no baseline',
        'row flow: ours is not a number or null',
        'row flow passes without a ratio',
      ]),
    );
  });

  it('prints a markdown table with a line per row and says which rows were not measured', () => {
    const table = formatTable([
      measuredResult('inspect', 9, 3),
      measuredResult('memory', 100, 100),
      unmeasuredResult('flow', 'x'),
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[2]).toBe('| `inspect` | 9 | 3 | µs/op | 3 | ratio ≤ 3 | yes |');
    expect(lines[4]).toContain('not measured');
    expect(goalText({ ratio: 'ours/baseline', op: '>=', value: 0.5 })).toBe('ratio ≥ 0.5');
  });

  it('parses the command line', () => {
    expect(parseArgs([])).toEqual({ quick: false, json: null, results: null, only: [], keep: null, cpuProf: null });
    expect(parseArgs(['--results', 'bench/RESULTS.md']).results).toBe('bench/RESULTS.md');
    expect(parseArgs(['--quick', '--json', 'out.json', '--only', 'store,inspect'])).toMatchObject({
      quick: true,
      json: 'out.json',
      only: ['store', 'inspect'],
    });
    expect(parseArgs(['--json=r.json']).json).toBe('r.json');
    expect(() => parseArgs(['--json'])).toThrow(/needs a value/);
    expect(() => parseArgs(['--fast'])).toThrow(/unknown argument/);
    expect(() => parseArgs(['--only', 'nope'])).toThrow(/unknown row/);
    const args = parseArgs(['--only', 'store,flow']);
    expect(['store.insert', 'store.search', 'flow'].every((n) => selected(args, n))).toBe(true);
    expect(selected(args, 'ui.scroll.p95')).toBe(false);
    // A prefix selects the rows under it: --only ui.scroll runs both scroll rows.
    expect(['ui.scroll.drops', 'ui.scroll.p95'].every((n) => selected(parseArgs(['--only', 'ui.scroll']), n))).toBe(true);
  });

  it('runs the issue sizes in a full run and smaller ones with --quick', () => {
    expect(FULL).toMatchObject({ big: 1_000_000, small: 10_000, unique: 100_000, scrollRows: 10_000 });
    for (const key of Object.keys(FULL) as (keyof typeof FULL)[]) expect(QUICK[key]).toBeLessThanOrEqual(FULL[key]);
  });
});

import { describe, expect, it } from 'vitest';
import { buildReport, measuredResult, ROWS, unmeasuredResult } from '../../../bench/report.ts';
import { keptLimits, resultsMarkdown } from '../../../bench/results-md.ts';

const machine = { cpus: 2, node: 'v24.21.0', cpuModel: 'Intel Xeon', memoryGb: 24, platform: 'linux-x64', chromium: '156.0' };

/** A result that meets its goal: 1 against 1, or against 20 for a speed-up. */
function passing(name: string) {
  const spec = ROWS.find((r) => r.name === name);
  return measuredResult(name, 1, spec?.goal.ratio === 'baseline/ours' ? 20 : 1);
}

function report(rows = ROWS.map((r) => passing(r.name))) {
  return buildReport(rows, machine, {
    quick: false,
    durationS: 321.4,
    date: new Date('2026-12-01T15:30:00Z'),
    commit: { id: '0123456789abcdef0123456789abcdef01234567', dirty: false },
  });
}

describe('RESULTS.md', () => {
  it('says when, at which commit, on which machine and how long, and has a table line for every row', () => {
    const md = resultsMarkdown(report(), new Map(), { json: 'bench/results.json' });
    expect(md).toContain('Full run on 2026-12-01 at 15:30 UTC, Tokenscope at commit `0123456789ab` (clean tree)');
    expect(md).toContain('the run took 321 s');
    expect(md).toContain('Machine: 2 cpus (Intel Xeon), 24 GB, linux-x64, Node v24.21.0, Chromium 156.0');
    expect(md).toContain("The same run's JSON: `bench/results.json`.");
    for (const spec of ROWS) expect(md.split('\n').some((l) => l.startsWith(`| \`${spec.name}\` | 1 |`))).toBe(true);
    expect(md).toContain(`**${String(ROWS.length)} of ${String(ROWS.length)} goals met**`);
    expect(md).not.toContain('## What limits a missed goal');
  });

  it('marks a missed row in the table and the summary and leaves room for what limits it', () => {
    const rows = ROWS.map((r) =>
      r.name === 'ui.scroll.p95'
        ? measuredResult(r.name, 18, 16)
        : r.name === 'cli.start'
          ? unmeasuredResult(r.name, 'not measured: the bundled CLI is not built')
          : passing(r.name),
    );
    const md = resultsMarkdown(report(rows), new Map(), { json: null });
    expect(md).toMatch(/^\| `ui\.scroll\.p95` \| 18 \| 16 \| ms \| 1\.13 \| ratio ≤ 1\.05 \| \*\*no\*\* \|$/m);
    expect(md).toContain(
      `**${String(ROWS.length - 2)} of ${String(ROWS.length)} goals met**; missed: \`cli.start\` (not measured), \`ui.scroll.p95\``,
    );
    expect(md).toContain('### `ui.scroll.p95` (1.13; goal ratio ≤ 1.05)');
    expect(md).toContain('### `cli.start` (not measured)');
    expect(md).toContain('<!-- limits:ui.scroll.p95 -->\n_Not written yet');
    // Unwritten placeholders are not "kept" text.
    expect(keptLimits(md).size).toBe(0);
  });

  it('keeps the hand-written text of a missed row across a rerun, and drops it once the row passes', () => {
    const missed = ROWS.map((r) => (r.name === 'flow' ? measuredResult(r.name, 50, 40) : passing(r.name)));
    const first = resultsMarkdown(report(missed), new Map(), { json: null });
    const edited = first.replace(
      /(<!-- limits:flow -->\n)[^\n]*(\n<!-- \/limits:flow -->)/,
      '$1The demo issuer rewrites its whole state file on each save.\nSecond line.$2',
    );
    const kept = keptLimits(edited);
    expect(kept.get('flow')).toBe('The demo issuer rewrites its whole state file on each save.\nSecond line.');
    const rerun = resultsMarkdown(report(missed), kept, { json: null });
    expect(rerun).toContain(
      '<!-- limits:flow -->\nThe demo issuer rewrites its whole state file on each save.\nSecond line.\n<!-- /limits:flow -->',
    );
    expect(resultsMarkdown(report(), kept, { json: null })).not.toContain('state file');
  });

  it('describes what each row measures, with its goal', () => {
    const md = resultsMarkdown(report(), new Map(), { json: null });
    expect(md).toContain('| `ui.scroll.drops` | share of frames longer than 1.5× the empty page');
    expect(md).toMatch(/\| `import` \| importTokens .* \| ratio ≥ 0\.4 \|$/m);
  });
});

/**
 * bench/RESULTS.md from a report, pure (the unit tests run it): when and where the run was (commit, machine, run
 * time), the table with every row, the notes, a section per missed goal for what limits it, and what each row
 * measures. The "what limits it" text is written by hand under each missed row and kept across reruns.
 */
import { formatNotes, formatTable, goalText, ROWS, type BenchReport } from './report.ts';

const PLACEHOLDER =
  '_Not written yet: profile the row (`npm run bench -- --only ROW --cpu-prof-dir DIR`) and say here what limits it._';

function startMark(name: string): string {
  return `<!-- limits:${name} -->`;
}
function endMark(name: string): string {
  return `<!-- /limits:${name} -->`;
}

/** The hand-written "what limits it" texts of an earlier RESULTS.md, by row (placeholders are not text). */
export function keptLimits(markdown: string): Map<string, string> {
  const kept = new Map<string, string>();
  const re = /<!-- limits:([\w.]+) -->\n([\s\S]*?)\n?<!-- \/limits:\1 -->/g;
  for (const m of markdown.matchAll(re)) {
    const [, name, text] = m;
    const body = (text ?? '').trim();
    if (name && body !== '' && body !== PLACEHOLDER.replace('ROW', name)) kept.set(name, body);
  }
  return kept;
}

function utc(iso: string): string {
  return `${iso.slice(0, 10)} at ${iso.slice(11, 16)} UTC`;
}

export function resultsMarkdown(
  report: BenchReport,
  kept: ReadonlyMap<string, string>,
  files: { readonly json: string | null },
): string {
  const { machine, results } = report;
  const measured = results.filter((r) => r.ratio !== null);
  const met = results.filter((r) => r.pass);
  const missed = results.filter((r) => !r.pass);
  const commit = report.commit
    ? `commit \`${report.commit.id.slice(0, 12)}\`${report.commit.dirty ? ' (with uncommitted changes)' : ' (clean tree)'}`
    : 'no git commit';
  const machineParts = [
    `${String(machine.cpus)} cpus${machine.cpuModel ? ` (${machine.cpuModel.trim()})` : ''}`,
    ...(machine.memoryGb !== undefined ? [`${String(machine.memoryGb)} GB`] : []),
    ...(machine.platform ? [machine.platform] : []),
    `Node ${machine.node}`,
    ...(machine.chromium ? [`Chromium ${machine.chromium} (headless, no GPU)`] : []),
    ...(machine.loadAverage
      ? [`load average ${String(machine.loadAverage.start)} at the start and ${String(machine.loadAverage.end)} at the end`]
      : []),
  ];
  const lines: string[] = [
    '# Benchmark results',
    '',
    '<!-- Written by `npm run bench -- --json bench/results.json --results bench/RESULTS.md` (bench/results-md.ts).',
    '     Edit only the text between the limits marks of a missed row: a rerun keeps it. -->',
    '',
    `${report.quick ? '`--quick` run (reduced sizes: its figures prove the harness, not the product)' : 'Full run'} on ${utc(report.date)}, Tokenscope at ${commit}; the run took ${report.durationS.toFixed(0)} s, seeding included.`,
    `Machine: ${machineParts.join(', ')}.`,
    "Both sides of each ratio are measured in the same run, interleaved; absolute figures move with the machine's load." +
      (files.json ? ` The same run's JSON: \`${files.json}\`.` : ''),
    '',
    `**${String(met.length)} of ${String(results.length)} goals met**${missed.length > 0 ? `; missed: ${missed.map((r) => `\`${r.name}\`${r.ratio === null ? ' (not measured)' : ''}`).join(', ')}` : ''}. ${String(measured.length)} rows measured.`,
    '',
    formatTable(results),
    '',
  ];
  const notes = formatNotes(results);
  if (notes !== '') lines.push('## Notes from the run', '', notes, '');
  if (missed.length > 0) {
    lines.push('## What limits a missed goal', '');
    for (const r of missed) {
      const figure = r.ratio === null ? 'not measured' : `${String(r.ratio)}; goal ${r.goal}`;
      lines.push(
        `### \`${r.name}\` (${figure})`,
        '',
        startMark(r.name),
        kept.get(r.name) ?? PLACEHOLDER.replace('ROW', r.name),
        endMark(r.name),
        '',
      );
    }
  }
  lines.push('## What each row measures', '', '| name | ours | baseline | goal |', '|---|---|---|---|');
  for (const spec of ROWS) lines.push(`| \`${spec.name}\` | ${spec.ours} | ${spec.baseline} | ${goalText(spec.goal)} |`);
  return `${lines.join('\n')}\n`;
}

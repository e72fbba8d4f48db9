/** `tokenscope formats [ID]`: the six documented token formats, as data. */
import { parseArgs } from 'node:util';
import { EXIT_BAD_INPUT, EXIT_OK, printError, type Command } from '../io.ts';
import { getFormatSpec, listFormats, type FormatSpec } from '../../shared/formats/index.ts';
import { reportError } from './inspect.ts';

function renderSpec(spec: FormatSpec): string {
  const lines = [`${spec.id} — ${spec.title}`, `  ${spec.summary}`, `  source: ${spec.source}`];
  if (spec.docPage) lines.push(`  doc page: seeds/${spec.docPage}`);
  lines.push(
    `  case: ${spec.cases === 'snake' ? 'snake_case' : 'camelCase in the SDK, snake_case on the wire'}`,
    '',
    '  fields:',
  );
  for (const f of spec.fields) {
    const name = f.sdkName !== undefined && f.sdkName !== f.name ? `${f.name} / ${f.sdkName}` : f.name;
    lines.push(
      `    ${name.padEnd(28)} ${f.documentedType.slice(0, 40).padEnd(40)} ${f.required ? 'required' : 'optional'}  ${f.unit.padEnd(16)} → ${f.concept}`,
    );
    lines.push(`    ${''.padEnd(28)} ${f.meaning}${f.docIssue ? ` NOTE: ${f.docIssue.note}` : ''}`);
  }
  if (spec.notes.length > 0) lines.push('', '  notes:', ...spec.notes.map((n) => `    - ${n}`));
  return `${lines.join('\n')}\n`;
}

export const formatsCommand: Command = {
  name: 'formats',
  summary: 'list the documented token formats, or print one format spec',
  usage: 'tokenscope formats [--json] [ID]',
  run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({ args: [...args], allowPositionals: true, options: { json: { type: 'boolean' } } });
    } catch (e) {
      printError(io, 'ERR_INVALID_ARGUMENT', (e as Error).message);
      return Promise.resolve(EXIT_BAD_INPUT);
    }
    const { values, positionals } = parsed;
    try {
      if (positionals.length > 1) {
        printError(io, 'ERR_INVALID_ARGUMENT', 'give at most one format id');
        return Promise.resolve(EXIT_BAD_INPUT);
      }
      const id = positionals[0];
      if (id !== undefined) {
        const spec = getFormatSpec(id);
        io.stdout(values.json ? `${JSON.stringify(spec, null, 2)}\n` : renderSpec(spec));
        return Promise.resolve(EXIT_OK);
      }
      const specs = listFormats();
      if (values.json) io.stdout(`${JSON.stringify(specs, null, 2)}\n`);
      else {
        const width = Math.max(...specs.map((s) => s.id.length));
        io.stdout(
          `${specs.map((s) => `${s.id.padEnd(width)}  ${String(s.fields.length).padStart(2)} fields  ${s.summary}`).join('\n')}\n\nMore: tokenscope formats ID\n`,
        );
      }
      return Promise.resolve(EXIT_OK);
    } catch (e) {
      return Promise.resolve(reportError(io, e));
    }
  },
};

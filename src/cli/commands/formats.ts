/** `tokenscope formats [ID]`: the six documented token formats, as data (the contract's listFormats). */
import type { Command } from '../io.ts';
import { EXIT_OK } from '../exit-codes.ts';
import { badInput, FLAG, parseOptions } from '../args.ts';
import { unwrap, withBackend } from '../backend.ts';
import type { FormatSpec } from '../../shared/formats/types.ts';
import { TokenscopeError } from '../../shared/result.ts';

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
  async run(args, io) {
    const { values, positionals } = parseOptions(args, { json: FLAG }, true);
    if (positionals.length > 1) throw badInput('give at most one format id');
    const [id] = positionals;
    return withBackend(io, { history: 'none' }, async (backend) => {
      const specs = unwrap(await backend.listFormats());
      if (id !== undefined) {
        const spec = specs.find((s) => s.id === id);
        if (!spec)
          throw new TokenscopeError('ERR_UNKNOWN_FORMAT', `unknown format "${id.slice(0, 60)}" (see tokenscope formats)`);
        io.stdout(values.json === true ? `${JSON.stringify(spec, null, 2)}\n` : renderSpec(spec));
      } else if (values.json === true) {
        io.stdout(`${JSON.stringify(specs, null, 2)}\n`);
      } else {
        const width = Math.max(...specs.map((s) => s.id.length));
        io.stdout(
          `${specs.map((s) => `${s.id.padEnd(width)}  ${String(s.fields.length).padStart(2)} fields  ${s.summary}`).join('\n')}\n\nMore: tokenscope formats ID\n`,
        );
      }
      return EXIT_OK;
    });
  },
};

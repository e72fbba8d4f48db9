/** `tokenscope inspect`: decode, explain, check and compare a token from a file or stdin. */
import type { Command, CliIo } from '../io.ts';
import { EXIT_FAILURE, EXIT_OK } from '../exit-codes.ts';
import { badInput, FLAG, parseOptions, STRINGS, strings } from '../args.ts';
import { unwrap, withBackend } from '../backend.ts';
import { oneInput, readInput } from '../input.ts';
import type { InspectResult } from '../../shared/token/inspect.ts';
import type { KeySource } from '../../shared/token/verify.ts';
import { isoFromMs, readSecondsField } from '../../shared/formats/units.ts';
import type { ApiExpectations } from '../../shared/token/expectations.ts';

async function keySourceFrom(
  values: { jwks?: string; key?: string; issuer?: string; 'secret-env'?: string },
  io: CliIo,
): Promise<KeySource | undefined> {
  const given = [values.jwks, values.key, values.issuer, values['secret-env']].filter((v) => v !== undefined);
  if (given.length > 1) throw badInput('give one of --jwks, --key, --issuer, --secret-env');
  if (values.jwks !== undefined) {
    if (/^https?:\/\//i.test(values.jwks)) return { type: 'jwks-url', url: values.jwks };
    return { type: 'key', key: await readInput(values.jwks, io) };
  }
  if (values.key !== undefined) return { type: 'key', key: await readInput(values.key, io) };
  if (values.issuer !== undefined) return { type: 'issuer', issuer: values.issuer };
  if (values['secret-env'] !== undefined) {
    // The secret comes from the environment, never from argv (which other users can see in the process list).
    const secret = io.env[values['secret-env']];
    if (secret === undefined || secret === '') throw badInput(`environment variable ${values['secret-env']} is not set`);
    return { type: 'secret', secret };
  }
  return undefined;
}

function short(value: string, max = 60): string {
  return value.length > max ? `${value.slice(0, max / 2 - 1)}…${value.slice(-(max / 2 - 2))}` : value;
}

function show(value: unknown, max = 70): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined');
  return short(text.replace(/\s+/g, ' '), max);
}

/** The human-readable report. */
function renderReport(r: InspectResult): string {
  const lines: string[] = [];
  const input = r.input;
  lines.push(
    `Input     ${input.kind}${input.tokenKind && input.tokenKind !== input.kind ? ` (${input.tokenKind})` : ''}${input.scheme ? `, scheme ${input.scheme}` : ''}, ${input.bytes} bytes`,
  );
  if (input.redirect) {
    const rd = input.redirect;
    lines.push(
      `Redirect  ${rd.location} parameters: ${rd.params.join(', ')}${rd.error ? `; error ${rd.error}` : ''}${rd.code ? `; code ${short(rd.code, 24)}` : ''}`,
    );
  }
  if (r.format) lines.push(`Format    ${r.format}`);
  if (r.detected.length > 0) lines.push(`Detected  ${r.detected.map((d) => `${d.format} ${d.score.toFixed(3)}`).join(', ')}`);
  lines.push(`Kind      ${r.summary.kind}`);
  if (r.lifetimeStartUnknown)
    lines.push(`Lifetime  ${r.lifetimeStartUnknown.words} (saved, it counts from when it was received)`);
  if (r.jwt) {
    const s = r.jwt.signature;
    lines.push(
      `Signature ${s.state}${s.alg ? ` (${s.alg}${s.kid ? `, kid ${s.kid}` : ''})` : ''}${s.reason ? `: ${s.reason}` : ''}`,
    );
    lines.push('', 'Header');
    for (const h of r.jwt.headerParams) lines.push(`  ${h.name.padEnd(10)} ${show(h.value, 40).padEnd(40)}  ${h.label}`);
  }
  if (r.jwe) {
    lines.push('', 'JWE protected header (the payload is encrypted)');
    for (const h of r.jwe.headerParams) lines.push(`  ${h.name.padEnd(10)} ${show(h.value, 40).padEnd(40)}  ${h.label}`);
  }
  if (r.claims.length > 0) {
    lines.push('', 'Claims');
    for (const c of r.claims) {
      const time = c.time ? `  ${c.time.iso} (${c.time.relative})` : '';
      lines.push(`  ${short(c.name, 24).padEnd(18)} ${show(c.value, 44)}${time}`);
      lines.push(`  ${''.padEnd(18)} ${c.registered ? `${c.label}: ` : ''}${c.explanation}${c.source ? ` [${c.source}]` : ''}`);
    }
  }
  const canonical = Object.entries(r.canonical);
  if (canonical.length > 0) {
    lines.push('', 'Canonical record');
    for (const [k, v] of canonical) {
      const when = k.endsWith('AtMs') && typeof v === 'number' ? `  (${isoFromMs(v) ?? '?'})` : '';
      lines.push(`  ${k.padEnd(20)} ${show(v, 60)}${when}`);
    }
  }
  if (r.expectations) {
    const e = r.expectations;
    lines.push('', `Would an API accept it? ${e.summary} (at ${isoFromMs(e.atMs) ?? String(e.atMs)}, skew ${String(e.skewS)} s)`);
    for (const row of e.rows) lines.push(`  ${row.outcome.padEnd(7)} ${row.check.padEnd(10)} ${row.message}`);
  }
  if (r.findings.length > 0) {
    lines.push('', 'Findings');
    for (const f of r.findings)
      lines.push(`  ${f.severity.padEnd(7)} ${f.code}${f.field ? ` [${short(f.field, 40)}]` : ''}: ${f.message}`);
  }
  const rows = r.comparison.rows.filter(
    (row) => row.canonical !== undefined || row.cells.some((c) => c.flags.includes('MISSING_REQUIRED')),
  );
  if (rows.length > 0) {
    lines.push('', 'Comparison (field in each format = value there; ! marks a flag)');
    for (const row of rows) {
      lines.push(`  ${row.label}`);
      for (const cell of row.cells) {
        const where = cell.representable
          ? `${cell.field ?? ''}${cell.sdkField ? `/${cell.sdkField}` : ''}${cell.unit && cell.unit !== 'text' ? ` (${cell.unit})` : ''}`
          : '—';
        const value = cell.value === undefined ? '' : ` = ${show(cell.value, 36)}`;
        const flags = cell.flags.length > 0 ? `  ! ${cell.flags.join(', ')}` : '';
        lines.push(`    ${cell.format.padEnd(42)} ${where}${value}${flags}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

const OPTIONS = {
  json: FLAG,
  ...strings('format', 'jwks', 'key', 'issuer', 'secret-env', 'audience', 'nonce'),
  ...strings('expect-iss', 'expect-aud', 'expect-typ', 'skew', 'at'),
  'expect-scope': STRINGS,
  'expect-alg': STRINGS,
};

/** `--at`: an ISO 8601 time, or an epoch number read by the one unit rule (13 digits are ms). */
function parseAt(value: string): number {
  const t = value.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return readSecondsField(Number(t)).ms;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(t) ? Date.parse(t) : NaN;
  if (!Number.isFinite(ms)) throw badInput(`--at ${t.slice(0, 40)}: expected an ISO 8601 time or epoch seconds`);
  return ms;
}

/** The API expectations of the flags; --audience is the old name of --expect-aud. */
function apiExpectations(values: {
  'expect-iss'?: string;
  'expect-aud'?: string;
  audience?: string;
  'expect-scope'?: string[];
  'expect-typ'?: string;
  'expect-alg'?: string[];
  skew?: string;
  at?: string;
}): ApiExpectations {
  if (values['expect-aud'] !== undefined && values.audience !== undefined && values['expect-aud'] !== values.audience)
    throw badInput('--audience is another name for --expect-aud: give one of them');
  const audience = values['expect-aud'] ?? values.audience;
  const scopes = (values['expect-scope'] ?? []).flatMap((s) => s.split(/[\s,]+/)).filter(Boolean);
  const algorithms = (values['expect-alg'] ?? []).flatMap((s) => s.split(/[\s,]+/)).filter(Boolean);
  let skew: number | undefined;
  if (values.skew !== undefined) {
    skew = /^\d+(\.\d+)?$/.test(values.skew.trim()) ? Number(values.skew) : NaN;
    if (!Number.isFinite(skew)) throw badInput(`--skew ${values.skew.slice(0, 20)}: expected a number of seconds, 0 or more`);
  }
  return {
    ...(values['expect-iss'] !== undefined ? { issuer: values['expect-iss'] } : {}),
    ...(audience !== undefined ? { audience } : {}),
    ...(scopes.length > 0 ? { scopes } : {}),
    ...(values['expect-typ'] !== undefined ? { typ: values['expect-typ'] } : {}),
    ...(algorithms.length > 0 ? { algorithms } : {}),
    ...(skew !== undefined ? { clockSkewS: skew } : {}),
    ...(values.at !== undefined ? { atMs: parseAt(values.at) } : {}),
  };
}

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'decode, explain, verify and compare a token (JWT, JWE, opaque, header, redirect URL, token JSON)',
  usage:
    'tokenscope inspect [--json] [--format ID] [--jwks URL|FILE | --key FILE | --issuer URL | --secret-env VAR] [--nonce N]\n' +
    '                   [--expect-iss URL] [--expect-aud A] [--expect-scope S]... [--expect-typ at+jwt] [--expect-alg ALG]...\n' +
    '                   [--skew SECONDS] [--at TIME] [FILE|-]\n' +
    '  reads FILE, or stdin when FILE is - or absent. --audience is an alias of --expect-aud; --at takes ISO 8601 or epoch seconds.\n' +
    '  Exit 0: inspected (and every expectation met); 1: an expectation fails, the signature is invalid or keys are unreachable; 2: bad input.',
  async run(args, io) {
    const { values, positionals } = parseOptions(args, OPTIONS, true);
    const file = oneInput(positionals);
    const api = apiExpectations(values);
    const text = await readInput(file, io);
    const expect = {
      ...api,
      ...(values.nonce !== undefined ? { nonce: values.nonce } : {}),
      ...(values.issuer !== undefined && api.issuer === undefined ? { issuer: values.issuer } : {}),
    };
    return withBackend(io, { history: 'none' }, async (backend) => {
      let result = unwrap(
        await backend.inspectToken({ text, expect, ...(values.format !== undefined ? { formatId: values.format } : {}) }),
      );
      const source = await keySourceFrom(values, io);
      let exit = EXIT_OK;
      if (source !== undefined) {
        if (!result.jwt) throw badInput('a key was given but the input holds no JWT to verify');
        const { header, payload, signature } = result.jwt.raw;
        const outcome = unwrap(
          await backend.verifyToken({
            token: `${header}.${payload}.${signature}`,
            keySource: source,
            expect: {
              ...(expect.issuer !== undefined ? { issuer: expect.issuer } : {}),
              ...(expect.audience !== undefined ? { audience: expect.audience } : {}),
              ...(expect.nonce !== undefined ? { nonce: expect.nonce } : {}),
            },
          }),
        );
        const extra = outcome.findings.filter((f) => f.code === 'SIGNATURE_INVALID');
        result = { ...result, jwt: { ...result.jwt, signature: outcome.signature }, findings: [...extra, ...result.findings] };
        if (outcome.signature.state === 'invalid') exit = EXIT_FAILURE;
      }
      if (result.expectations?.accepted === false) exit = EXIT_FAILURE;
      io.stdout(values.json === true ? `${JSON.stringify(result, null, 2)}\n` : renderReport(result));
      return exit;
    });
  },
};

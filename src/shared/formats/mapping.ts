/**
 * Spec-driven mapping between a format's object and the canonical record, both ways, with the findings
 * (type, unit, enum, required, unknown field) that reading or writing produces. No per-format code paths.
 */
import { AUTHLETE_GRANT_TYPES, SPEC_BY_ID } from './specs.ts';
import type {
  CanonicalImport,
  CanonicalRecord,
  Concept,
  ConversionOutput,
  FieldSpec,
  FormatFinding,
  FormatId,
  FormatSpec,
  Provenance,
  TokenProperty,
} from './types.ts';
import { MAX_DURATION_S, MAX_EPOCH_MS, numericIdValue, readUnitField, writeUnitField } from './units.ts';

export type KeyCase = 'snake' | 'camel';

/** Past this many, unknown fields are counted in one finding instead of one each. */
const MAX_UNKNOWN_REPORTED = 50;

export function fieldName(field: FieldSpec, keyCase: KeyCase): string {
  return keyCase === 'camel' ? (field.sdkName ?? field.name) : field.name;
}

function hasOwn(object: object, key: string): boolean {
  return Object.hasOwn(object, key);
}

function getOwn(object: Readonly<Record<string, unknown>>, key: string): unknown {
  return hasOwn(object, key) ? object[key] : undefined;
}

/** Which case the object's keys are written in for a two-case format (the one more of its fields use). */
export function keyCaseOf(spec: FormatSpec, object: Readonly<Record<string, unknown>>): { keyCase: KeyCase; mixed: boolean } {
  if (spec.cases === 'snake') return { keyCase: 'snake', mixed: false };
  let snake = 0;
  let camel = 0;
  for (const f of spec.fields) {
    if (f.sdkName === undefined || f.sdkName === f.name) continue;
    if (hasOwn(object, f.name)) snake++;
    if (hasOwn(object, f.sdkName)) camel++;
  }
  return { keyCase: camel > snake ? 'camel' : 'snake', mixed: camel > 0 && snake > 0 };
}

type Finder = (finding: Omit<FormatFinding, 'format'>) => void;

/** Reports a finding about one field: the field spec and the name it was read under are bound in. */
type Report = (code: FormatFinding['code'], severity: FormatFinding['severity'], message: string) => void;

function reporter(add: Finder, field: FieldSpec, name: string): Report {
  return (code, severity, message) => add({ code, severity, field: name, concept: field.concept, message });
}

function isInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Whether a raw value has the documented JSON type (ignoring units). */
export function hasDocumentedType(field: FieldSpec, v: unknown): boolean {
  switch (field.type) {
    case 'string':
      return typeof v === 'string';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'integer':
      return isInteger(v);
    case 'string[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'object[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x));
  }
}

function numberFrom(field: FieldSpec, v: unknown, name: string, report: Report): number | undefined {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) {
      report('INVALID_VALUE', 'error', `${name} is not a finite number`);
      return undefined;
    }
    if (field.type === 'integer' && !Number.isInteger(v)) {
      report('DOC_TYPE_MISMATCH', 'warning', `${name} is documented as an integer but holds ${v}`);
    }
    return v;
  }
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) {
    const n = Number(v.trim());
    if (field.acceptsNumericString) {
      report(
        'DOC_TYPE_MISMATCH',
        'info',
        `${name} is a numeric string: an older edition of the SDK typed it as a string; read as ${n}`,
      );
    } else {
      report(
        'DOC_TYPE_MISMATCH',
        'warning',
        `${name} is documented as ${field.documentedType} but holds a numeric string; read as ${n}`,
      );
    }
    return Number.isFinite(n) ? n : undefined;
  }
  report('DOC_TYPE_MISMATCH', 'error', `${name} is documented as ${field.documentedType} but holds a ${typeName(v)}: ignored`);
  return undefined;
}

function stringList(field: FieldSpec, v: unknown, name: string, report: Report): string[] | undefined {
  if (typeof v === 'string') {
    if (field.unit !== 'space-separated') {
      report(
        'DOC_TYPE_MISMATCH',
        'warning',
        `${name} is documented as ${field.documentedType} but holds a string: split on spaces`,
      );
    }
    const parts = v.split(' ').filter((s) => s !== '');
    return parts.length === 0 ? undefined : parts;
  }
  if (Array.isArray(v)) {
    if (field.unit === 'space-separated') {
      report('DOC_TYPE_MISMATCH', 'warning', `${name} is documented as a space-separated string but holds an array`);
    }
    const strings = v.filter((x): x is string => typeof x === 'string');
    if (strings.length !== v.length) {
      report('DOC_TYPE_MISMATCH', 'warning', `${name} holds entries that are not strings: they are ignored`);
    }
    return strings.length === 0 && v.length > 0 ? undefined : strings;
  }
  report('DOC_TYPE_MISMATCH', 'error', `${name} is documented as ${field.documentedType} but holds a ${typeName(v)}: ignored`);
  return undefined;
}

function propertyList(v: unknown, name: string, report: Report): TokenProperty[] | undefined {
  if (!Array.isArray(v)) {
    report('DOC_TYPE_MISMATCH', 'error', `${name} is documented as an array of properties but holds a ${typeName(v)}`);
    return undefined;
  }
  const out: TokenProperty[] = [];
  for (const item of v) {
    const p = item as { key?: unknown; value?: unknown; hidden?: unknown } | null;
    if (typeof p === 'object' && p !== null && typeof p.key === 'string' && typeof p.value === 'string') {
      out.push(typeof p.hidden === 'boolean' ? { key: p.key, value: p.value, hidden: p.hidden } : { key: p.key, value: p.value });
    } else {
      report('INVALID_VALUE', 'warning', `${name} holds an entry that is not a { key, value } property: ignored`);
    }
  }
  return out;
}

/** Reads one field's raw value into its canonical value; undefined means "absent". */
function readField(field: FieldSpec, raw: unknown, name: string, report: Report, exactDigits?: string): unknown {
  if (raw === null || raw === undefined) {
    if (raw === null && !field.nullable) {
      report('DOC_TYPE_MISMATCH', 'warning', `${name} is null but not documented as nullable`);
    }
    return undefined;
  }
  switch (field.unit) {
    case 'text': {
      if (typeof raw === 'string') {
        if (field.docIssue && field.type !== 'string') {
          report(
            'DOC_TYPE_MISMATCH',
            'info',
            `${name} is documented as ${field.documentedType} but holds a string, as real responses do: the documentation is wrong (${field.docIssue.note})`,
          );
        } else if (field.type !== 'string') {
          report('DOC_TYPE_MISMATCH', 'warning', `${name} is documented as ${field.documentedType} but holds a string`);
        }
        if (field.enumValues && field.enumClosed && !field.enumValues.some((e) => e.toLowerCase() === raw.toLowerCase())) {
          report(
            'INVALID_VALUE',
            'warning',
            `${name} is "${raw.slice(0, 40)}", not one of the documented values (${field.enumValues.join(', ')})`,
          );
        }
        return raw === '' ? undefined : raw;
      }
      if (typeof raw === 'number' && Number.isFinite(raw)) {
        if (field.docIssue) {
          // Matches the (wrong) documentation, but a number is not a token: nothing to keep.
          report(
            'INVALID_VALUE',
            'warning',
            `${name} holds a number as documented, but real values are strings (${field.docIssue.note}): ignored`,
          );
          return undefined;
        } else {
          report('DOC_TYPE_MISMATCH', 'warning', `${name} is documented as ${field.documentedType} but holds a number`);
        }
        return String(raw);
      }
      report(
        'DOC_TYPE_MISMATCH',
        'error',
        `${name} is documented as ${field.documentedType} but holds a ${typeName(raw)}: ignored`,
      );
      return undefined;
    }
    case 'epoch-ms':
    case 'epoch-s': {
      const n = numberFrom(field, raw, name, report);
      if (n === undefined) return undefined;
      if (n === 0 && field.zeroMeansNone) return undefined;
      const reading = readUnitField(n, 'instant', field.unit === 'epoch-s' ? 's' : 'ms');
      if (reading.suspect)
        report(
          'UNIT_SUSPECT',
          'warning',
          field.unit === 'epoch-s'
            ? `${name} is documented in seconds but holds a 13-digit number: read as milliseconds`
            : `${name} is documented in milliseconds but holds a 9-10 digit number: read as seconds`,
        );
      const ms = reading.value;
      if (ms < 0 || ms > MAX_EPOCH_MS) {
        report('INVALID_VALUE', 'error', `${name} is not a time between 1970 and 9999`);
        return undefined;
      }
      return Math.round(ms);
    }
    case 'duration-s':
    case 'duration-ms': {
      const n = numberFrom(field, raw, name, report);
      if (n === undefined) return undefined;
      if (n < 0) {
        report('INVALID_VALUE', 'error', `${name} is a negative lifetime`);
        return undefined;
      }
      const reading = readUnitField(n, 'lifetime', field.unit === 'duration-s' ? 's' : 'ms');
      if (reading.value > MAX_DURATION_S) {
        report('INVALID_VALUE', 'error', `${name} is a lifetime of more than 300 years`);
        return undefined;
      }
      if (reading.suspect)
        report(
          'UNIT_SUSPECT',
          'warning',
          field.unit === 'duration-s'
            ? `${name} is documented in seconds but ${n} looks like milliseconds: read as ${reading.value} s`
            : `${name} is documented in milliseconds but ${n} looks like seconds: read as ${reading.value} s, not ${n / 1000} s`,
        );
      return reading.value;
    }
    case 'space-separated':
    case 'string-array':
      return stringList(field, raw, name, report);
    case 'property-array':
      return propertyList(raw, name, report);
    case 'numeric-id': {
      // JSON.parse rounds an integer past 2^53: the digits as written, when the reader kept them.
      if (isInteger(raw)) return exactDigits !== undefined && Number(exactDigits) === raw ? exactDigits : String(raw);
      if (typeof raw === 'string' && raw !== '') {
        report('DOC_TYPE_MISMATCH', 'warning', `${name} is documented as ${field.documentedType} but holds a string`);
        return raw;
      }
      report(
        'DOC_TYPE_MISMATCH',
        'error',
        `${name} is documented as ${field.documentedType} but holds a ${typeName(raw)}: ignored`,
      );
      return undefined;
    }
    case 'upper-grant-enum': {
      if (typeof raw !== 'string') {
        report('DOC_TYPE_MISMATCH', 'error', `${name} is documented as a grant-type enum but holds a ${typeName(raw)}: ignored`);
        return undefined;
      }
      const wire = Object.hasOwn(AUTHLETE_GRANT_TYPES, raw) ? AUTHLETE_GRANT_TYPES[raw] : undefined;
      if (wire !== undefined) return wire;
      report('INVALID_VALUE', 'warning', `${name} "${raw.slice(0, 40)}" is not one of the documented grant types: kept as is`);
      return raw === '' ? undefined : raw;
    }
  }
}

/**
 * A format that gives an issue time and a lifetime but no expiry (Gusto's createdAt + expiresIn): the expiry is a
 * fact of the record too, derived once here and said so, so every reader of the record sees the same instant.
 */
function deriveExpiry(record: Record<string, unknown>, provenance: Provenance[], add: Finder): void {
  const { issuedAtMs, expiresInS, expiresAtMs } = record;
  if (expiresAtMs !== undefined || typeof issuedAtMs !== 'number' || typeof expiresInS !== 'number') return;
  const ms = issuedAtMs + Math.round(expiresInS * 1000);
  if (ms > MAX_EPOCH_MS) return;
  record['expiresAtMs'] = ms;
  const from = (c: Concept): string => provenance.find((p) => p.concept === c)?.field ?? c;
  const fields = `${from('issuedAtMs')} + ${from('expiresInS')}`;
  provenance.push({ concept: 'expiresAtMs', field: fields, unit: 'epoch-ms', raw: ms });
  add({
    code: 'DERIVED_VALUE',
    severity: 'info',
    field: fields,
    concept: 'expiresAtMs',
    message: `the expiry is derived: ${fields} (the format has no expiry field of its own)`,
  });
}

/**
 * Reads an object in a format into the canonical record, with provenance and findings. `exactIntegers`: the exact
 * digits of integer fields JSON.parse rounded (from the JSON text), so a 19-digit id keeps every digit.
 */
export function importObject(
  object: Readonly<Record<string, unknown>>,
  formatId: FormatId,
  exactIntegers?: ReadonlyMap<string, string>,
): CanonicalImport {
  const spec = SPEC_BY_ID[formatId];
  const findings: FormatFinding[] = [];
  const add: Finder = (f) => findings.push({ ...f, format: formatId });
  const { keyCase, mixed } = keyCaseOf(spec, object);
  if (mixed) {
    add({
      code: 'MIXED_CASE',
      severity: 'warning',
      message: `the object mixes snake_case and camelCase field names: read as ${keyCase}Case`,
    });
  }
  const record: Record<string, unknown> = {};
  const provenance: Provenance[] = [];
  for (const field of spec.fields) {
    const name = fieldName(field, keyCase);
    const other = keyCase === 'camel' ? field.name : (field.sdkName ?? field.name);
    const present = hasOwn(object, name) ? name : mixed && hasOwn(object, other) ? other : undefined;
    if (present === undefined) {
      if (field.required)
        reporter(add, field, name)('MISSING_REQUIRED', 'error', `${name} is required by ${formatId} but missing`);
      continue;
    }
    const raw = getOwn(object, present);
    const value = readField(field, raw, present, reporter(add, field, present), exactIntegers?.get(present));
    if (value === undefined) {
      if (field.required && (raw === null || raw === '')) {
        add({
          code: 'MISSING_REQUIRED',
          severity: 'error',
          field: present,
          concept: field.concept,
          message: `${present} is required by ${formatId} but empty`,
        });
      }
      continue;
    }
    record[field.concept] = value;
    provenance.push({ concept: field.concept, field: present, unit: field.unit, raw: raw });
  }
  deriveExpiry(record, provenance, add);
  const known = new Set(spec.fields.flatMap((f) => (f.sdkName === undefined ? [f.name] : [f.name, f.sdkName])));
  const unknown = Object.keys(object).filter((key) => !known.has(key));
  for (const key of unknown.slice(0, MAX_UNKNOWN_REPORTED)) {
    add({
      code: 'UNKNOWN_FIELD',
      severity: 'info',
      field: key.slice(0, 200),
      message: `${key.slice(0, 60)} is not a documented field of ${formatId}`,
    });
  }
  if (unknown.length > MAX_UNKNOWN_REPORTED) {
    add({
      code: 'UNKNOWN_FIELD',
      severity: 'info',
      message: `and ${unknown.length - MAX_UNKNOWN_REPORTED} more fields ${formatId} does not document`,
    });
  }
  return { format: formatId, record: record, provenance, findings };
}

const NUMERIC_UNITS = new Set(['epoch-ms', 'epoch-s', 'duration-s', 'duration-ms']);

/** Writes one canonical value the way a field holds it; undefined with a finding when it cannot. */
function writeField(field: FieldSpec, value: unknown, name: string, report: Report): unknown {
  if (NUMERIC_UNITS.has(field.unit)) {
    const n = value as number;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
      report('INVALID_VALUE', 'error', `${field.concept} is not a usable number: ${name} left out`);
      return undefined;
    }
    const kind = field.unit === 'epoch-s' || field.unit === 'epoch-ms' ? 'instant' : 'lifetime';
    const unit = field.unit === 'epoch-s' || field.unit === 'duration-s' ? 's' : 'ms';
    const written = writeUnitField(n, kind, unit, field.type === 'integer' || kind === 'instant');
    if (written.rounded)
      report('ROUNDED', 'info', `${name} is written as the whole number ${written.value} (${unit === 's' ? 'seconds' : 'ms'})`);
    return written.value;
  }
  switch (field.unit) {
    case 'text': {
      const s = value as string;
      if (field.enumValues && field.enumClosed) {
        const documented = field.enumValues.find((e) => e.toLowerCase() === s.toLowerCase());
        if (documented !== undefined) return documented;
        report(
          'INVALID_VALUE',
          'warning',
          `"${s.slice(0, 40)}" is not a documented value of ${name} (${field.enumValues.join(', ')})`,
        );
      }
      if (field.docIssue) {
        report(
          'DOC_TYPE_MISMATCH',
          'info',
          `${name} is written as a string although documented as ${field.documentedType}: the documentation is wrong`,
        );
      }
      return s;
    }
    case 'space-separated':
      return (value as readonly string[]).join(' ');
    case 'string-array':
      return [...(value as readonly string[])];
    case 'property-array':
      return (value as readonly TokenProperty[]).map((p) => ({ key: p.key, value: p.value, hidden: p.hidden ?? false }));
    case 'numeric-id': {
      const s = value as string;
      const id = numericIdValue(s);
      if (id === undefined) {
        report('NOT_REPRESENTABLE', 'warning', `${name} holds a numeric client id up to 2^63−1; "${s.slice(0, 40)}" is not one`);
        return undefined;
      }
      if (typeof id === 'string')
        report(
          'DOC_TYPE_MISMATCH',
          'info',
          `${name} ${s} is written as a string: a JSON number this large loses digits in JavaScript (past 2^53)`,
        );
      return id;
    }
    case 'epoch-ms':
    case 'epoch-s':
    case 'duration-s':
    case 'duration-ms':
      return undefined;
    case 'upper-grant-enum': {
      const s = value as string;
      const entry = Object.entries(AUTHLETE_GRANT_TYPES).find(([, wire]) => wire === s);
      if (entry) return entry[0];
      report('NOT_REPRESENTABLE', 'warning', `grant type "${s.slice(0, 60)}" has no value in ${name}'s enum`);
      return undefined;
    }
  }
}

const HASH_ONLY_NOTE: Partial<Record<Concept, string>> = {
  accessToken: 'this format holds a hash of the access token, never its value',
  refreshToken: 'this format holds a hash of the refresh token, never its value',
};

/** Writes a canonical record in a format's shape, with findings for what it cannot hold or lacks. */
export function exportRecord(record: CanonicalRecord, formatId: FormatId, keyCase?: KeyCase): ConversionOutput {
  const spec = SPEC_BY_ID[formatId];
  const useCase: KeyCase = spec.cases === 'snake' ? 'snake' : (keyCase ?? spec.defaultCase);
  const findings: FormatFinding[] = [];
  const add: Finder = (f) => findings.push({ ...f, format: formatId });
  const output: Record<string, unknown> = {};
  const held = new Set<Concept>();
  for (const field of spec.fields) {
    const name = fieldName(field, useCase);
    held.add(field.concept);
    const value = record[field.concept];
    const report = reporter(add, field, name);
    if (value === undefined) {
      if (field.zeroMeansNone) output[name] = 0;
      else if (field.required)
        report('MISSING_REQUIRED', 'error', `${name} is required by ${formatId} but the token has no ${field.concept}`);
      continue;
    }
    const written = writeField(field, value, name, report);
    if (written !== undefined) output[name] = written;
  }
  for (const key of Object.keys(record) as Concept[]) {
    if (held.has(key) || record[key] === undefined) continue;
    const note = HASH_ONLY_NOTE[key];
    add({
      code: 'NOT_REPRESENTABLE',
      severity: 'info',
      concept: key,
      message: `${formatId} has no field for ${key}${note === undefined ? '' : ` (${note})`}`,
    });
  }
  return { format: formatId, case: useCase, output, findings };
}

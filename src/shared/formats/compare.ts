/** The concept × format comparison table of FORMATS.md, and the diff of two tokens' canonical records. */
import { CONCEPTS, FORMAT_SPECS, SPEC_BY_ID } from './specs.ts';
import { exportRecord, fieldName, importObject } from './mapping.ts';
import type {
  CanonicalRecord,
  CellFlag,
  ComparisonCell,
  ComparisonRow,
  ComparisonTable,
  Concept,
  DiffEntry,
  FormatFinding,
  FormatId,
  TokenDiff,
} from './types.ts';
import { formatDuration, isoFromMs } from './units.ts';

export interface CompareOptions {
  /** The format and raw object the record came from: that column shows the real values and their findings. */
  readonly source?: { readonly format: FormatId; readonly object: Readonly<Record<string, unknown>> };
}

const CELL_FLAGS = new Set<string>([
  'MISSING_REQUIRED',
  'DOC_TYPE_MISMATCH',
  'UNIT_SUSPECT',
  'NOT_REPRESENTABLE',
  'INVALID_VALUE',
]);

function flagsFor(findings: readonly FormatFinding[], concept: Concept): CellFlag[] {
  const flags = new Set<CellFlag>();
  for (const f of findings) if (f.concept === concept && CELL_FLAGS.has(f.code)) flags.add(f.code as CellFlag);
  return [...flags];
}

/** One row per concept, one cell per format: field, documented type, unit, required, the value there, and flags. */
export function compareRecord(record: CanonicalRecord, options: CompareOptions = {}): ComparisonTable {
  const source = options.source;
  const imported = source ? importObject(source.object, source.format) : undefined;
  const exports = new Map(FORMAT_SPECS.map((s) => [s.id, exportRecord(record, s.id)] as const));
  const rows: ComparisonRow[] = [];
  for (const { concept, label } of CONCEPTS) {
    const canonical = record[concept];
    const cells: ComparisonCell[] = [];
    let anyHolds = false;
    for (const spec of FORMAT_SPECS) {
      const field = spec.fields.find((f) => f.concept === concept);
      const exported = exports.get(spec.id);
      if (field === undefined) {
        cells.push({ format: spec.id, representable: false, flags: canonical === undefined ? [] : ['NOT_REPRESENTABLE'] });
        continue;
      }
      anyHolds = true;
      const isSource = imported !== undefined && source?.format === spec.id;
      const keyCase = exported?.case ?? 'snake';
      const name = fieldName(field, keyCase);
      const flags = new Set<CellFlag>(
        isSource ? flagsFor(imported.findings, concept) : flagsFor(exported?.findings ?? [], concept),
      );
      let value: unknown;
      if (isSource) {
        const p = imported.provenance.find((x) => x.concept === concept);
        value = p?.raw;
      } else if (exported !== undefined && canonical !== undefined && Object.hasOwn(exported.output, name)) {
        value = exported.output[name];
      }
      if (canonical === undefined && field.required) flags.add('MISSING_REQUIRED');
      cells.push({
        format: spec.id,
        representable: true,
        field: field.name,
        ...(field.sdkName !== undefined && field.sdkName !== field.name ? { sdkField: field.sdkName } : {}),
        documentedType: field.documentedType,
        unit: field.unit,
        required: field.required,
        ...(value === undefined ? {} : { value }),
        flags: [...flags],
      });
    }
    if (!anyHolds && canonical === undefined) continue;
    rows.push({ concept, label, ...(canonical === undefined ? {} : { canonical }), cells });
  }
  return { formats: FORMAT_SPECS.map((s) => s.id), ...(source ? { source: source.format } : {}), rows };
}

/** The part of a record a format can hold: what `toCanonical(fromCanonical(r, f), f)` gives back. */
export function restrictToFormat(record: CanonicalRecord, formatId: FormatId): CanonicalRecord {
  const out = exportRecord(record, formatId);
  return importObject(out.output, formatId).record;
}

function sameValue(concept: Concept, a: unknown, b: unknown): boolean {
  // token_type compares case-insensitively (RFC 6749 §5.1): Bearer and bearer are the same type.
  if (concept === 'tokenType' && typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return JSON.stringify(a) === JSON.stringify(b);
}

const TIME_CONCEPTS = new Set<Concept>(['issuedAtMs', 'expiresAtMs', 'refreshExpiresAtMs', 'lastRefreshedAtMs']);
const SECRET_CONCEPTS = new Set<Concept>(['accessToken', 'refreshToken', 'idToken', 'accessTokenHash', 'refreshTokenHash']);

function describe(concept: Concept, v: unknown): string {
  if (TIME_CONCEPTS.has(concept) && typeof v === 'number') return isoFromMs(v) ?? String(v);
  if (concept === 'expiresInS' && typeof v === 'number') return formatDuration(v);
  if (SECRET_CONCEPTS.has(concept) && typeof v === 'string') return v.length > 12 ? `${v.slice(0, 6)}…${v.slice(-4)}` : '…';
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' ')}]`;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** What changed from `a` to `b` (e.g. before and after a refresh): rotated tokens, narrowed scopes, new expiry. */
export function diffRecords(a: CanonicalRecord, b: CanonicalRecord): TokenDiff {
  const entries: DiffEntry[] = [];
  const unchanged: Concept[] = [];
  for (const { concept, label } of CONCEPTS) {
    const before = a[concept];
    const after = b[concept];
    if (before === undefined && after === undefined) continue;
    if (before !== undefined && after !== undefined && sameValue(concept, before, after)) {
      unchanged.push(concept);
      continue;
    }
    const secret = SECRET_CONCEPTS.has(concept);
    const shown = (v: unknown): unknown => (secret && typeof v === 'string' ? describe(concept, v) : v);
    if (before === undefined) {
      entries.push({ concept, change: 'added', after: shown(after), summary: `${label} added: ${describe(concept, after)}` });
      continue;
    }
    if (after === undefined) {
      entries.push({
        concept,
        change: 'removed',
        before: shown(before),
        summary: `${label} removed (was ${describe(concept, before)})`,
      });
      continue;
    }
    if (concept === 'scopes' || concept === 'refreshScopes' || concept === 'groups') {
      const bs = new Set(before as readonly string[]);
      const as = new Set(after as readonly string[]);
      const added = [...as].filter((s) => !bs.has(s));
      const removed = [...bs].filter((s) => !as.has(s));
      const change =
        added.length === 0 && removed.length > 0 ? 'narrowed' : removed.length === 0 && added.length > 0 ? 'widened' : 'changed';
      const parts = [added.length > 0 ? `+${added.join(' +')}` : '', removed.length > 0 ? `-${removed.join(' -')}` : ''].filter(
        (p) => p !== '',
      );
      entries.push({
        concept,
        change,
        before,
        after,
        addedValues: added,
        removedValues: removed,
        summary: `${label} ${change}${parts.length > 0 ? `: ${parts.join(' ')}` : ' (order only)'}`,
      });
      continue;
    }
    if (secret) {
      entries.push({ concept, change: 'rotated', before: shown(before), after: shown(after), summary: `${label} rotated` });
      continue;
    }
    if ((TIME_CONCEPTS.has(concept) || concept === 'expiresInS') && typeof before === 'number' && typeof after === 'number') {
      const change = after > before ? 'extended' : 'shortened';
      entries.push({
        concept,
        change: concept === 'issuedAtMs' || concept === 'lastRefreshedAtMs' ? 'changed' : change,
        before,
        after,
        summary: `${label}: ${describe(concept, before)} → ${describe(concept, after)}`,
      });
      continue;
    }
    entries.push({
      concept,
      change: 'changed',
      before,
      after,
      summary: `${label}: ${describe(concept, before)} → ${describe(concept, after)}`,
    });
  }
  return { entries, unchanged };
}

export function specOf(formatId: FormatId) {
  return SPEC_BY_ID[formatId];
}

/** The concept × format comparison table of FORMATS.md, and the diff of two tokens' canonical records. */
import { CONCEPTS, FORMAT_SPECS } from './specs.ts';
import { exportRecord, fieldName, importObject } from './mapping.ts';
import type {
  CanonicalRecord,
  CellFlag,
  ComparisonCell,
  ComparisonRow,
  ComparisonTable,
  Concept,
  DiffEntry,
  FieldSpec,
  FormatFinding,
  FormatId,
  TokenDiff,
} from './types.ts';
import { isoFromMs } from './units.ts';
import { maskValue } from '../mask.ts';
import { formatLifetime } from '../time/relative.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

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

/** Each format's field for each concept (the first one the spec lists), built once at load. */
const FIELD_BY_CONCEPT: ReadonlyMap<FormatId, ReadonlyMap<Concept, FieldSpec>> = new Map(
  FORMAT_SPECS.map((spec) => {
    const byConcept = new Map<Concept, FieldSpec>();
    for (const f of spec.fields) if (!byConcept.has(f.concept)) byConcept.set(f.concept, f);
    return [spec.id, byConcept] as const;
  }),
);
const FORMAT_IDS: readonly FormatId[] = FORMAT_SPECS.map((s) => s.id);

/** The cell flags each concept's findings raise, in finding order, without repeats: one pass over the findings. */
function flagsByConcept(findings: readonly FormatFinding[]): Map<Concept | undefined, CellFlag[]> {
  const out = new Map<Concept | undefined, CellFlag[]>();
  for (const f of findings) {
    if (!CELL_FLAGS.has(f.code)) continue;
    const flags = out.get(f.concept);
    if (flags === undefined) out.set(f.concept, [f.code as CellFlag]);
    else if (!flags.includes(f.code as CellFlag)) flags.push(f.code as CellFlag);
  }
  return out;
}

/** One row per concept, one cell per format: field, documented type, unit, required, the value there, and flags. */
export function compareRecord(record: CanonicalRecord, options: CompareOptions = {}): ComparisonTable {
  const source = options.source;
  const imported = source ? importObject(source.object, source.format) : undefined;
  const sourceFlags = imported ? flagsByConcept(imported.findings) : undefined;
  const sourceRaw = new Map<Concept, unknown>();
  if (imported) for (const p of imported.provenance) if (!sourceRaw.has(p.concept)) sourceRaw.set(p.concept, p.raw);
  const exports = FORMAT_SPECS.map((s) => {
    const out = exportRecord(record, s.id);
    return { id: s.id, fields: FIELD_BY_CONCEPT.get(s.id), out, flags: flagsByConcept(out.findings) };
  });
  const rows: ComparisonRow[] = [];
  for (const { concept, label } of CONCEPTS) {
    const canonical = record[concept];
    const cells: ComparisonCell[] = [];
    let anyHolds = false;
    for (const { id, fields, out, flags: exportFlags } of exports) {
      const field = fields?.get(concept);
      if (field === undefined) {
        cells.push({ format: id, representable: false, flags: canonical === undefined ? [] : ['NOT_REPRESENTABLE'] });
        continue;
      }
      anyHolds = true;
      const isSource = imported !== undefined && source?.format === id;
      const flags = [...((isSource ? sourceFlags : exportFlags)?.get(concept) ?? [])];
      let value: unknown;
      if (isSource) {
        value = sourceRaw.get(concept);
      } else if (canonical !== undefined) {
        const name = fieldName(field, out.case);
        if (Object.hasOwn(out.output, name)) value = out.output[name];
      }
      if (canonical === undefined && field.required && !flags.includes('MISSING_REQUIRED')) flags.push('MISSING_REQUIRED');
      // Keys in a fixed order, optional ones only when present.
      const cell: Partial<Mutable<ComparisonCell>> = { format: id, representable: true, field: field.name };
      if (field.sdkName !== undefined && field.sdkName !== field.name) cell.sdkField = field.sdkName;
      cell.documentedType = field.documentedType;
      cell.unit = field.unit;
      cell.required = field.required;
      if (value !== undefined) cell.value = value;
      cell.flags = flags;
      cells.push(cell as ComparisonCell);
    }
    if (!anyHolds && canonical === undefined) continue;
    rows.push(canonical === undefined ? { concept, label, cells } : { concept, label, canonical, cells });
  }
  return { formats: [...FORMAT_IDS], ...(source ? { source: source.format } : {}), rows };
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
  if (concept === 'expiresInS' && typeof v === 'number') return formatLifetime(v);
  if (SECRET_CONCEPTS.has(concept) && typeof v === 'string') return maskValue(v);
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

/**
 * Public API of the token-format layer (stable: the store, the CLI and the renderer call it).
 *
 * - `listFormats()` / `getFormatSpec(id)`: the six documented shapes as data (fields, types, units, meanings).
 * - `detect(object)`: candidates best first, each `{ format, score ∈ [0,1], case, reasons }`; `[]` when none fits.
 * - `toCanonical(object, formatId)`: the canonical record (times epoch ms, lifetimes seconds, absent stays absent).
 *   `importToken` gives the same record plus provenance (field, unit, raw value) and findings.
 * - `fromCanonical(record, formatId, { case? })`: the object in that format's shape (units converted);
 *   `convertRecord` gives the same object plus findings (NOT_REPRESENTABLE, MISSING_REQUIRED, ...).
 * - `validate(object, formatId)`: findings with stable codes (MISSING_REQUIRED, DOC_TYPE_MISMATCH, UNIT_SUSPECT,
 *   UNKNOWN_FIELD, INVALID_VALUE, MIXED_CASE).
 * - `compare(record, { source? })`: the concept × format table; `diff(a, b)`: what changed between two records.
 *
 * Everything returns plain JSON data. Bad arguments throw TokenscopeError (ERR_UNKNOWN_FORMAT, ERR_INVALID_ARGUMENT).
 */
import { TokenscopeError } from '../result.ts';
import { detectFormats } from './detect.ts';
import { exportRecord, importObject, type KeyCase } from './mapping.ts';
import { compareRecord, diffRecords, type CompareOptions } from './compare.ts';
import { FORMAT_SPECS, SPEC_BY_ID } from './specs.ts';
import {
  isFormatId,
  type CanonicalImport,
  type CanonicalRecord,
  type ComparisonTable,
  type ConversionOutput,
  type DetectCandidate,
  type FormatFinding,
  type FormatId,
  type FormatSpec,
  type TokenDiff,
} from './types.ts';

export * from './types.ts';
export { AUTHLETE_GRANT_TYPES } from './specs.ts';
export { topCandidates } from './detect.ts';
export type { CompareOptions } from './compare.ts';
export type { KeyCase } from './mapping.ts';

type JsonObject = Readonly<Record<string, unknown>>;

function asFormatId(formatId: string): FormatId {
  if (!isFormatId(formatId)) {
    throw new TokenscopeError(
      'ERR_UNKNOWN_FORMAT',
      `unknown format "${typeof formatId === 'string' ? formatId.slice(0, 60) : typeof formatId}" (see tokenscope formats)`,
    );
  }
  return formatId;
}

function asObject(object: unknown): JsonObject {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) {
    throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'a token object must be a JSON object');
  }
  return object as JsonObject;
}

export function listFormats(): readonly FormatSpec[] {
  return FORMAT_SPECS;
}

export function getFormatSpec(formatId: string): FormatSpec {
  return SPEC_BY_ID[asFormatId(formatId)];
}

/** Candidates best first; `[]` for anything that is not a JSON object or fits no format. */
export function detect(object: unknown): DetectCandidate[] {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) return [];
  return detectFormats(object as JsonObject);
}

/** `exactIntegers`: the digits as written of integer fields JSON.parse rounded (see importObject). */
export function importToken(object: unknown, formatId: string, exactIntegers?: ReadonlyMap<string, string>): CanonicalImport {
  return importObject(asObject(object), asFormatId(formatId), exactIntegers);
}

export function toCanonical(object: unknown, formatId: string): CanonicalRecord {
  return importToken(object, formatId).record;
}

export function convertRecord(
  record: CanonicalRecord,
  formatId: string,
  options: { readonly case?: KeyCase } = {},
): ConversionOutput {
  return exportRecord(asObject(record), asFormatId(formatId), options.case);
}

export function fromCanonical(
  record: CanonicalRecord,
  formatId: string,
  options: { readonly case?: KeyCase } = {},
): Record<string, unknown> {
  return { ...convertRecord(record, formatId, options).output };
}

export function validate(object: unknown, formatId: string): readonly FormatFinding[] {
  // A derived value is a fact of the record, not a problem of the object.
  return importToken(object, formatId).findings.filter((f) => f.code !== 'DERIVED_VALUE');
}

export function compare(record: CanonicalRecord, options: CompareOptions = {}): ComparisonTable {
  if (options.source) asFormatId(options.source.format);
  return compareRecord(asObject(record), options);
}

export function diff(a: CanonicalRecord, b: CanonicalRecord): TokenDiff {
  return diffRecords(asObject(a), asObject(b));
}

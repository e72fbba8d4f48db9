/** Scores how well a JSON object fits each format spec, best first, with the reasons for each score. */
import { FORMAT_SPECS } from './specs.ts';
import { fieldName, hasDocumentedType, keyCaseOf } from './mapping.ts';
import type { DetectCandidate, FieldSpec, FormatSpec } from './types.ts';
import { durationLooksLikeMs, durationLooksLikeSeconds, looksLikeEpochMs, looksLikeEpochSeconds } from './units.ts';

/** Field names (in a given case) that only one format uses: strong evidence for that format. */
function distinctiveNames(): Map<string, Set<string>> {
  const owners = new Map<string, Set<string>>();
  for (const spec of FORMAT_SPECS) {
    for (const field of spec.fields) {
      for (const name of new Set([field.name, field.sdkName ?? field.name])) {
        // The two Affinidi models share one wire shape: count them as one owner.
        const owner = spec.id.startsWith('affinidi.') ? 'affinidi' : spec.id;
        const set = owners.get(name) ?? new Set<string>();
        set.add(owner);
        owners.set(name, set);
      }
    }
  }
  return owners;
}

const OWNERS = distinctiveNames();

/** Whether a value fits the field's documented unit, as far as a number can tell. */
function unitFits(field: FieldSpec, v: unknown): boolean {
  if (typeof v !== 'number') return true;
  switch (field.unit) {
    case 'epoch-s':
      return !looksLikeEpochMs(v);
    case 'epoch-ms':
      return v === 0 || !looksLikeEpochSeconds(v);
    case 'duration-s':
      return !durationLooksLikeMs(v);
    case 'duration-ms':
      return !durationLooksLikeSeconds(v);
    default:
      return true;
  }
}

/** 1 when the value has the documented type, 0.5 when it has the type a known documentation error says it really has. */
function typeFit(field: FieldSpec, v: unknown): number {
  if (v === null) return field.nullable ? 1 : 0;
  if (hasDocumentedType(field, v)) return 1;
  if (field.docIssue && typeof v === field.docIssue.actualType) return 0.5;
  if (field.acceptsNumericString && typeof v === 'string' && /^\d+(\.\d+)?$/.test(v)) return 0.5;
  return 0;
}

function round3(n: number): number {
  return Math.round(Math.min(1, Math.max(0, n)) * 1000) / 1000;
}

function scoreFormat(spec: FormatSpec, object: Readonly<Record<string, unknown>>): DetectCandidate | undefined {
  const keys = Object.keys(object);
  if (keys.length === 0) return undefined;
  const { keyCase } = keyCaseOf(spec, object);
  const matched: FieldSpec[] = [];
  for (const field of spec.fields) if (Object.hasOwn(object, fieldName(field, keyCase))) matched.push(field);
  if (matched.length === 0) return undefined;
  const reasons: string[] = [];
  const names = (fs: readonly FieldSpec[]): string => fs.map((f) => fieldName(f, keyCase)).join(', ');
  const coverage = matched.length / keys.length;
  reasons.push(`${matched.length} of the object's ${keys.length} fields are ${spec.id} fields (${names(matched)})`);
  const unknown = keys.length - matched.length;
  if (unknown > 0) reasons.push(`${unknown} field${unknown === 1 ? ' is' : 's are'} not in ${spec.id}`);
  const specFit = matched.length / spec.fields.length;
  const required = spec.fields.filter((f) => f.required);
  const missing = required.filter((f) => !matched.includes(f));
  // A format without required fields cannot be confirmed by them: half credit.
  const requiredOk = required.length === 0 ? 0.5 : (required.length - missing.length) / required.length;
  if (missing.length > 0) reasons.push(`required field${missing.length === 1 ? '' : 's'} missing: ${names(missing)}`);
  else if (required.length > 0) reasons.push(`all required fields present (${names(required)})`);
  const fits = matched.map((f) => typeFit(f, object[fieldName(f, keyCase)]));
  const badType = matched.filter((_, i) => fits[i] === 0);
  if (badType.length > 0) reasons.push(`documented type does not fit: ${names(badType)}`);
  const docIssue = matched.filter((_, i) => fits[i] === 0.5);
  if (docIssue.length > 0) reasons.push(`fits only through a known documentation error: ${names(docIssue)}`);
  const badUnit = matched.filter((f) => !unitFits(f, object[fieldName(f, keyCase)]));
  if (badUnit.length > 0) reasons.push(`values look like another unit: ${names(badUnit)}`);
  const typeOk = (fits.reduce((a, b) => a + b, 0) - badUnit.length) / matched.length;
  const distinctive = matched.filter((f) => (OWNERS.get(fieldName(f, keyCase))?.size ?? 0) === 1);
  if (distinctive.length > 0) reasons.push(`fields only ${spec.id} uses: ${names(distinctive)}`);
  const hints = (spec.valueHints ?? []).filter((h) => {
    const field = matched.find((f) => f.concept === h.concept);
    const v = field === undefined ? undefined : object[fieldName(field, keyCase)];
    return typeof v === 'string' && v.startsWith(h.prefix);
  });
  for (const h of hints) reasons.push(h.reason);
  const evidence = distinctive.length > 0 || hints.length > 0 ? 0.1 : 0;
  let score = 0.45 * coverage + 0.2 * specFit + 0.15 * requiredOk + 0.1 * Math.max(0, typeOk) + evidence;
  if (missing.length > 0) score *= 0.75;
  return { format: spec.id, score: round3(score), case: keyCase, reasons };
}

/** Every format the object could be in, best first (ties keep the order of FORMAT_SPECS); empty when none fits. */
export function detectFormats(object: Readonly<Record<string, unknown>>): DetectCandidate[] {
  const out: DetectCandidate[] = [];
  for (const spec of FORMAT_SPECS) {
    const c = scoreFormat(spec, object);
    if (c !== undefined && c.score > 0) out.push(c);
  }
  return out.sort((a, b) => b.score - a.score);
}

/** The candidates whose score ties with the best one (within 0.02): more than one means detection is ambiguous. */
export function topCandidates(candidates: readonly DetectCandidate[]): DetectCandidate[] {
  const best = candidates[0];
  if (best === undefined) return [];
  return candidates.filter((c) => best.score - c.score <= 0.02);
}

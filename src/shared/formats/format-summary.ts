/** Per format, in one line, what of a canonical record it cannot hold (from the format mapping's NOT_REPRESENTABLE findings). */
import { convertRecord } from './index.ts';
import { CONCEPTS, FORMAT_SPECS } from './specs.ts';
import type { CanonicalRecord, FormatId } from './types.ts';

export interface FormatSummary {
  readonly format: FormatId;
  readonly title: string;
  /** Labels of the concepts this record has and the format has no field for. */
  readonly cannotHold: readonly string[];
  /** "Authlete AccessToken cannot hold: the refresh token, the ID token" or "… holds everything this token has". */
  readonly line: string;
}

const LABEL = new Map<string, string>(CONCEPTS.map((c) => [c.concept, c.label]));

export function formatSummaries(record: CanonicalRecord): FormatSummary[] {
  return FORMAT_SPECS.map((spec) => {
    let lost: string[];
    try {
      const { findings } = convertRecord(record, spec.id);
      lost = [
        ...new Set(
          findings.filter((f) => f.code === 'NOT_REPRESENTABLE' && f.concept !== undefined).map((f) => f.concept as string),
        ),
      ];
    } catch {
      // A record this format cannot be written from at all (no value it can hold).
      lost = Object.keys(record);
    }
    const cannotHold = lost.map((c) => LABEL.get(c) ?? c);
    const line =
      cannotHold.length === 0
        ? `${spec.title} holds everything this token has`
        : `${spec.title} cannot hold: ${cannotHold.map((l) => `the ${l}`).join(', ')}`;
    return { format: spec.id, title: spec.title, cannotHold, line };
  });
}

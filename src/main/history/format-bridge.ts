/** The store's one door into the token domain's public format API (detection, format → canonical, canonical → format). */
import {
  convertRecord,
  detect,
  FORMAT_IDS,
  importToken,
  isFormatId,
  type CanonicalImport,
  type CanonicalRecord,
  type ConversionOutput,
  type FormatId,
} from '../../shared/formats/index.ts';

export { FORMAT_IDS, isFormatId };
export type { CanonicalRecord, FormatId };

/** Below this detection score an object is not read as any format. */
const MIN_SCORE = 0.3;

/** The best format for an object, or null when none fits. */
export function detectFormat(object: Readonly<Record<string, unknown>>): FormatId | null {
  const best = detect(object)[0];
  return best !== undefined && best.score >= MIN_SCORE ? best.format : null;
}

/** The canonical record of an object in a format, with what the format layer found. */
export function toCanonical(object: Readonly<Record<string, unknown>>, format: FormatId): CanonicalImport {
  return importToken(object, format);
}

/** A canonical record written in a format's shape. */
export function fromCanonical(record: CanonicalRecord, format: FormatId): ConversionOutput {
  return convertRecord(record, format);
}

/** The store's one door into the token domain's format mappers (detection, format → canonical, canonical → format). */
import { detectFormats } from '../../shared/formats/detect.ts';
import { exportRecord, importObject } from '../../shared/formats/mapping.ts';
import { FORMAT_IDS, isFormatId, type CanonicalImport, type CanonicalRecord, type ConversionOutput, type FormatId } from '../../shared/formats/types.ts';

export { FORMAT_IDS, isFormatId };
export type { CanonicalRecord, FormatId };

/** Below this detection score an object is not read as any format. */
const MIN_SCORE = 0.3;

/** The best format for an object, or null when none fits. */
export function detectFormat(object: Readonly<Record<string, unknown>>): FormatId | null {
  const best = detectFormats(object)[0];
  return best !== undefined && best.score >= MIN_SCORE ? best.format : null;
}

export function toCanonical(object: Readonly<Record<string, unknown>>, format: FormatId): CanonicalImport {
  return importObject(object, format);
}

export function fromCanonical(record: CanonicalRecord, format: FormatId): ConversionOutput {
  return exportRecord(record, format);
}

/**
 * The one mask for secrets shown or kept in clear (history previews, exports, the exchange log, diffs, the UI). It
 * keeps NO character of the secret: only its length and, for a value of MASK_MIN_LENGTH characters or more, the first
 * six hex digits of its SHA-256, so two masks can be told apart (same fingerprint: most likely the same secret)
 * without giving anything of the value away, e.g. `«secret 43 chars sha256:1a2b3c»`. A shorter value gets no
 * fingerprint: its few possible values could be tried against it. No `#`, `&` or `=` in a mask, so it can stand in a
 * URL or a form body as it is.
 */
import { sha256Hex } from './crypto/sha256.ts';

export const MASK_MIN_LENGTH = 16;
const FINGERPRINT_HEX = 6;
const MASK_PREFIX = '«secret ';

/** A whole mask, as maskValue writes it: masking it again leaves it as it is. */
const WHOLE_MASK = /^«secret \d+ chars?(?: sha256:[0-9a-f]{6})?»$/;

/**
 * The mask of `value`. `valueSha256Hex` is the value's SHA-256 as lowercase hex when the caller has it already (the store
 * hashes every token it saves): the fingerprint is then read from it instead of hashing the value again.
 */
export function maskValue(value: string, valueSha256Hex?: string): string {
  if (WHOLE_MASK.test(value)) return value;
  const length = value.length;
  const size = `${String(length)} char${length === 1 ? '' : 's'}`;
  if (length < MASK_MIN_LENGTH) return `${MASK_PREFIX}${size}»`;
  const digest = valueSha256Hex ?? sha256Hex(value);
  return `${MASK_PREFIX}${size} sha256:${digest.slice(0, FINGERPRINT_HEX)}»`;
}

/** Whether a value is (or holds) a mask, today's or the `abcd…wxyz` of earlier versions: it is not a usable secret. */
export function isMasked(value: string): boolean {
  return value.includes(MASK_PREFIX) || value.includes('…');
}

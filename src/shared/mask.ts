/**
 * The one mask for secrets shown or kept in clear (history previews, exports, the exchange log, diffs):
 * `abcd…wxyz` for values of 16 characters or more, `…` alone for shorter ones (a short secret would be given
 * away by its ends). At most eight characters of a secret are ever shown.
 */
export const MASK_MIN_LENGTH = 16;
const KEEP_EACH_END = 4;

export function maskValue(value: string): string {
  if (value.length < MASK_MIN_LENGTH) return '…';
  return `${value.slice(0, KEEP_EACH_END)}…${value.slice(-KEEP_EACH_END)}`;
}

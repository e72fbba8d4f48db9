/** A claim or field value as one line of text for a table cell. */

/** A value as one line of text for a table cell (objects as compact JSON). */
export function asText(value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return '[unprintable]';
  }
}

/** The one HTML escape for the pages the app renders itself (the loopback callback page, the demo issuer's pages). */

/** `&`, `<`, `>`, `"` and `'` as numeric character references: safe in text and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`);
}

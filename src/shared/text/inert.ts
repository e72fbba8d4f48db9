/**
 * Text from a token, a server or a file is data: before it reaches a terminal (or any other place that
 * acts on control characters) every character that can steer the display is shown as a visible marker.
 * C0 controls, DEL and C1 controls (CSI U+009B included) become `\u001b`-style escapes; bidi controls and
 * the invisible format characters the UI marks too (zero-width, word joiner, BOM) become `[U+202E]`.
 * The one rule for both the CLI and the renderer's SafeText.
 */

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
/** The same set without the line layout's \t and \n: what a terminal line or the UI's SafeText marks. */
// eslint-disable-next-line no-control-regex -- the same set without the line layout's \t and \n
export const UNSAFE_IN_LAYOUT = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

const BIDI = /^[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]$/;

/** Whether a character is a bidirectional control (it reorders the text around it). */
export function isBidiControl(ch: string): boolean {
  return BIDI.test(ch);
}

function hex4(ch: string): string {
  return (ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0');
}

/** How one unsafe character is shown: `\u001b` for a control character, `[U+202E]` for a bidi or invisible one. */
function marker(ch: string): string {
  if (CONTROL.test(ch)) return `\\u${hex4(ch)}`;
  return `[U+${hex4(ch).toUpperCase()}]`;
}

/** A value made inert: every unsafe character, \n and \t included, is shown as a marker. */
export function inertText(s: string): string {
  return s.replace(UNSAFE, marker);
}

/** Human-readable output made inert, keeping the \n and \t of its line layout. */
export function inertLines(s: string): string {
  return s.replace(UNSAFE_IN_LAYOUT, marker);
}

/**
 * JSON text made inert and still exact JSON for the same value: the unsafe characters JSON.stringify leaves
 * raw (DEL, C1, bidi, invisible ones; they can only be inside strings) become `\u` escapes of four hex digits. The \n of an
 * indented layout stays.
 */
export function inertJson(json: string): string {
  return json.replace(UNSAFE_IN_LAYOUT, (ch) => `\\u${hex4(ch)}`);
}

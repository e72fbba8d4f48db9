/**
 * Text from a token is data, never markup: React escapes it, and characters that reorder or hide text
 * (bidi controls, zero-width and other control characters) are shown as visible markers.
 */
import { Fragment } from 'react';

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

function codePoint(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

export function SafeText({ text }: { text: string }) {
  const parts: (string | { ch: string })[] = [];
  let last = 0;
  for (const match of text.matchAll(INVISIBLE)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push({ ch: match[0] });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return (
    <>
      {parts.map((p, i) =>
        typeof p === 'string' ? (
          <Fragment key={i}>{p}</Fragment>
        ) : (
          <abbr
            key={i}
            className={`hidden-char ${BIDI.test(p.ch) ? 'bidi' : ''}`}
            title={
              BIDI.test(p.ch) ? `bidirectional control character ${codePoint(p.ch)}` : `invisible character ${codePoint(p.ch)}`
            }
            data-testid="hidden-char"
          >
            {`⟦${codePoint(p.ch)}⟧`}
          </abbr>
        ),
      )}
    </>
  );
}

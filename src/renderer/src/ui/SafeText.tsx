/**
 * Text from a token is data, never markup: React escapes it, and characters that reorder or hide text
 * (bidi controls, zero-width, C0 and C1 control characters) are shown as visible markers: the same set the CLI
 * marks (src/shared/text/inert.ts).
 */
import { Fragment } from 'react';
import { isBidiControl, UNSAFE_IN_LAYOUT } from '../../../shared/text/inert.ts';

function codePoint(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

export function SafeText({ text }: { text: string }) {
  const parts: (string | { ch: string })[] = [];
  let last = 0;
  for (const match of text.matchAll(UNSAFE_IN_LAYOUT)) {
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
            className={`hidden-char ${isBidiControl(p.ch) ? 'bidi' : ''}`}
            title={
              isBidiControl(p.ch)
                ? `bidirectional control character ${codePoint(p.ch)}`
                : `invisible character ${codePoint(p.ch)}`
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

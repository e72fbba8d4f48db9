import { describe, expect, it } from 'vitest';
import { inertJson, inertLines, inertText } from '../../../../src/shared/text/inert.ts';

// Every character that steers a terminal or reorders text: C0, DEL, C1 (CSI U+009B), bidi controls.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const RAW = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

describe('inert text', () => {
  it('shows control characters as \\u escapes and bidi controls as [U+…] markers', () => {
    expect(inertText('\u001b]52;c;aGk=\u0007\u001b[2J')).toBe('\\u001b]52;c;aGk=\\u0007\\u001b[2J');
    expect(inertText('a\u202Eb\u009Bc\u007Fd\u0000')).toBe('a[U+202E]b\\u009bc\\u007fd\\u0000');
    expect(inertText('\u061C\u200E\u200F\u2066\u2069\u200B\uFEFF')).toBe(
      '[U+061C][U+200E][U+200F][U+2066][U+2069][U+200B][U+FEFF]',
    );
    expect(inertText('plain, ünïcode ✓')).toBe('plain, ünïcode ✓');
  });

  it('inside a value \\n and \\t are shown; in a line layout they stay', () => {
    expect(inertText('a\nb\tc\rd')).toBe('a\\u000ab\\u0009c\\u000dd');
    expect(inertLines('row 1\n\tx\u001b[2J\r\n')).toBe('row 1\n\tx\\u001b[2J\\u000d\n');
  });

  it('every character from U+0000 to U+FFFF comes out without a raw unsafe one', () => {
    let all = '';
    for (let c = 0; c <= 0xffff; c++) if (c < 0xd800 || c > 0xdfff) all += String.fromCharCode(c);
    expect(RAW.test(inertLines(all).replace(/[\t\n]/g, ''))).toBe(false);
    expect(RAW.test(inertText(all))).toBe(false);
  });

  it('JSON stays exact JSON for the same value, with no raw C1 or bidi character', () => {
    const value = { sub: '\u001b]52;c;aGk=\u0007\u001b[2J', name: 'x\u202Ey\u009B\u007F\u2066', n: [1, 'ok'] };
    for (const text of [JSON.stringify(value), JSON.stringify(value, null, 2)]) {
      const safe = inertJson(text);
      expect(RAW.test(safe)).toBe(false);
      expect(JSON.parse(safe)).toEqual(value);
    }
  });
});

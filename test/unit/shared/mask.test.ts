/** One mask for every secret the app shows: history previews, exports, the exchange log and diffs. */
import { describe, expect, it } from 'vitest';
import { MASK_MIN_LENGTH, maskValue } from '../../../src/shared/mask.ts';

describe('maskValue', () => {
  it('keeps four characters at each end of a long value, nothing of a short one', () => {
    expect(maskValue('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.abc9xQ')).toBe('eyJh…c9xQ');
    expect(maskValue('abcdefghijklmnopqrstuvwxyz')).toBe('abcd…wxyz');
    expect(maskValue('short-token')).toBe('…');
    expect(maskValue('tiny')).toBe('…');
    expect(maskValue('')).toBe('…');
  });

  it('switches at 16 characters and never shows more than eight characters of the secret', () => {
    expect(MASK_MIN_LENGTH).toBe(16);
    expect(maskValue('a'.repeat(15))).toBe('…');
    expect(maskValue('0123456789abcdef')).toBe('0123…cdef');
    for (const length of [16, 24, 100, 4096]) {
      const masked = maskValue('x'.repeat(length));
      expect(masked.replace('…', '').length).toBe(8);
    }
  });
});

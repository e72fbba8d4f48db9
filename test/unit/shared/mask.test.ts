/** One mask for every secret the app shows: history previews, exports, the exchange log, diffs and the UI. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/shared/crypto/sha256.ts';
import { isMasked, MASK_MIN_LENGTH, maskValue } from '../../../src/shared/mask.ts';

describe('maskValue', () => {
  it('keeps no character of the secret: its length and a short SHA-256 fingerprint', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.abc9xQ';
    const fingerprint = createHash('sha256').update(jwt).digest('hex').slice(0, 6);
    expect(maskValue(jwt)).toBe(`«secret ${String(jwt.length)} chars sha256:${fingerprint}»`);
    for (const secret of [jwt, 'abcdefghijklmnopqrstuvwxyz', '0123456789abcdef', 'x'.repeat(4096)]) {
      const masked = maskValue(secret);
      // Not one run of four characters of the secret survives (ignoring the mask's own words).
      const own = masked.replace(/^«secret \d+ chars sha256:[0-9a-f]{6}»$/, '');
      expect(own).toBe('');
      for (let i = 0; i + 4 <= secret.length; i += 1) {
        if (!/^(secr|ecre|cret|char|hars|sha2|ha25|a256)$/.test(secret.slice(i, i + 4))) {
          expect(masked.includes(secret.slice(i, i + 4)) && !fingerprint.includes(secret.slice(i, i + 4))).toBe(false);
        }
      }
    }
  });

  it('reads the fingerprint from a SHA-256 the caller already has (the store hashes every token it saves)', () => {
    const value = 'a-long-enough-secret-value';
    const digest = createHash('sha256').update(value).digest('hex');
    expect(maskValue(value, digest)).toBe(maskValue(value));
    expect(maskValue(value, digest)).toContain(`sha256:${digest.slice(0, 6)}`);
  });

  it('gives a short value no fingerprint (its few possible values could be tried against it)', () => {
    expect(MASK_MIN_LENGTH).toBe(16);
    expect(maskValue('a'.repeat(15))).toBe('«secret 15 chars»');
    expect(maskValue('123456')).toBe('«secret 6 chars»');
    expect(maskValue('x')).toBe('«secret 1 char»');
    expect(maskValue('')).toBe('«secret 0 chars»');
    expect(maskValue('0123456789abcdef')).toMatch(/^«secret 16 chars sha256:[0-9a-f]{6}»$/);
  });

  it('tells two secrets apart and is stable, and masking a mask leaves it as it is', () => {
    const a = maskValue('first-secret-value-000000');
    expect(maskValue('first-secret-value-000000')).toBe(a);
    expect(maskValue('first-secret-value-000001')).not.toBe(a);
    expect(maskValue(a)).toBe(a);
    expect(isMasked(a)).toBe(true);
    expect(isMasked('abcd…wxyz')).toBe(true);
    expect(isMasked('first-secret-value-000000')).toBe(false);
  });
});

describe('sha256Hex', () => {
  it('equals node:crypto at every padding boundary', () => {
    for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000]) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 31 + n) & 0xff);
      expect(sha256Hex(bytes), String(n)).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
    expect(sha256Hex('€ ünïcode')).toBe(createHash('sha256').update('€ ünïcode', 'utf8').digest('hex'));
  });
});

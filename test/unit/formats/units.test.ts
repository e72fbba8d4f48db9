import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_EPOCH_MS, isoFromMs } from '../../../src/shared/formats/units.ts';

describe('isoFromMs', () => {
  it('writes what Date#toISOString writes, across the whole range it accepts', () => {
    const edges = [0, 0.5, 1, 999.9, 86_399_999, 86_400_000, 951_782_400_000, 951_868_799_999, 4_107_542_400_000, -1, -0.5];
    for (const ms of [...edges, MAX_EPOCH_MS, -MAX_EPOCH_MS, MAX_EPOCH_MS - 0.5]) {
      expect(isoFromMs(ms)).toBe(new Date(ms).toISOString());
    }
    fc.assert(
      fc.property(fc.double({ min: -MAX_EPOCH_MS, max: MAX_EPOCH_MS, noNaN: true }), (ms) => {
        expect(isoFromMs(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_932_896 }), fc.integer({ min: 0, max: 86_399_999 }), (day, within) => {
        const ms = day * 86_400_000 + within;
        expect(isoFromMs(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 2000 },
    );
  });

  it('gives undefined past the years an ISO date can show, and for non-finite values', () => {
    for (const ms of [MAX_EPOCH_MS + 1, -MAX_EPOCH_MS - 1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(isoFromMs(ms)).toBeUndefined();
    }
  });
});

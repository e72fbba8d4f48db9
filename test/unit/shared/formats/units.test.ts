import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tokenFacts } from '../../../../src/main/store/token-facts.ts';
import { secondsClaimToMs } from '../../../../src/renderer/src/ui/time-format.ts';
import {
  MAX_EPOCH_MS,
  MAX_EPOCH_S,
  isShowableEpochMs,
  isoFromMs,
  isoSecondsFromMs,
  looksLikeEpochMs,
  numericDateMs,
  readSecondsField,
} from '../../../../src/shared/formats/units.ts';
import { checkTimeClaim } from '../../../../src/shared/token/claims.ts';
import { inspectText } from '../../../../src/shared/token/inspect.ts';

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

describe('the one seconds-vs-milliseconds rule', () => {
  it('reads 13 digits (1e12 up to 1e13) as milliseconds and everything else as seconds', () => {
    expect(looksLikeEpochMs(1e11)).toBe(false);
    expect(looksLikeEpochMs(1e12 - 1)).toBe(false);
    expect(looksLikeEpochMs(1e12)).toBe(true);
    expect(looksLikeEpochMs(1e13 - 1)).toBe(true);
    expect(looksLikeEpochMs(1e13)).toBe(false);
    expect(readSecondsField(1_700_000_000)).toEqual({ ms: 1_700_000_000_000, readAs: 's' });
    expect(readSecondsField(1e11)).toEqual({ ms: 1e14, readAs: 's' });
    expect(readSecondsField(1e12)).toEqual({ ms: 1e12, readAs: 'ms' });
    expect(readSecondsField(1_700_000_000_123.4)).toEqual({ ms: 1_700_000_000_123, readAs: 'ms' });
    expect(readSecondsField(1e13)).toEqual({ ms: 1e16, readAs: 's' });
  });

  it('gives a NumericDate as ms, or undefined for no instant (negative, past 9999, not a number)', () => {
    expect(numericDateMs(0)).toBe(0);
    expect(numericDateMs(MAX_EPOCH_S)).toBe(MAX_EPOCH_S * 1000);
    expect(numericDateMs(MAX_EPOCH_S + 1)).toBeUndefined();
    expect(numericDateMs(1e11)).toBe(1e14);
    expect(numericDateMs(1e12)).toBe(1e12);
    expect(numericDateMs(1e13)).toBeUndefined();
    for (const v of [-1, Number.NaN, Number.POSITIVE_INFINITY, '1700000000', null, undefined]) {
      expect(numericDateMs(v)).toBeUndefined();
    }
  });

  it('the renderer, the inspection and the history read a number the same way', () => {
    const jwt = (exp: number): string =>
      ['eyJhbGciOiJSUzI1NiJ9', Buffer.from(JSON.stringify({ exp })).toString('base64url'), 'c2ln'].join('.');
    for (const exp of [1_700_000_000, 1e11, 1e12, 1_700_000_000_000, 1e13]) {
      const shown = secondsClaimToMs(exp);
      const claim = checkTimeClaim('exp', exp, 0).time;
      const stored = tokenFacts(jwt(exp)).expiresAtMs;
      const inspected = inspectText(jwt(exp)).summary.expiresAtMs;
      expect(shown.msSuspect, String(exp)).toBe(looksLikeEpochMs(exp));
      if (claim !== undefined) expect(claim.epochMs, String(exp)).toBe(shown.ms);
      expect(stored ?? undefined, String(exp)).toBe(numericDateMs(exp));
      expect(inspected, String(exp)).toBe(numericDateMs(exp));
    }
  });

  it('shows a date only within the years ISO can show', () => {
    expect(isShowableEpochMs(MAX_EPOCH_MS)).toBe(true);
    expect(isShowableEpochMs(MAX_EPOCH_MS + 1)).toBe(false);
    expect(isShowableEpochMs(-MAX_EPOCH_MS)).toBe(true);
    expect(isShowableEpochMs(Number.NaN)).toBe(false);
  });
});

describe('isoSecondsFromMs (the CLI lines)', () => {
  it('drops the milliseconds, says "-" for an unknown or unshowable time', () => {
    expect(isoSecondsFromMs(Date.UTC(2026, 11, 1, 10, 0, 0, 789))).toBe('2026-12-01T10:00:00Z');
    expect(isoSecondsFromMs(null)).toBe('-');
    expect(isoSecondsFromMs(MAX_EPOCH_MS + 1)).toBe('-');
  });
});

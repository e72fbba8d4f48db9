/** The one family of time phrases: relative ("in 2 hours"), countdown ("4 min 12 s") and lifetime ("2 hours"). */
import { describe, expect, it } from 'vitest';
import { durationParts, formatDuration, formatLifetime, formatRelative } from '../../../../src/shared/time/relative.ts';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const D = 24 * H;

describe('formatRelative (Intl.RelativeTimeFormat, the largest whole unit)', () => {
  it('says how far, in the past or the future', () => {
    expect(formatRelative(T0 + 2 * H + 5 * MIN, T0)).toBe('in 2 hours');
    expect(formatRelative(T0 - 16 * MIN - 40 * S, T0)).toBe('16 minutes ago');
    expect(formatRelative(T0 + MIN, T0)).toBe('in 1 minute');
    expect(formatRelative(T0 - 3 * D, T0)).toBe('3 days ago');
    expect(formatRelative(T0 + 45 * D, T0)).toBe('in 1 month');
    expect(formatRelative(T0 - 400 * D, T0)).toBe('1 year ago');
    expect(formatRelative(T0 + 5 * S, T0)).toBe('in 5 seconds');
  });

  it('is "now" within half a second, and never prints NaN', () => {
    expect(formatRelative(T0, T0)).toBe('now');
    expect(formatRelative(T0 + 499, T0)).toBe('now');
    expect(formatRelative(Number.NaN, T0)).toBe('not a valid time');
  });

  it('says the same phrase as Intl for every count, however many distinct counts came before (the phrase cache)', () => {
    const intl = new Intl.RelativeTimeFormat('en', { numeric: 'always' });
    // More distinct year counts than the cache keeps, in both directions, each asked twice.
    for (let years = 1; years <= 3000; years += 1) {
      for (const sign of [1, -1]) {
        const target = T0 + sign * years * 365 * D;
        const expected = intl.format(sign * years, 'year');
        expect(formatRelative(target, T0)).toBe(expected);
        expect(formatRelative(target, T0)).toBe(expected);
      }
    }
    expect(formatRelative(T0 + 2 * H + 5 * MIN, T0)).toBe('in 2 hours');
    expect(formatRelative(T0 - 2 * H, T0)).toBe('2 hours ago');
  });
});

describe('formatDuration (countdowns: the two most significant units)', () => {
  it('keeps two units with the compact labels', () => {
    expect(formatDuration(4 * MIN + 12 * S)).toBe('4 min 12 s');
    expect(formatDuration(2 * H + 5 * MIN + 7 * S)).toBe('2 h 5 min');
    expect(formatDuration(3 * D + 4 * H + 5 * MIN)).toBe('3 d 4 h');
    expect(formatDuration(H)).toBe('1 h');
    expect(formatDuration(59_999)).toBe('59 s');
    expect(formatDuration(-3 * MIN)).toBe('3 min');
    expect(formatDuration(0)).toBe('0 s');
  });

  it('splits a span into whole units', () => {
    expect(durationParts(-(D + 2 * H + 3 * MIN + 4 * S + 400))).toEqual({ days: 1, hours: 2, minutes: 3, seconds: 4 });
  });
});

describe('formatLifetime (exact, Intl.DurationFormat)', () => {
  it('writes every unit of a lifetime in seconds', () => {
    expect(typeof (Intl as { DurationFormat?: unknown }).DurationFormat).toBe('function');
    expect(formatLifetime(7200)).toBe('2 hours');
    expect(formatLifetime(7 * 86_400)).toBe('7 days');
    expect(formatLifetime(90)).toBe('1 minute, 30 seconds');
    expect(formatLifetime(1)).toBe('1 second');
    expect(formatLifetime(0)).toBe('0 seconds');
    expect(formatLifetime(Number.NaN)).toBe('unknown');
  });
});

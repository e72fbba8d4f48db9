/**
 * The one rule for epoch values: which numbers are seconds, which are milliseconds, and which are no date at all.
 * The format mapper, the JWT time-claim checks, the history's token facts and the renderer's time display all
 * read a number through these functions, so the UI and the CLI never disagree about the same value.
 */

/** 9999-12-31T23:59:59.999Z: the last instant an ISO date can show. */
export const MAX_EPOCH_MS = 253_402_300_799_999;
export const MAX_EPOCH_S = 253_402_300_799;
/** Longer than any token lives (about 317 years): a larger lifetime is a broken value. */
export const MAX_DURATION_S = 10_000_000_000;

/**
 * A number in a seconds field that has 13 digits is almost surely milliseconds (2001-09 to 2286-11 as ms).
 * 12 digits (1e11 up to 1e12) is read as seconds: as ms it would be a date in the 1970s to 2001, as seconds
 * a date after the year 5138, and the year-9999 limit (MAX_EPOCH_S) flags the larger half of it.
 */
export function looksLikeEpochMs(value: number): boolean {
  return value >= 1e12 && value < 1e13;
}

/** A NumericDate read as epoch ms: a 13-digit value as ms, anything else as seconds (RFC 7519). */
export interface EpochReading {
  readonly ms: number;
  /** 's' as RFC 7519 says, 'ms' when the value has 13 digits (looksLikeEpochMs). */
  readonly readAs: 's' | 'ms';
}

/** Reads a number from a seconds field (exp, iat, nbf...) as epoch ms, by the one millisecond rule above. */
export function readSecondsField(value: number): EpochReading {
  return looksLikeEpochMs(value) ? { ms: Math.round(value), readAs: 'ms' } : { ms: Math.round(value * 1000), readAs: 's' };
}

/**
 * A NumericDate claim as epoch ms, or undefined when it is no instant: not a finite number, negative (before
 * 1970) or past the year 9999. What the inspection, the history and the comparison table record as a time.
 */
export function numericDateMs(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return undefined;
  if (!looksLikeEpochMs(value) && value > MAX_EPOCH_S) return undefined;
  return readSecondsField(value).ms;
}

/** Whether an epoch-ms value is a date ISO can show (year 0 to 9999 either side of 1970). */
export function isShowableEpochMs(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_EPOCH_MS;
}

/** A number in a milliseconds field that is below 1e11 (before 1973 as ms) but a plausible epoch-seconds value. */
export function looksLikeEpochSeconds(value: number): boolean {
  return value >= 1e8 && value < 1e11;
}

/** A lifetime in a seconds field that is a whole number of minutes times 1000 and at least 1e6: likely ms. */
export function durationLooksLikeMs(seconds: number): boolean {
  return seconds >= 1e6 && seconds % 60_000 === 0;
}

/**
 * A lifetime in a milliseconds field that is a whole number of minutes counted in seconds and under one minute as
 * ms (Serendip's `expires_in: 7200`): likely seconds. No token lives less than a minute, so 60 000 ms stays 1 min.
 */
export function durationLooksLikeSeconds(ms: number): boolean {
  return ms > 0 && ms < 60_000 && ms % 60 === 0;
}

const DAY_MS = 86_400_000;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function pad3(n: number): string {
  return n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n);
}

/**
 * `new Date(ms).toISOString()`, or undefined outside the years ISO can show. From 1970 on it is computed
 * directly (days → civil date, H. Hinnant's algorithm), which is several times faster than going through Date.
 */
export function isoFromMs(ms: number): string | undefined {
  if (!isShowableEpochMs(ms)) return undefined;
  if (ms < 0) return new Date(ms).toISOString();
  const t = Math.trunc(ms); // Date's TimeClip
  const days = Math.floor(t / DAY_MS);
  let rest = t - days * DAY_MS;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const milli = rest % 1000;
  rest = (rest - milli) / 1000;
  const second = rest % 60;
  rest = (rest - second) / 60;
  const minute = rest % 60;
  const hour = (rest - minute) / 60;
  return `${year}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}.${pad3(milli)}Z`;
}

/** A time to the second, as the CLI's lines print it ("2026-12-01T10:00:00Z"); "-" when unknown or not showable. */
export function isoSecondsFromMs(ms: number | null): string {
  const iso = ms === null ? undefined : isoFromMs(ms);
  return iso === undefined ? '-' : `${iso.slice(0, 19)}Z`;
}

/** A number from a format's time or lifetime field, in canonical units, and whether its size said the other unit. */
export interface FieldReading {
  /** Epoch ms for an instant, seconds for a lifetime. */
  readonly value: number;
  /** The unit the number was read in: the documented one, or the other when its size says so (UNIT_SUSPECT). */
  readonly readAs: 's' | 'ms';
  readonly suspect: boolean;
}

/**
 * The one correction of a suspected unit, for every format alike: an instant documented in seconds holding 13
 * digits is read as ms, one documented in ms holding 9-10 digits as seconds; a lifetime documented in seconds that
 * looks like ms is divided by 1000, one documented in ms that looks like seconds (Serendip's `expires_in: 7200`) is
 * read as seconds.
 */
export function readUnitField(n: number, kind: 'instant' | 'lifetime', documented: 's' | 'ms'): FieldReading {
  const suspect =
    kind === 'instant'
      ? documented === 's'
        ? looksLikeEpochMs(n)
        : looksLikeEpochSeconds(n)
      : documented === 's'
        ? durationLooksLikeMs(n)
        : durationLooksLikeSeconds(n);
  const readAs = suspect ? (documented === 's' ? 'ms' : 's') : documented;
  const value = kind === 'instant' ? (readAs === 's' ? n * 1000 : n) : readAs === 'ms' ? n / 1000 : n;
  return { value, readAs, suspect };
}

/**
 * A canonical value (epoch ms, or lifetime seconds) written in a field's unit. Whole seconds and whole ms: an
 * instant in seconds is floored (a fraction of a second would be invented precision), a lifetime rounded, and a
 * field documented as an integer always gets one. `rounded` says when the written value lost a fraction.
 */
export function writeUnitField(
  value: number,
  kind: 'instant' | 'lifetime',
  unit: 's' | 'ms',
  integer: boolean,
): { readonly value: number; readonly rounded: boolean } {
  let out: number;
  if (kind === 'instant') out = unit === 's' ? Math.floor(value / 1000) : Math.round(value);
  else {
    const raw = unit === 'ms' ? value * 1000 : value;
    out = integer || unit === 'ms' ? Math.round(raw) : raw;
  }
  const exact = kind === 'instant' ? (unit === 's' ? value / 1000 : value) : unit === 'ms' ? value * 1000 : value;
  return { value: out, rounded: out !== exact };
}

/** The largest numeric id the formats write (a signed 64-bit integer, Authlete's Java long). */
const MAX_INT64 = 9_223_372_036_854_775_807n;

/**
 * A canonical numeric id (decimal digits) as a field holds it: a JSON number while JavaScript keeps every digit,
 * the exact digits as a string up to 2^63−1 beyond that, undefined when it is no such id.
 */
export function numericIdValue(digits: string): number | string | undefined {
  if (!/^(0|[1-9]\d{0,18})$/.test(digits) || BigInt(digits) > MAX_INT64) return undefined;
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : digits;
}

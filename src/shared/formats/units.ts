/** Unit arithmetic and unit suspicion shared by the format mapper and the JWT time-claim checks. */

/** 9999-12-31T23:59:59.999Z: the last instant an ISO date can show. */
export const MAX_EPOCH_MS = 253_402_300_799_999;
export const MAX_EPOCH_S = 253_402_300_799;
/** Longer than any token lives (about 317 years): a larger lifetime is a broken value. */
export const MAX_DURATION_S = 10_000_000_000;

/** A number in a seconds field that has 13 digits is almost surely milliseconds. */
export function looksLikeEpochMs(value: number): boolean {
  return value >= 1e12 && value < 1e13;
}

/** A number in a milliseconds field that is below 1e11 (before 1973 as ms) but a plausible epoch-seconds value. */
export function looksLikeEpochSeconds(value: number): boolean {
  return value >= 1e8 && value < 1e11;
}

/** A lifetime in a seconds field that is a whole number of minutes times 1000 and at least 1e6: likely ms. */
export function durationLooksLikeMs(seconds: number): boolean {
  return seconds >= 1e6 && seconds % 60_000 === 0;
}

/** A lifetime in a milliseconds field that is a small whole number of minutes: likely seconds. */
export function durationLooksLikeSeconds(ms: number): boolean {
  return ms > 0 && ms < 100_000 && ms % 60 === 0;
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
  if (!Number.isFinite(ms) || ms < -MAX_EPOCH_MS || ms > MAX_EPOCH_MS) return undefined;
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

const UNITS: readonly [number, string][] = [
  [365 * 24 * 3600, 'year'],
  [30 * 24 * 3600, 'month'],
  [24 * 3600, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
];

/** "in 2 hours", "3 days ago", "now": the distance from `nowMs` to `ms`, in the largest whole unit. */
export function relativeTime(ms: number, nowMs: number): string {
  const deltaS = Math.round((ms - nowMs) / 1000);
  const abs = Math.abs(deltaS);
  if (abs < 1) return 'now';
  for (const [size, name] of UNITS) {
    if (abs >= size) {
      const n = Math.floor(abs / size);
      const text = `${n} ${name}${n === 1 ? '' : 's'}`;
      return deltaS > 0 ? `in ${text}` : `${text} ago`;
    }
  }
  return 'now';
}

/** "2 h", "7 days", "90 s": a lifetime in seconds for people. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'unknown';
  const abs = Math.abs(seconds);
  if (abs >= 86_400 && abs % 86_400 === 0) return `${abs / 86_400} day${abs === 86_400 ? '' : 's'}`;
  if (abs >= 3600 && abs % 3600 === 0) return `${abs / 3600} h`;
  if (abs >= 60 && abs % 60 === 0) return `${abs / 60} min`;
  return `${abs} s`;
}

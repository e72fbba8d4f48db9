/**
 * The one family of time phrases for people, used by the renderer, the inspection (and so the CLI report):
 * - `formatRelative`: "in 2 hours", "16 minutes ago", "now" (Intl.RelativeTimeFormat, the largest whole unit);
 * - `formatDuration`: "4 min 12 s", "3 d 4 h" (the two most significant units, for countdowns);
 * - `formatLifetime`: "2 hours", "1 minute, 30 seconds" (every unit, exact: Intl.DurationFormat).
 * The locale is fixed to English (the UI's language), so tests and screenshots read the same everywhere.
 */

const LOCALE = 'en';

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Largest first; a month is 30 days and a year 365 for the "about how long" phrase. */
const RELATIVE_UNITS: readonly [number, Intl.RelativeTimeFormatUnit][] = [
  [365 * DAY_MS, 'year'],
  [30 * DAY_MS, 'month'],
  [DAY_MS, 'day'],
  [HOUR_MS, 'hour'],
  [MINUTE_MS, 'minute'],
  [SECOND_MS, 'second'],
];

let relativeFormat: Intl.RelativeTimeFormat | undefined;

/**
 * Phrases already formatted, by unit and signed count ("hour 2" → "in 2 hours"): Intl's format is the costliest
 * step of an inspection, and the counts a history shows repeat (at most 59 seconds, 59 minutes, 23 hours...).
 * Bounded: emptied when full (years can take any count).
 */
const relativePhrases = new Map<string, string>();
const MAX_PHRASES = 2048;

function relativePhrase(count: number, unit: Intl.RelativeTimeFormatUnit): string {
  const key = `${unit} ${String(count)}`;
  let phrase = relativePhrases.get(key);
  if (phrase === undefined) {
    relativeFormat ??= new Intl.RelativeTimeFormat(LOCALE, { numeric: 'always' });
    phrase = relativeFormat.format(count, unit);
    if (relativePhrases.size >= MAX_PHRASES) relativePhrases.clear();
    relativePhrases.set(key, phrase);
  }
  return phrase;
}

/** "in 2 hours", "3 days ago", "now": the distance from `nowMs` to `targetMs`, in the largest whole unit. */
export function formatRelative(targetMs: number, nowMs: number): string {
  const delta = Math.round((targetMs - nowMs) / SECOND_MS) * SECOND_MS;
  const abs = Math.abs(delta);
  if (!Number.isFinite(abs)) return 'not a valid time';
  if (abs < SECOND_MS) return 'now';
  for (const [size, unit] of RELATIVE_UNITS) {
    if (abs >= size) return relativePhrase(Math.sign(delta) * Math.floor(abs / size), unit);
  }
  return 'now';
}

/** A span split into whole days, hours, minutes and seconds (the sign dropped, sub-second parts rounded away). */
export interface DurationParts {
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

export function durationParts(ms: number): DurationParts {
  const abs = Math.abs(Math.round(ms));
  return {
    days: Math.floor(abs / DAY_MS),
    hours: Math.floor((abs % DAY_MS) / HOUR_MS),
    minutes: Math.floor((abs % HOUR_MS) / MINUTE_MS),
    seconds: Math.floor((abs % MINUTE_MS) / SECOND_MS),
  };
}

const COMPACT_LABELS: readonly [keyof DurationParts, string][] = [
  ['days', 'd'],
  ['hours', 'h'],
  ['minutes', 'min'],
  ['seconds', 's'],
];

/**
 * "4 min 12 s", "2 h 5 min", "3 d 4 h", "59 s": the two most significant units, for countdowns. These fixed
 * labels are the app's established countdown text (no Intl.DurationFormat style gives "55 min 48 s":
 * narrow is "55m 48s", short "55 min, 48 sec").
 */
export function formatDuration(ms: number): string {
  const parts = durationParts(ms);
  const present = COMPACT_LABELS.map(([key, label]): [number, string] => [parts[key], label]);
  const first = present.findIndex(([n]) => n > 0);
  if (first === -1) return '0 s';
  return present
    .slice(first, first + 2)
    .filter(([n], i) => i === 0 || n > 0)
    .map(([n, label]) => `${String(n)} ${label}`)
    .join(' ');
}

/** The part of Intl.DurationFormat used here (ES2025; Node 24 and Chromium 129+ have it, TypeScript's lib may not). */
interface DurationFormatter {
  format(duration: Partial<DurationParts>): string;
}
type DurationFormatConstructor = new (locale: string, options: { style: 'long' }) => DurationFormatter;

let lifetimeFormat: DurationFormatter | null | undefined;

function durationFormatter(): DurationFormatter | null {
  if (lifetimeFormat === undefined) {
    const ctor = (Intl as unknown as { DurationFormat?: DurationFormatConstructor }).DurationFormat;
    lifetimeFormat = ctor === undefined ? null : new ctor(LOCALE, { style: 'long' });
  }
  return lifetimeFormat;
}

/**
 * A lifetime in seconds, exact: "2 hours", "7 days", "1 minute, 30 seconds" (Intl.DurationFormat, long style).
 * Where DurationFormat is missing, every non-zero unit in the compact form ("1 min 30 s").
 */
export function formatLifetime(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'unknown';
  const parts = durationParts(seconds * SECOND_MS);
  const nonZero: Partial<Record<keyof DurationParts, number>> = {};
  for (const [key] of COMPACT_LABELS) if (parts[key] > 0) nonZero[key] = parts[key];
  const intl = durationFormatter();
  if (Object.keys(nonZero).length === 0) return intl === null ? '0 s' : '0 seconds';
  if (intl !== null) return intl.format(nonZero);
  return COMPACT_LABELS.filter(([key]) => nonZero[key] !== undefined)
    .map(([key, label]) => `${String(nonZero[key])} ${label}`)
    .join(' ');
}

/** A step's time from the first of its sequence: "+0 ms", "+412 ms", "+1.25 s", "+2 min 3 s"; before it "−40 ms". */
export function formatOffset(ms: number): string {
  const n = Math.abs(Math.round(ms));
  const sign = ms < 0 && n > 0 ? '−' : '+';
  if (n < SECOND_MS) return `${sign}${String(n)} ms`;
  if (n < MINUTE_MS) return `${sign}${(n / SECOND_MS).toFixed(2).replace(/\.?0+$/, '')} s`;
  return `${sign}${formatDuration(n)}`;
}

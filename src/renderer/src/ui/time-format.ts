/** Time maths for countdowns and time claims: relative phrases, local times, and the expiry states the UI colours. */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** 9999-12-31T23:59:59Z: beyond this an expiry is not a real date (usually milliseconds read as seconds). */
export const MAX_SANE_EPOCH_MS = 253_402_300_799_000;
/** A "seconds" value at or above this has 12+ digits: a millisecond value in a seconds field. */
export const MS_SUSPECT_SECONDS = 100_000_000_000;

/** "4 min 12 s", "2 h 5 min", "3 d 4 h": the two most significant units. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(Math.round(ms));
  if (abs < MINUTE) return `${String(Math.floor(abs / SECOND))} s`;
  const parts: [number, string][] = [
    [Math.floor(abs / DAY), 'd'],
    [Math.floor((abs % DAY) / HOUR), 'h'],
    [Math.floor((abs % HOUR) / MINUTE), 'min'],
    [Math.floor((abs % MINUTE) / SECOND), 's'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  return parts
    .slice(first, first + 2)
    .filter(([n], i) => i === 0 || n > 0)
    .map(([n, u]) => `${String(n)} ${u}`)
    .join(' ');
}

/** "in 4 min 12 s" or "4 min 12 s ago". */
export function formatRelative(targetMs: number, nowMs: number): string {
  const delta = targetMs - nowMs;
  if (Math.abs(delta) < SECOND) return 'now';
  return delta > 0 ? `in ${formatDuration(delta)}` : `${formatDuration(delta)} ago`;
}

/** Local date and time with the zone, never "Invalid Date". */
export function formatLocal(ms: number): string {
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_SANE_EPOCH_MS) return 'not a valid time';
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const zone = `UTC${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${String(d.getFullYear())}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${zone}`;
}

export type ExpiryState = 'never' | 'suspect' | 'active' | 'expiring' | 'critical' | 'expired';

export interface Expiry {
  readonly state: ExpiryState;
  /** What a person reads: "expires in 4 min 12 s", "expired 3 s ago", "no expiry known". */
  readonly label: string;
  /** Share of the lifetime left, 0..1, when the issue time is known. */
  readonly remaining?: number;
}

/** Five minutes or a tenth of the lifetime left: amber. One minute or 2 %: red. */
export function describeExpiry(nowMs: number, expiresAtMs: number | null | undefined, issuedAtMs?: number | null): Expiry {
  if (expiresAtMs === null || expiresAtMs === undefined) return { state: 'never', label: 'no expiry known' };
  if (!Number.isFinite(expiresAtMs) || expiresAtMs > MAX_SANE_EPOCH_MS || expiresAtMs < 0) {
    return { state: 'suspect', label: 'expiry is not a real date (milliseconds read as seconds?)' };
  }
  const left = expiresAtMs - nowMs;
  if (left <= 0) return { state: 'expired', label: `expired ${formatDuration(left)} ago`, remaining: 0 };
  let remaining: number | undefined;
  if (typeof issuedAtMs === 'number' && Number.isFinite(issuedAtMs) && issuedAtMs < expiresAtMs) {
    remaining = Math.min(1, Math.max(0, left / (expiresAtMs - issuedAtMs)));
  }
  const label = `expires in ${formatDuration(left)}`;
  if (left <= MINUTE || (remaining !== undefined && remaining <= 0.02))
    return { state: 'critical', label, ...(remaining === undefined ? {} : { remaining }) };
  if (left <= 5 * MINUTE || (remaining !== undefined && remaining <= 0.1))
    return { state: 'expiring', label, ...(remaining === undefined ? {} : { remaining }) };
  return { state: 'active', label, ...(remaining === undefined ? {} : { remaining }) };
}

/** A JWT NumericDate (seconds) as epoch ms; a 12+ digit value is flagged as milliseconds in a seconds field. */
export function secondsClaimToMs(value: number): { ms: number; msSuspect: boolean } {
  if (Math.abs(value) >= MS_SUSPECT_SECONDS) return { ms: value, msSuspect: true };
  return { ms: value * 1000, msSuspect: false };
}

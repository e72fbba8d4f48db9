/**
 * Time display for countdowns and time claims: local times and the expiry states the UI colours, on top of the
 * shared rules (shared/formats/units.ts: which numbers are ms or no date; shared/time/relative.ts: the phrases).
 */

import { isShowableEpochMs, readSecondsField } from '../../../shared/formats/units.ts';
import { formatDuration, formatRelative } from '../../../shared/time/relative.ts';

export { formatDuration, formatRelative } from '../../../shared/time/relative.ts';
/** 9999-12-31T23:59:59.999Z: beyond this an expiry is not a real date (usually milliseconds read as seconds). */
export { MAX_EPOCH_MS as MAX_SANE_EPOCH_MS } from '../../../shared/formats/units.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Local date and time with the zone, never "Invalid Date". */
export function formatLocal(ms: number): string {
  if (!isShowableEpochMs(ms)) return 'not a valid time';
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
  if (!isShowableEpochMs(expiresAtMs) || expiresAtMs < 0) {
    return { state: 'suspect', label: 'expiry is not a real date (milliseconds read as seconds?)' };
  }
  const left = expiresAtMs - nowMs;
  // Ages read as the CLI reads them ("expired 8 years ago"); a countdown only while it is under a day.
  if (left <= 0) return { state: 'expired', label: `expired ${formatRelative(expiresAtMs, nowMs)}`, remaining: 0 };
  let remaining: number | undefined;
  if (typeof issuedAtMs === 'number' && Number.isFinite(issuedAtMs) && issuedAtMs < expiresAtMs) {
    remaining = Math.min(1, Math.max(0, left / (expiresAtMs - issuedAtMs)));
  }
  const label = left > DAY ? `expires ${formatRelative(expiresAtMs, nowMs)}` : `expires in ${formatDuration(left)}`;
  if (left <= MINUTE || (remaining !== undefined && remaining <= 0.02))
    return { state: 'critical', label, ...(remaining === undefined ? {} : { remaining }) };
  if (left <= 5 * MINUTE || (remaining !== undefined && remaining <= 0.1))
    return { state: 'expiring', label, ...(remaining === undefined ? {} : { remaining }) };
  return { state: 'active', label, ...(remaining === undefined ? {} : { remaining }) };
}

/** A JWT NumericDate (seconds) as epoch ms; a 13-digit value is read and flagged as milliseconds (the shared rule). */
export function secondsClaimToMs(value: number): { ms: number; msSuspect: boolean } {
  const reading = readSecondsField(value);
  return { ms: reading.ms, msSuspect: reading.readAs === 'ms' };
}

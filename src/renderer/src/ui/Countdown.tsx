/** A live expiry countdown and lifetime bar, both driven by the one clock. */
import { useNow } from './clock.tsx';
import { describeExpiry, formatLocal } from './time-format.ts';

export interface CountdownProps {
  readonly expiresAtMs: number | null | undefined;
  readonly issuedAtMs?: number | null | undefined;
  /** Short form for table cells: "in 4 min 12 s" rather than "expires in …". */
  readonly compact?: boolean;
  /** The back end's words for an expiry that is not an instant ("lifetime 1 hour, start unknown"): shown instead. */
  readonly note?: string | undefined;
}

export function Countdown({ expiresAtMs, issuedAtMs, compact, note }: CountdownProps) {
  const now = useNow();
  if ((expiresAtMs === null || expiresAtMs === undefined) && note !== undefined) {
    return (
      <span className="countdown countdown-unknown" data-testid="countdown" data-state="unknown" title={note}>
        {note}
      </span>
    );
  }
  const expiry = describeExpiry(now, expiresAtMs, issuedAtMs);
  const text = compact
    ? expiry.label
        .replace(/^expires /, '')
        .replace(/^no expiry known$/, 'no expiry')
        .replace(/^expiry is not a real date.*$/, 'not a date')
    : expiry.label;
  const title = typeof expiresAtMs === 'number' && expiry.state !== 'suspect' ? formatLocal(expiresAtMs) : expiry.label;
  return (
    <span className={`countdown countdown-${expiry.state}`} data-testid="countdown" data-state={expiry.state} title={title}>
      {text}
    </span>
  );
}

/** Lifetime left as a bar: green, amber when expiring, red when nearly gone. */
export function LifetimeBar({
  expiresAtMs,
  issuedAtMs,
}: {
  expiresAtMs: number | null | undefined;
  issuedAtMs: number | null | undefined;
}) {
  const now = useNow();
  const expiry = describeExpiry(now, expiresAtMs, issuedAtMs);
  if (expiry.remaining === undefined) return null;
  const percent = Math.round(expiry.remaining * 100);
  return (
    <div
      className={`lifetime lifetime-${expiry.state}`}
      role="progressbar"
      aria-label="Lifetime left"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={`${String(percent)} % of the lifetime left`}
      data-testid="lifetime-bar"
    >
      <div className="lifetime-fill" style={{ width: `${String(percent)}%` }} />
    </div>
  );
}

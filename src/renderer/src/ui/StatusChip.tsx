/** The status of a token as a coloured chip; "expiring soon" is computed live from the one clock. */
import type { TokenStatus } from '../../../shared/model.ts';
import { useNow } from './clock.tsx';
import { describeExpiry } from './time-format.ts';

export type DisplayStatus = TokenStatus | 'expiring soon';

export function displayStatus(
  status: TokenStatus,
  nowMs: number,
  expiresAtMs: number | null,
  issuedAtMs: number | null,
): DisplayStatus {
  if (status !== 'active') return status;
  const expiry = describeExpiry(nowMs, expiresAtMs, issuedAtMs);
  if (expiry.state === 'expired') return 'expired';
  if (expiry.state === 'expiring' || expiry.state === 'critical') return 'expiring soon';
  return 'active';
}

export function StatusChip({
  status,
  expiresAtMs = null,
  issuedAtMs = null,
}: {
  status: TokenStatus;
  expiresAtMs?: number | null;
  issuedAtMs?: number | null;
}) {
  const now = useNow();
  const shown = displayStatus(status, now, expiresAtMs, issuedAtMs);
  return (
    <span className={`chip chip-${shown.replace(' ', '-')}`} data-testid="status-chip" data-status={shown}>
      {shown}
    </span>
  );
}

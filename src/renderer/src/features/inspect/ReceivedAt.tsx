/**
 * A pasted token response with a lifetime but no time to count it from: the back end takes it as received now when
 * it is saved, and this says so ("received now, 14:02 — change"), with the time editable before saving.
 */
import { useState } from 'react';
import { useNow } from '../../ui/clock.tsx';
import { formatLocal } from '../../ui/time-format.ts';
import { formatLifetime } from '../../../../shared/time/relative.ts';

/** `datetime-local` wants local wall time without a zone: "2026-12-01T14:02". */
function localInputValue(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${String(d.getFullYear())}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function ReceivedAt({
  lifetimeS,
  receivedAtMs,
  onChange,
}: {
  /** The response's `expires_in`. */
  lifetimeS: number;
  /** null: now (the time of saving). */
  receivedAtMs: number | null;
  onChange: (ms: number | null) => void;
}) {
  const now = useNow();
  const [editing, setEditing] = useState(false);
  return (
    <div className="received-at" data-testid="received-at" data-received={receivedAtMs === null ? 'now' : String(receivedAtMs)}>
      <p>
        The response has a lifetime of {formatLifetime(lifetimeS)} (<code>expires_in</code>) but does not say when it was
        received; saved, its expiry counts from that time:{' '}
        <strong data-testid="received-at-text">
          {receivedAtMs === null ? `received now, ${formatLocal(now)}` : `received ${formatLocal(receivedAtMs)}`}
        </strong>{' '}
        —{' '}
        <button type="button" className="btn small" onClick={() => setEditing((e) => !e)} data-testid="received-at-change">
          change
        </button>
      </p>
      {editing && (
        <p className="field">
          <label htmlFor="received-at-input" className="label">
            Received at (local time)
          </label>
          <input
            id="received-at-input"
            type="datetime-local"
            className="input"
            value={localInputValue(receivedAtMs ?? now)}
            onChange={(e) => {
              const ms = new Date(e.target.value).getTime();
              onChange(Number.isFinite(ms) ? ms : null);
            }}
          />{' '}
          <button type="button" className="btn small" onClick={() => onChange(null)}>
            Now
          </button>
        </p>
      )}
    </div>
  );
}

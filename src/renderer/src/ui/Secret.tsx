/**
 * A secret (a raw token) stays out of the DOM until the user reveals it: only the masked preview is
 * rendered, and Copy fetches the value straight into the clipboard.
 */
import { useState } from 'react';
import type { AppError, Result } from '../../../shared/result.ts';
import { ErrorBanner } from './ErrorBanner.tsx';

export interface SecretProps {
  readonly label: string;
  readonly preview: string;
  /** Loads the full value; absent when the back end cannot provide it. */
  readonly load?: () => Promise<Result<string>>;
}

export function Secret({ label, preview, load }: SecretProps) {
  const [value, setValue] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [copied, setCopied] = useState(false);
  const fetchValue = async (): Promise<string | null> => {
    if (!load) return null;
    const r = await load();
    if (!r.ok) {
      setError(r.error);
      return null;
    }
    setError(null);
    return r.value;
  };
  const toggle = async (): Promise<void> => {
    if (value !== null) {
      setValue(null);
      return;
    }
    setValue(await fetchValue());
  };
  const copy = async (): Promise<void> => {
    const v = value ?? (await fetchValue());
    if (v === null) return;
    try {
      await navigator.clipboard.writeText(v);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setError({ code: 'ERR_FORBIDDEN', message: 'the clipboard is not available here' });
    }
  };
  return (
    <div className="secret">
      <div className="secret-row">
        <code
          className={`secret-value mono ${value === null ? 'masked' : 'revealed'}`}
          data-testid="secret-value"
          aria-label={`${label} (${value === null ? 'masked' : 'revealed'})`}
        >
          {value ?? preview}
        </code>
        {load && (
          <>
            <button type="button" className="btn small" onClick={() => void toggle()} aria-pressed={value !== null}>
              {value === null ? 'Reveal' : 'Hide'}
            </button>
            <button type="button" className="btn small" onClick={() => void copy()}>
              {copied ? 'Copied' : 'Copy'}
            </button>
          </>
        )}
      </div>
      {error && <ErrorBanner error={error} />}
    </div>
  );
}

/** Copies a text the back end built (a curl command) to the clipboard, and says so. */
import { useState } from 'react';

export function CopyButton({
  label,
  text,
  testId,
}: {
  label: string;
  /** The text, or a call that fetches it when the button is pressed. */
  text: string | (() => Promise<string | null>);
  testId?: string;
}) {
  const [said, setSaid] = useState<string | null>(null);
  const copy = async (): Promise<void> => {
    const value = typeof text === 'string' ? text : await text();
    if (value === null) return;
    try {
      await navigator.clipboard.writeText(value);
      setSaid('Copied');
    } catch {
      setSaid('The clipboard is not available here');
    }
    setTimeout(() => setSaid(null), 1500);
  };
  return (
    <>
      <button type="button" className="btn small" onClick={() => void copy()} data-testid={testId}>
        {label}
      </button>
      <span className="muted small" role="status" aria-live="polite">
        {said ?? ''}
      </span>
    </>
  );
}

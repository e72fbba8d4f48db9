/** The inline outcome of an action button: progress, the error code, or a short success line. */
import type { ReactNode } from 'react';
import type { ActionState } from './use-action.ts';
import { ErrorBanner } from './ErrorBanner.tsx';

export function ActionResult<T>({
  action,
  busyText,
  render,
}: {
  action: ActionState<T>;
  busyText: string;
  render: (value: T) => ReactNode;
}) {
  if (action.state === 'idle') return null;
  if (action.state === 'busy')
    return (
      <p className="action-result busy" role="status" aria-live="polite">
        <span className="spinner" aria-hidden="true" /> {busyText}
      </p>
    );
  if (action.state === 'error') return <ErrorBanner error={action.error} />;
  return (
    <div className="action-result ok" role="status" aria-live="polite">
      {render(action.value)}
    </div>
  );
}

/** One way to show an AppError: the stable code and the one-line message, never a stack. */
import type { AppError } from '../../../shared/result.ts';

export function ErrorBanner({ error }: { error: AppError }) {
  return (
    <div className="error-banner" role="alert">
      <code className="error-code">{error.code}</code>
      <span>{error.message}</span>
    </div>
  );
}

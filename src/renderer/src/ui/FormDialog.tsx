/** A dialog around one form and one contract call: Cancel/Done and the submit button below, the call's result under the form. */
import { useId, type ReactNode } from 'react';
import { ActionResult } from './ActionResult.tsx';
import { Dialog } from './Dialog.tsx';
import type { ActionState } from './use-action.ts';

export function FormDialog<T>({
  title,
  testId,
  onClose,
  onSubmit,
  canSubmit,
  submitLabel,
  busyLabel,
  action,
  busyText,
  renderResult,
  children,
}: {
  title: string;
  testId: string;
  onClose: () => void;
  onSubmit: () => void;
  /** False while the form is not complete (the call's own busy state is checked here). */
  canSubmit: boolean;
  /** The submit button's text, and its text while the call runs ("Export", "Exporting…"). */
  submitLabel: string;
  busyLabel: string;
  action: ActionState<T>;
  /** What the result slot says while the call runs. */
  busyText: string;
  renderResult: (value: T) => ReactNode;
  children: ReactNode;
}) {
  const formId = useId();
  return (
    <Dialog
      title={title}
      onClose={onClose}
      testId={testId}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {action.state === 'ok' ? 'Done' : 'Cancel'}
          </button>
          {/* Busy is aria-disabled, not disabled: a disabled button would drop the keyboard focus to <body>. */}
          <button
            type="submit"
            form={formId}
            className="btn primary"
            disabled={!canSubmit}
            aria-disabled={action.state === 'busy' ? true : undefined}
          >
            {action.state === 'busy' ? busyLabel : submitLabel}
          </button>
        </>
      }
    >
      <form
        id={formId}
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          if (canSubmit && action.state !== 'busy') onSubmit();
        }}
      >
        {children}
      </form>
      <ActionResult action={action} busyText={busyText} render={renderResult} />
    </Dialog>
  );
}

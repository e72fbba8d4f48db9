/**
 * A modal dialog on the native <dialog> with showModal(): the browser puts it in the top layer and makes the rest
 * of the page inert; Escape (the dialog's cancel event) and Cancel close it, Tab stays inside, and focus returns to
 * the element that opened it.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';

export interface DialogProps {
  readonly title: string;
  readonly onClose: () => void;
  readonly children: ReactNode;
  readonly footer?: ReactNode;
  readonly testId?: string;
}

/** Open dialogs, innermost last: only the innermost one keeps Tab. */
const openDialogs: HTMLDialogElement[] = [];

const FOCUSABLE = 'button, input, select, textarea, a[href], summary, [tabindex="0"]';

function focusableIn(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => !el.hasAttribute('disabled') && el.getClientRects().length > 0,
  );
}

export function Dialog({ title, onClose, children, footer, testId }: DialogProps) {
  const titleId = useId();
  const box = useRef<HTMLDialogElement>(null);
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  }, [onClose]);
  useEffect(() => {
    const dialog = box.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    // showModal() everywhere it exists (Chromium, Electron); a DOM without it (jsdom in unit tests) gets an open dialog.
    if (!dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    }
    const first = dialog.querySelector<HTMLElement>('input:not([type="hidden"]), select, textarea, button:not(.dialog-close)');
    (first ?? dialog).focus();
    const onCancel = (e: Event): void => {
      // Escape: the owner unmounts the dialog (and so closes it), so one truth says whether it is open.
      e.preventDefault();
      close.current();
    };
    const onKeyDown = (e: KeyboardEvent): void => {
      if (e.key !== 'Tab' || openDialogs[openDialogs.length - 1] !== dialog) return;
      // The page behind is inert; this keeps Tab from leaving the dialog for the browser's own controls.
      const items = focusableIn(dialog);
      const head = items[0];
      const tail = items[items.length - 1];
      if (!head || !tail) return;
      const at = document.activeElement;
      if (e.shiftKey && (at === head || at === dialog || !dialog.contains(at))) {
        e.preventDefault();
        tail.focus();
      } else if (!e.shiftKey && (at === tail || !dialog.contains(at))) {
        e.preventDefault();
        head.focus();
      }
    };
    openDialogs.push(dialog);
    dialog.addEventListener('cancel', onCancel);
    document.addEventListener('keydown', onKeyDown, true);
    return () => {
      openDialogs.splice(openDialogs.indexOf(dialog), 1);
      dialog.removeEventListener('cancel', onCancel);
      document.removeEventListener('keydown', onKeyDown, true);
      if (dialog.open && typeof dialog.close === 'function') dialog.close();
      dialog.removeAttribute('open');
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog className="dialog" aria-labelledby={titleId} ref={box} tabIndex={-1} data-testid={testId}>
      <div className="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="btn ghost dialog-close" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <div className="dialog-body">{children}</div>
      {footer && <div className="dialog-foot">{footer}</div>}
    </dialog>
  );
}

export function ConfirmDialog({
  title,
  message,
  confirmLabel,
  danger,
  onConfirm,
  onCancel,
}: {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Dialog
      title={title}
      onClose={onCancel}
      testId="confirm-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className={`btn ${danger ? 'danger' : 'primary'}`} onClick={onConfirm}>
            {confirmLabel}
          </button>
        </>
      }
    >
      <div>{message}</div>
    </Dialog>
  );
}

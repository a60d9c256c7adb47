// A modal yes/no question on the native <dialog> (showModal gives focus trapping, Escape and the backdrop).

import { type ReactNode, useEffect, useId, useRef } from 'react';
import { Button } from './button.tsx';
import { ErrorAlert } from './error-alert.tsx';

interface ConfirmDialogProps {
  open: boolean;
  /** the question; it is also the dialog's accessible name */
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
  error?: unknown;
}

export function ConfirmDialog(props: ConfirmDialogProps) {
  const { open, title, children, confirmLabel, cancelLabel, onConfirm, onCancel, busy = false, error } = props;
  const dialogRef = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      // The safe answer gets focus, so a stray Enter never destroys anything.
      cancelRef.current?.focus();
    } else if (!open && dialog.open) {
      // close() returns focus to whatever opened the dialog.
      dialog.close();
    }
  }, [open]);

  return (
    <dialog
      ref={dialogRef}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        // Escape: let React state decide, so the dialog and the state never disagree.
        event.preventDefault();
        if (!busy) onCancel();
      }}
    >
      {/* Content only while open: a closed dialog's text would otherwise be part of the page's text. */}
      {open && (
        <>
          <h2 id={titleId} className="dialog__title">
            {title}
          </h2>
          {children}
          <ErrorAlert error={error} />
          <div className="dialog__actions">
            <Button ref={cancelRef} onClick={onCancel} disabled={busy}>
              {cancelLabel}
            </Button>
            <Button variant="danger" onClick={onConfirm} busy={busy}>
              {confirmLabel}
            </Button>
          </div>
        </>
      )}
    </dialog>
  );
}

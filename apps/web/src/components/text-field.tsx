// A labelled input with its inline error underneath, tied together with aria-describedby and aria-invalid.

import { type ComponentPropsWithRef, useId } from 'react';

type TextFieldProps = Omit<ComponentPropsWithRef<'input'>, 'id'> & {
  label: string;
  error?: string | null;
  hint?: string;
  /**
   * Keeps the error's line while there is no error, so one appearing does not push the fields below down
   * (the default). A field with only its button below has nothing to keep in place and can let it go.
   */
  reserveErrorLine?: boolean;
};

export function TextField({ label, error, hint, reserveErrorLine = true, className, ...inputProps }: TextFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={['field', className].filter(Boolean).join(' ')}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
      <input
        id={id}
        className="field__input"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...inputProps}
      />
      {(error || reserveErrorLine) && (
        <p id={errorId} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}

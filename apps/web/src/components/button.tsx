// The one button: a visual variant, and a busy state that keeps its width and says what it is doing.

import type { ComponentPropsWithRef } from 'react';

type ButtonProps = ComponentPropsWithRef<'button'> & {
  variant?: 'primary' | 'secondary' | 'danger' | 'danger-outline' | 'quiet';
  /** disables the button while its action runs; the label stays, so its accessible name does not change */
  busy?: boolean;
};

export function Button({ variant = 'secondary', busy = false, className, disabled, type, ...props }: ButtonProps) {
  return (
    <button
      // A button inside a form submits unless told otherwise; only the explicit submit should.
      type={type ?? 'button'}
      className={['button', `button--${variant}`, className].filter(Boolean).join(' ')}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      {...props}
    />
  );
}

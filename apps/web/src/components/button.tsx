// The one button: a visual variant, and a busy or unavailable state that keeps it where focus can stay.

import type { ComponentPropsWithRef } from 'react';

type ButtonProps = ComponentPropsWithRef<'button'> & {
  variant?: 'primary' | 'secondary' | 'danger' | 'danger-outline' | 'quiet';
  /** presses do nothing while its action runs; the label stays, so its accessible name does not change */
  busy?: boolean;
};

/**
 * A busy or unavailable button is marked aria-disabled, not disabled: a disabled button lets go of keyboard
 * focus the moment it becomes so, which would leave someone serving the line with Enter, or who has just
 * pressed Register, at the top of the page. Presses on it do nothing, and submit no form.
 */
export function Button({
  variant = 'secondary',
  busy = false,
  className,
  disabled,
  type,
  onClick,
  ...props
}: ButtonProps) {
  const unavailable = Boolean(disabled || busy);
  return (
    <button
      // A button inside a form submits unless told otherwise; only the explicit submit should.
      type={type ?? 'button'}
      className={['button', `button--${variant}`, className].filter(Boolean).join(' ')}
      aria-disabled={unavailable || undefined}
      aria-busy={busy || undefined}
      onClick={(event) => {
        if (unavailable) event.preventDefault();
        else onClick?.(event);
      }}
      {...props}
    />
  );
}

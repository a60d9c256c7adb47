// The staff sign-in form: the token as a password field, and why signing in failed or a session ended.

import type { UseMutationResult } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Button } from '../../components/button.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { TextField } from '../../components/text-field.tsx';
import { errorMessage, isApiError } from '../../lib/api-client.ts';

interface StaffSignInProps {
  signIn: UseMutationResult<string, Error, string>;
  notice: string | null;
}

export function StaffSignIn({ signIn, notice }: StaffSignInProps) {
  const headingId = useId();
  const tokenRef = useRef<HTMLInputElement>(null);
  const [token, setToken] = useState('');
  const [missing, setMissing] = useState(false);

  // A token the server refused is a fault in the field, so its message goes there. Anything else (the server
  // unreachable, a token from the start-up link rather than typed) is not about the field: an alert below.
  const refusedHere = isApiError(signIn.error) && signIn.error.isAuthError && signIn.variables === token.trim();
  const fieldError = missing ? 'Enter the staff token' : refusedHere ? errorMessage(signIn.error) : null;

  // Back in the field once its message is there: a screen reader reads the refusal with it, and the token
  // can be typed again at once.
  useEffect(() => {
    if (refusedHere) tokenRef.current?.focus();
  }, [refusedHere]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const trimmed = token.trim();
    setMissing(trimmed === '');
    if (trimmed === '') {
      tokenRef.current?.focus();
      return;
    }
    signIn.mutate(trimmed);
  };

  return (
    <section className="card narrow" aria-labelledby={headingId}>
      <h2 id={headingId}>Sign in</h2>
      <form className="form" onSubmit={submit} noValidate aria-labelledby={headingId}>
        <TextField
          ref={tokenRef}
          label="Staff token"
          type="password"
          name="staff_token"
          autoComplete="current-password"
          hint="The server prints it at start, with a link that signs you in directly."
          value={token}
          error={fieldError}
          // The button follows right under the field: nothing below to keep in place while there is no error.
          reserveErrorLine={false}
          onChange={(event) => {
            setToken(event.target.value);
            if (missing && event.target.value.trim() !== '') setMissing(false);
            // The last answer was about the token as it was.
            if (signIn.error) signIn.reset();
          }}
        />
        <div className="form__actions">
          <Button type="submit" variant="primary" busy={signIn.isPending}>
            Sign in
          </Button>
        </div>
        {signIn.isPending && <p className="muted">Checking the token…</p>}
        {signIn.error
          ? !refusedHere && <ErrorAlert error={signIn.error} />
          : notice && (
              <p role="alert" className="alert">
                {notice}
              </p>
            )}
      </form>
    </section>
  );
}

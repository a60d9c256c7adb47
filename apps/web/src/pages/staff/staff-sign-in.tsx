// The staff sign-in form: the token as a password field, and why signing in failed or a session ended.

import type { UseMutationResult } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { Button } from '../../components/button.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { TextField } from '../../components/text-field.tsx';

interface StaffSignInProps {
  signIn: UseMutationResult<string, Error, string>;
  notice: string | null;
}

export function StaffSignIn({ signIn, notice }: StaffSignInProps) {
  const headingId = useId();
  const [token, setToken] = useState('');
  const [missing, setMissing] = useState(false);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const trimmed = token.trim();
    setMissing(trimmed === '');
    if (trimmed !== '') signIn.mutate(trimmed);
  };

  return (
    <section className="card narrow" aria-labelledby={headingId}>
      <h2 id={headingId}>Sign in</h2>
      <form className="form" onSubmit={submit} noValidate aria-labelledby={headingId}>
        <TextField
          label="Staff token"
          type="password"
          name="staff_token"
          autoComplete="current-password"
          hint="The server prints it at start, with a link that signs you in directly."
          value={token}
          error={missing ? 'Enter the staff token' : null}
          onChange={(event) => {
            setToken(event.target.value);
            if (missing && event.target.value.trim() !== '') setMissing(false);
          }}
        />
        <div className="form__actions">
          <Button type="submit" variant="primary" busy={signIn.isPending}>
            Sign in
          </Button>
        </div>
        {signIn.isPending && <p className="muted">Checking the token…</p>}
        {signIn.error ? (
          <ErrorAlert error={signIn.error} />
        ) : (
          notice && (
            <p role="alert" className="alert">
              {notice}
            </p>
          )
        )}
      </form>
    </section>
  );
}

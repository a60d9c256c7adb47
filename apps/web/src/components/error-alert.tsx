// An API failure shown to people: the server's own sentence in a role="alert", nothing when all is well.

import { errorMessage } from '../lib/api-client.ts';

export function ErrorAlert({ error, className }: { error: unknown; className?: string }) {
  if (error === null || error === undefined) return null;
  return (
    <p role="alert" className={['alert', className].filter(Boolean).join(' ')}>
      {errorMessage(error)}
    </p>
  );
}

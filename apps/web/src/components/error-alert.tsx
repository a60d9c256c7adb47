// An API failure shown to people: the server's own sentence in a role="alert", nothing when all is well.

import { errorMessage, isUnreachable } from '../lib/api-client.ts';

export function ErrorAlert({ error, className }: { error: unknown; className?: string }) {
  if (error === null || error === undefined) return null;
  return (
    <p role="alert" className={['alert', className].filter(Boolean).join(' ')}>
      {errorMessage(error)}
    </p>
  );
}

/**
 * The error of data the page loads and reloads by itself (a query). A lost connection is left to the page's
 * ConnectionBanner, as the query tries again on its own; what the server itself said is shown here.
 */
export function QueryErrorAlert({ error, className }: { error: unknown; className?: string }) {
  return isUnreachable(error) ? null : <ErrorAlert error={error} className={className} />;
}

// The error an action (a mutation) shows, less a "Cannot reach the server" that a later answer has disproved.

import { useState } from 'react';
import { isUnreachable } from './api-client.ts';
import { useLastAnswerAt } from './use-connection.ts';

/**
 * "Cannot reach the server" describes the connection at the time of the attempt. Once a later request of
 * the page (a poll) gets an answer it is no longer true, and left on screen it would make the page look
 * offline, so it goes. A refusal from the server itself stays until the next attempt replaces it.
 */
export function useActionError(error: unknown): unknown {
  const answeredAt = useLastAnswerAt();
  // The time of the last answer when this error appeared: a newer one means the server has answered since.
  const [appeared, setAppeared] = useState({ error, answeredAt });
  if (appeared.error !== error) {
    // State that follows a value is updated while rendering, as React recommends over an effect.
    setAppeared({ error, answeredAt });
    return error;
  }
  return isUnreachable(error) && answeredAt > appeared.answeredAt ? null : error;
}

/**
 * The error an action shows (useActionError), and whether the action may have been carried out unseen: no
 * answer came, and the server has answered the page since, so "Cannot reach the server" is gone while what
 * the press did is still unknown. The page then says so, and that pressing again is safe (RetryKeys).
 */
export function useUnansweredAction(error: unknown): { error: unknown; maybeDone: boolean } {
  const shown = useActionError(error);
  return { error: shown, maybeDone: isUnreachable(error) && !shown };
}

// The error an action (a mutation) shows, less a "Cannot reach the server" that a later answer has disproved.

import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState, useSyncExternalStore } from 'react';
import { isApiError } from './api-client.ts';

/**
 * "Cannot reach the server" describes the connection at the time of the attempt. Once a later request of
 * the page (a poll) gets an answer it is no longer true, and left on screen it would make the page look
 * offline, so it goes. A refusal from the server itself stays until the next attempt replaces it.
 */
export function useActionError(error: unknown): unknown {
  // Only such an error can be disproved, so only it watches the page's answers.
  const unreachable = isApiError(error) && error.isUnreachable;
  const answeredAt = useLastAnswerAt(unreachable);
  // The time of the last answer when this error appeared: a newer one means the server has answered since.
  const [appeared, setAppeared] = useState({ error, answeredAt });
  if (appeared.error !== error) {
    // State that follows a value is updated while rendering, as React recommends over an effect.
    setAppeared({ error, answeredAt });
    return error;
  }
  return unreachable && answeredAt > appeared.answeredAt ? null : error;
}

/**
 * When the server last answered one of the page's queries: the newest `dataUpdatedAt` in the query cache.
 * Only while `watching`: otherwise 0, without following the cache.
 */
function useLastAnswerAt(watching: boolean): number {
  const cache = useQueryClient().getQueryCache();
  const subscribe = useCallback(
    (listener: () => void) => (watching ? cache.subscribe(listener) : () => {}),
    [cache, watching],
  );
  const latest = useCallback(
    () => (watching ? cache.getAll().reduce((newest, query) => Math.max(newest, query.state.dataUpdatedAt), 0) : 0),
    [cache, watching],
  );
  return useSyncExternalStore(subscribe, latest, latest);
}

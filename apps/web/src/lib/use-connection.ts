// What the page's queries say about the connection to the server: when it last answered, and whether it
// has stopped answering since.

import { notifyManager, type Query, useQueryClient } from '@tanstack/react-query';
import { useCallback, useSyncExternalStore } from 'react';
import { isUnreachable } from './api-client.ts';

/** A value read from every query in the cache, read again whenever one of them changes. */
function useFromQueries<T>(read: (queries: Query[]) => T): T {
  const cache = useQueryClient().getQueryCache();
  // Through the notify manager, as React Query's own hooks do: the cache also changes while a component
  // renders (a query created by useQuery), and re-rendering this one at that moment is not allowed.
  const subscribe = useCallback((listener: () => void) => cache.subscribe(notifyManager.batchCalls(listener)), [cache]);
  const snapshot = useCallback(() => read(cache.getAll()), [cache, read]);
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}

const lastAnswerAt = (queries: Query[]) =>
  queries.reduce((newest, query) => Math.max(newest, query.state.dataUpdatedAt), 0);

/** When the server last answered one of the page's queries: the newest `dataUpdatedAt` in the query cache. */
export function useLastAnswerAt(): number {
  return useFromQueries(lastAnswerAt);
}

/** True when a query found the server unreachable and none has been answered since. */
function connectionLost(queries: Query[]): boolean {
  let failedAt = 0;
  for (const { state } of queries) {
    if (isUnreachable(state.error)) failedAt = Math.max(failedAt, state.errorUpdatedAt);
  }
  return failedAt > lastAnswerAt(queries);
}

export function useConnectionLost(): boolean {
  return useFromQueries(connectionLost);
}

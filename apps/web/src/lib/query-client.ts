// React Query defaults for the whole client, and the one place a rejected staff token ends the session.

import { type DefaultOptions, MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from './api-client.ts';
import { signOutStaff } from './staff-session.ts';

declare module '@tanstack/react-query' {
  interface Register {
    /** `staffAuth`: the call carries the staff token, so a 401/403 means the session is over */
    queryMeta: { staffAuth?: boolean };
    mutationMeta: { staffAuth?: boolean };
  }
}

/** Keys of everything that needs the staff token; dropped from the cache on sign-out. */
export const STAFF_QUERY_ROOTS = ['queue', 'transactions'] as const;

function shouldRetry(failureCount: number, error: unknown): boolean {
  // A 4xx will say the same thing again; only lost connections and server hiccups are worth a retry.
  if (isApiError(error) && !error.isNetworkError && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(overrides: DefaultOptions = {}): QueryClient {
  const endStaffSession = (error: unknown, staffAuth: boolean | undefined) => {
    if (!staffAuth || !isApiError(error) || !error.isAuthError) return;
    signOutStaff(`You were signed out: ${error.message}`);
    for (const root of STAFF_QUERY_ROOTS) client.removeQueries({ queryKey: [root] });
  };

  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => endStaffSession(error, query.meta?.staffAuth) }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _result, mutation) => endStaffSession(error, mutation.meta?.staffAuth),
    }),
    defaultOptions: {
      ...overrides,
      queries: {
        // Polled data is replaced every few seconds anyway; this only avoids double fetches on mount.
        staleTime: 1_000,
        retry: shouldRetry,
        refetchIntervalInBackground: false,
        ...overrides.queries,
      },
      // A repeated purchase or cancel must be the person's decision, not the library's.
      mutations: { retry: false, ...overrides.mutations },
    },
  });
  return client;
}

// Signing staff in: the token is tried against the API before it is kept, whether typed or from the start-up link.

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { fetchQueue, queueQueryOptions } from '../../api/queue.ts';
import { signInStaff } from '../../lib/staff-session.ts';

/** How many entries of each queue and waitlist the dashboard lists. */
export const QUEUE_LIMIT = 100;

export function useStaffSignIn() {
  const client = useQueryClient();
  const signIn = useMutation({
    mutationKey: ['staff-sign-in'],
    mutationFn: async (token: string) => {
      const params = { token, limit: QUEUE_LIMIT };
      // Any staff-only read proves the token; the queue is what the dashboard shows first anyway.
      const queue = await fetchQueue(params);
      client.setQueryData(queueQueryOptions(params).queryKey, queue);
      return token;
    },
    onSuccess: (token) => signInStaff(token),
  });
  const { mutate } = signIn;

  // The server prints /staff#token=… at start. Take the token and wipe it from the address bar (and so
  // from history and screenshots) before anything else happens. Pasting the link into a tab that is
  // already on /staff changes only the hash, hence the hashchange listener.
  useEffect(() => {
    const signInFromHash = () => {
      const token = readTokenFromHash(window.location.hash);
      if (token === null) return;
      window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
      mutate(token);
    };
    signInFromHash();
    window.addEventListener('hashchange', signInFromHash);
    return () => window.removeEventListener('hashchange', signInFromHash);
  }, [mutate]);

  return signIn;
}

export function readTokenFromHash(hash: string): string | null {
  if (!hash.startsWith('#')) return null;
  const token = new URLSearchParams(hash.slice(1)).get('token');
  return token?.trim() ? token.trim() : null;
}

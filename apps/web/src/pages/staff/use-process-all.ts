// "Process all": serve the head of the line again and again until it is empty or staff press Stop.

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ProcessUpdateItem } from '@ticketing/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { invalidateAfterProcessing, processNextMutationOptions } from '../../api/process-next.ts';
import { queueQueryOptions } from '../../api/queue.ts';
import { QUEUE_LIMIT } from './use-staff-sign-in.ts';

export interface ProcessAllState {
  running: boolean;
  stopping: boolean;
  done: number;
  /** the line's length when the run started; grows if people joined and were served too */
  total: number;
  last: ProcessUpdateItem | null;
  /** why the run ended, once it has */
  outcome: 'emptied' | 'stopped' | 'failed' | null;
  error: unknown;
}

const IDLE: ProcessAllState = {
  running: false,
  stopping: false,
  done: 0,
  total: 0,
  last: null,
  outcome: null,
  error: null,
};

export function useProcessAll(token: string) {
  const client = useQueryClient();
  const [state, setState] = useState<ProcessAllState>(IDLE);
  const stopRequested = useRef(false);
  // One request per ticket through the mutation cache (so a rejected token signs out as everywhere else),
  // without the per-ticket refetch of every list: that happens once, at the end.
  const { mutateAsync: serveNext } = useMutation({ ...processNextMutationOptions(), onSuccess: undefined });

  // Leaving the page (or signing out) stops the run after the request in flight.
  useEffect(
    () => () => {
      stopRequested.current = true;
    },
    [],
  );

  const start = useCallback(async () => {
    stopRequested.current = false;
    setState({ ...IDLE, running: true });
    let done = 0;
    let outcome: ProcessAllState['outcome'] = 'emptied';
    let error: unknown = null;
    try {
      const queue = await client.fetchQuery({ ...queueQueryOptions({ token, limit: QUEUE_LIMIT }), staleTime: 0 });
      const total = queue.totals['VIP Queue'] + queue.totals['Regular Queue'];
      setState((s) => ({ ...s, total }));
      while (true) {
        if (stopRequested.current) {
          outcome = 'stopped';
          break;
        }
        const result = await serveNext(token);
        if (result.processed === null) break;
        done += 1;
        const last = result.processed;
        setState((s) => ({ ...s, done, total: Math.max(s.total, done), last }));
      }
    } catch (caught) {
      outcome = 'failed';
      error = caught;
    } finally {
      setState((s) => ({ ...s, running: false, stopping: false, outcome, error }));
      invalidateAfterProcessing(client);
    }
  }, [client, serveNext, token]);

  const stop = useCallback(() => {
    stopRequested.current = true;
    setState((s) => ({ ...s, stopping: true }));
  }, []);

  return { state, start, stop };
}

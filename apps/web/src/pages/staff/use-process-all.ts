// "Process all": serve the head of the line again and again until it is empty or staff press Stop, with a few
// requests in flight at once.

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { invalidateAfterProcessing, processAllMutationOptions } from '../../api/process-next.ts';
import { queueQueryOptions } from '../../api/queue.ts';
import { QUEUE_LIMIT } from './use-staff-sign-in.ts';

export interface ProcessAllState {
  running: boolean;
  stopping: boolean;
  done: number;
  /** the line's length when the run started; grows if people joined and were served too */
  total: number;
  /** why the run ended, once it has */
  outcome: 'emptied' | 'stopped' | 'failed' | null;
  error: unknown;
}

const IDLE: ProcessAllState = {
  running: false,
  stopping: false,
  done: 0,
  total: 0,
  outcome: null,
  error: null,
};

/**
 * Requests kept in flight. Each one mostly waits on the network and for the server to make its change
 * durable (which it does for the changes it holds together), so a few at once serve the line several times
 * as fast as one at a time; still in the line's order, since each serves whoever is at its head when it
 * arrives. A browser opens at most six connections to a server over HTTP/1.1: one is left for the page's
 * own polls.
 */
const IN_FLIGHT = 5;

export function useProcessAll(token: string) {
  const client = useQueryClient();
  const [state, setState] = useState<ProcessAllState>(IDLE);
  const stopRequested = useRef(false);
  // One request per ticket through the mutation cache, so a rejected token signs out as everywhere else.
  const { mutateAsync: serveNext } = useMutation(processAllMutationOptions());

  // Leaving the page (or signing out) stops the run once the requests in flight are answered.
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
    let emptied = false;
    let failure: { error: unknown } | undefined;
    try {
      const queue = await client.fetchQuery({ ...queueQueryOptions({ token, limit: QUEUE_LIMIT }), staleTime: 0 });
      const total = queue.totals['VIP Queue'] + queue.totals['Regular Queue'];
      setState((s) => ({ ...s, total }));
      await new Promise<void>((finished) => {
        let inFlight = 0;
        const launch = () => {
          // One request at first and one more with each person served, up to IN_FLIGHT: a Stop pressed at
          // once leaves one request to finish, not a handful.
          while (!(emptied || failure || stopRequested.current) && inFlight < Math.min(IN_FLIGHT, done + 1)) {
            inFlight += 1;
            serveNext(token)
              .then(
                (result) => {
                  if (result.processed === null) {
                    emptied = true;
                    return;
                  }
                  done += 1;
                  setState((s) => ({ ...s, done, total: Math.max(s.total, done) }));
                },
                (error: unknown) => {
                  failure ??= { error };
                },
              )
              .finally(() => {
                inFlight -= 1;
                launch();
              });
          }
          if (inFlight === 0) finished();
        };
        launch();
      });
    } catch (error) {
      failure = { error };
    } finally {
      const outcome = failure ? 'failed' : emptied ? 'emptied' : 'stopped';
      setState((s) => ({ ...s, running: false, stopping: false, outcome, error: failure?.error ?? null }));
      invalidateAfterProcessing(client);
    }
  }, [client, serveNext, token]);

  const stop = useCallback(() => {
    stopRequested.current = true;
    setState((s) => ({ ...s, stopping: true }));
  }, []);

  /** Forgets how the last run ended, once something else has happened since. */
  const dismiss = useCallback(() => setState((s) => (s.running ? s : IDLE)), []);

  return { state, start, stop, dismiss };
}

// POST /api/process_next — staff serve the head of the line, one ticket per call.

import { mutationOptions, type QueryClient, useMutation } from '@tanstack/react-query';
import type { ProcessNextResponse } from '@ticketing/shared';
import { apiRequest, newIdempotencyKey } from '../lib/api-client.ts';
import { RetryKeys } from '../lib/retry-keys.ts';
import { AVAILABILITY_ROOT } from './availability.ts';
import { QUEUE_ROOT } from './queue.ts';
import { SUMMARY_ROOT } from './summary.ts';
import { TICKETS_ROOT } from './ticket.ts';
import { TRANSACTIONS_ROOT } from './transactions.ts';

export interface ProcessNextResult extends ProcessNextResponse {
  /** the answer to an earlier request under the same key, sent again: this request served nobody */
  replayed: boolean;
}

export async function processNext(token: string, idempotencyKey = newIdempotencyKey()): Promise<ProcessNextResult> {
  const response = await apiRequest('/api/process_next', {
    method: 'POST',
    body: {},
    token,
    headers: { 'Idempotency-Key': idempotencyKey },
  });
  const answer = (await response.json()) as ProcessNextResponse;
  return { ...answer, replayed: response.headers.get('Idempotent-Replayed') === 'true' };
}

/** What serving a ticket changes; "Process all" calls it once at the end rather than after every ticket. */
export function invalidateAfterProcessing(client: QueryClient): void {
  void client.invalidateQueries({ queryKey: [TICKETS_ROOT] });
  void client.invalidateQueries({ queryKey: [AVAILABILITY_ROOT] });
  void client.invalidateQueries({ queryKey: [SUMMARY_ROOT] });
  void client.invalidateQueries({ queryKey: [QUEUE_ROOT] });
  void client.invalidateQueries({ queryKey: [TRANSACTIONS_ROOT] });
}

/**
 * Process next's presses: pressing it again after a press that got no definite answer gets that press's answer
 * rather than serving a second person.
 */
const serveNextKeys = new RetryKeys();

export function processNextMutationOptions() {
  return mutationOptions({
    mutationKey: ['process-next'],
    mutationFn: (token: string) => processNext(token, serveNextKeys.keyFor(token)),
    onSettled: (_result, error) => serveNextKeys.settled(error),
    onSuccess: (_result, _token, _r, { client }) => invalidateAfterProcessing(client),
    meta: { staffAuth: true },
  });
}

/**
 * Process all's requests: each under a key of its own, since several are in flight at once, and a run that
 * stopped on an unanswered one is meant to go on serving the line, not to repeat that one. The lists are
 * refetched once, when the run ends, rather than after every ticket.
 */
export function processAllMutationOptions() {
  return mutationOptions({
    mutationKey: ['process-all'],
    // A Process next press left unanswered is superseded: pressed again after this run, it must serve whoever
    // is next then, not bring back the answer to a press from before the run.
    onMutate: () => serveNextKeys.forget(),
    mutationFn: (token: string) => processNext(token),
    meta: { staffAuth: true },
  });
}

export function useProcessNext() {
  return useMutation(processNextMutationOptions());
}

// POST /api/process_user — "Purchase": serves the line in priority order up to and including my ticket.

import { mutationOptions, useMutation } from '@tanstack/react-query';
import type { ProcessUserResponse, Ticket } from '@ticketing/shared';
import { useState } from 'react';
import { apiJson, newIdempotencyKey } from '../lib/api-client.ts';
import { RetryKeys } from '../lib/retry-keys.ts';
import { AVAILABILITY_ROOT } from './availability.ts';
import { QUEUE_ROOT } from './queue.ts';
import { SUMMARY_ROOT } from './summary.ts';
import { TICKETS_ROOT, type TicketParams, ticketQueryOptions } from './ticket.ts';
import { TRANSACTIONS_ROOT } from './transactions.ts';

export function processUser({ id, token }: TicketParams, idempotencyKey = newIdempotencyKey()) {
  return apiJson<ProcessUserResponse>('/api/process_user', {
    method: 'POST',
    body: { id },
    token,
    headers: { 'Idempotency-Key': idempotencyKey },
  });
}

export function processUserMutationOptions() {
  // Purchasing again after a press that got no definite answer gets that purchase's answer.
  const keys = new RetryKeys();
  return mutationOptions({
    mutationKey: ['process-user'],
    mutationFn: (params: TicketParams) => processUser(params, keys.keyFor(params)),
    onSettled: (_result, error) => keys.settled(error),
    onSuccess: (result, params, _r, { client }) => {
      client.setQueryData<Ticket>(ticketQueryOptions(params).queryKey, result.ticket);
      // Everyone ahead was served too, and some of them may be other tickets held in this browser.
      void client.invalidateQueries({ queryKey: [TICKETS_ROOT] });
      void client.invalidateQueries({ queryKey: [AVAILABILITY_ROOT] });
      void client.invalidateQueries({ queryKey: [SUMMARY_ROOT] });
      void client.invalidateQueries({ queryKey: [QUEUE_ROOT] });
      void client.invalidateQueries({ queryKey: [TRANSACTIONS_ROOT] });
    },
  });
}

export function useProcessUser() {
  const [options] = useState(processUserMutationOptions);
  return useMutation(options);
}

// POST /api/register — a new ticket; the answer carries the owner's token, which is shown only this once.

import { mutationOptions, useMutation } from '@tanstack/react-query';
import type { RegisterBody, RegisterResponse, Ticket } from '@ticketing/shared';
import { useState } from 'react';
import { apiJson, newIdempotencyKey } from '../lib/api-client.ts';
import { inSessionStorage, RetryKeys } from '../lib/retry-keys.ts';
import { addStoredTicket } from '../lib/tickets-storage.ts';
import { QUEUE_ROOT } from './queue.ts';
import { SUMMARY_ROOT } from './summary.ts';
import { ticketQueryOptions } from './ticket.ts';

export function registerTicket(body: RegisterBody, idempotencyKey = newIdempotencyKey()): Promise<RegisterResponse> {
  return apiJson<RegisterResponse>('/api/register', {
    method: 'POST',
    body,
    headers: { 'Idempotency-Key': idempotencyKey },
  });
}

const REGISTER_RETRY_ITEM = 'ticketing.register-retry';

export function registerMutationOptions() {
  // Registering again after a press that got no definite answer must not make a second ticket, even when
  // the page was reloaded in between (the key waits in this tab's sessionStorage).
  const keys = new RetryKeys(inSessionStorage(REGISTER_RETRY_ITEM));
  return mutationOptions({
    mutationKey: ['register'],
    mutationFn: (body: RegisterBody) => registerTicket(body, keys.keyFor(body)),
    onSettled: (_registered, error) => keys.settled(error),
    onSuccess: (registered, _body, _result, { client }) => {
      // The answer is already the ticket: seed its query so the card shows without a second request.
      const { token, current_queue_length: _length, ...ticket } = registered;
      client.setQueryData<Ticket>(ticketQueryOptions({ id: ticket.id, token }).queryKey, ticket);
      // Kept here rather than by the form, so that it is kept even if the person left the page meanwhile: the
      // token is in this answer only.
      addStoredTicket({ id: ticket.id, token });
      // A registration lengthens the line; seats left do not change until someone is served.
      void client.invalidateQueries({ queryKey: [SUMMARY_ROOT] });
      void client.invalidateQueries({ queryKey: [QUEUE_ROOT] });
    },
  });
}

export function useRegister() {
  const [options] = useState(registerMutationOptions);
  return useMutation(options);
}

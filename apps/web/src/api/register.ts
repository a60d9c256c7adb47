// POST /api/register — a new ticket; the answer carries the owner's token, which is shown only this once.

import { mutationOptions, useMutation } from '@tanstack/react-query';
import type { RegisterBody, RegisterResponse, Ticket } from '@ticketing/shared';
import { apiJson, newIdempotencyKey } from '../lib/api-client.ts';
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

export function registerMutationOptions() {
  return mutationOptions({
    mutationKey: ['register'],
    mutationFn: (body: RegisterBody) => registerTicket(body),
    onSuccess: (registered, _body, _result, { client }) => {
      // The answer is already the ticket: seed its query so the card shows without a second request.
      const { token, current_queue_length: _length, ...ticket } = registered;
      client.setQueryData<Ticket>(ticketQueryOptions({ id: ticket.id, token }).queryKey, ticket);
      // A registration lengthens the line; seats left do not change until someone is served.
      void client.invalidateQueries({ queryKey: [SUMMARY_ROOT] });
      void client.invalidateQueries({ queryKey: [QUEUE_ROOT] });
    },
  });
}

export function useRegister() {
  return useMutation(registerMutationOptions());
}

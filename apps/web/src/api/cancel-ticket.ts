// DELETE /api/cancel_ticket — cancels a ticket (its owner or staff); a freed seat goes to the waitlist first.

import { mutationOptions, useMutation } from '@tanstack/react-query';
import type { CancelResponse, Ticket, TicketStatus } from '@ticketing/shared';
import { ApiError, apiJson } from '../lib/api-client.ts';
import { AVAILABILITY_ROOT } from './availability.ts';
import { QUEUE_ROOT } from './queue.ts';
import { SUMMARY_ROOT } from './summary.ts';
import { TICKETS_ROOT, ticketQueryOptions } from './ticket.ts';
import { TRANSACTIONS_ROOT } from './transactions.ts';

export interface CancelTicketParams {
  id: string;
  /** the owner's token, or the staff token */
  token: string;
  /** marks a staff call, so a rejected staff token ends the staff session */
  asStaff?: boolean;
  /** the status the person confirming was shown: a ticket served or promoted meanwhile is not cancelled */
  expectedStatus?: TicketStatus;
}

export function cancelTicket({ id, token, expectedStatus }: CancelTicketParams): Promise<CancelResponse> {
  const body = expectedStatus ? { id, expected_status: expectedStatus } : { id };
  return apiJson<CancelResponse>('/api/cancel_ticket', { method: 'DELETE', body, token });
}

function cancelMutationOptions(staffAuth: boolean) {
  return mutationOptions({
    mutationKey: ['cancel-ticket'],
    mutationFn: (params: CancelTicketParams) => cancelTicket(params),
    onSuccess: async (result, params, _r, { client }) => {
      // The owner's view of the ticket is the answer itself; staff cancelling someone else's ticket
      // refresh whatever copy this browser may hold.
      if (params.asStaff) void client.invalidateQueries({ queryKey: [TICKETS_ROOT, params.id] });
      else {
        // A poll sent before the cancellation and answered after it would bring the ticket back as it was.
        const { queryKey } = ticketQueryOptions(params);
        await client.cancelQueries({ queryKey });
        client.setQueryData<Ticket>(queryKey, result.ticket);
      }
      // A promoted waitlister may be another ticket held in this browser.
      if (result.promoted) void client.invalidateQueries({ queryKey: [TICKETS_ROOT, result.promoted.id] });
      void client.invalidateQueries({ queryKey: [AVAILABILITY_ROOT] });
      void client.invalidateQueries({ queryKey: [SUMMARY_ROOT] });
      void client.invalidateQueries({ queryKey: [QUEUE_ROOT] });
      void client.invalidateQueries({ queryKey: [TRANSACTIONS_ROOT] });
    },
    onError: (error, params, _r, { client }) => {
      // Served or promoted since it was shown: show where it is now, so the question can be asked again.
      if (error instanceof ApiError && error.code === 'STATUS_CHANGED') {
        void client.invalidateQueries({ queryKey: [TICKETS_ROOT, params.id] });
        void client.invalidateQueries({ queryKey: [QUEUE_ROOT] });
      }
    },
    meta: { staffAuth },
  });
}

export function cancelTicketMutationOptions() {
  return cancelMutationOptions(false);
}

export function staffCancelTicketMutationOptions() {
  return cancelMutationOptions(true);
}

export function useCancelTicket() {
  return useMutation(cancelTicketMutationOptions());
}

export function useStaffCancelTicket() {
  return useMutation(staffCancelTicketMutationOptions());
}

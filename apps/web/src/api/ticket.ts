// GET /api/tickets/:id — one ticket as its owner sees it, polled while it can still change.

import { type Query, queryOptions, useQuery } from '@tanstack/react-query';
import type { Ticket, TicketStatus } from '@ticketing/shared';
import { apiJson, isApiError } from '../lib/api-client.ts';

/** Every cached ticket lives under this root, so a change that moves the line can refresh them all. */
export const TICKETS_ROOT = 'tickets';

export interface TicketParams {
  id: string;
  /** the owner's token, or the staff token */
  token: string;
}

export function fetchTicket({ id, token }: TicketParams, signal?: AbortSignal): Promise<Ticket> {
  return apiJson<Ticket>(`/api/tickets/${encodeURIComponent(id)}`, { token, signal });
}

// A queued ticket moves whenever anyone is served; a waitlisted one only when a seat frees up; a
// confirmed one only if staff cancel it; a cancelled one never again.
const POLL_MS: Record<TicketStatus, number | false> = {
  Queued: 3_000,
  'Sold Out': 5_000,
  Confirmed: 15_000,
  Cancelled: false,
};

export function ticketQueryOptions(params: TicketParams) {
  return queryOptions({
    queryKey: [TICKETS_ROOT, params.id, { token: params.token }] as const,
    queryFn: ({ signal }) => fetchTicket(params, signal),
    refetchInterval: (query) => {
      const error = query.state.error;
      // The server will not change its mind about an unknown ticket or a wrong token.
      if (isApiError(error) && [401, 403, 404].includes(error.status)) return false;
      const status = query.state.data?.status;
      return status ? POLL_MS[status] : 3_000;
    },
  });
}

/** Every cached ticket read with this token (by its owner, or by staff looking it up). */
export function ticketsReadWith(token: string) {
  return {
    queryKey: [TICKETS_ROOT],
    predicate: (query: Query) => (query.queryKey[2] as { token?: string } | undefined)?.token === token,
  };
}

export function useTicket(params: TicketParams) {
  return useQuery(ticketQueryOptions(params));
}

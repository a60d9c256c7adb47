// GET /api/transactions — the transaction log for staff, newest first, searchable and paged.

import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { TicketStatus, TicketType, TransactionsResponse } from '@ticketing/shared';
import { apiJson } from '../lib/api-client.ts';

export const TRANSACTIONS_ROOT = 'transactions';

export interface TransactionsParams {
  token: string;
  /** part of a name, or a ticket id */
  q: string;
  /** only events of this ticket type, and that left their ticket in this status; all when undefined */
  ticketType?: TicketType | undefined;
  status?: TicketStatus | undefined;
  limit: number;
  offset: number;
  /** only events up to this seq, so a page beyond the first holds still while the sale goes on */
  upToSeq?: number | undefined;
}

export function fetchTransactions(
  { token, q, ticketType, status, limit, offset, upToSeq }: TransactionsParams,
  signal?: AbortSignal,
): Promise<TransactionsResponse> {
  const query = new URLSearchParams({ limit: String(limit), offset: String(offset) });
  if (q.trim() !== '') query.set('q', q.trim());
  if (ticketType) query.set('ticket_type', ticketType);
  if (status) query.set('status', status);
  if (upToSeq !== undefined) query.set('up_to_seq', String(upToSeq));
  return apiJson<TransactionsResponse>(`/api/transactions?${query}`, { token, signal });
}

export function transactionsQueryOptions(params: TransactionsParams) {
  return queryOptions({
    queryKey: [TRANSACTIONS_ROOT, params] as const,
    queryFn: ({ signal }) => fetchTransactions(params, signal),
    // A page held at a seq cannot change: only the live one is polled.
    refetchInterval: params.upToSeq === undefined ? 5_000 : false,
    // Keep the current page on screen while the next search or page loads, so the table does not jump.
    placeholderData: keepPreviousData,
    meta: { staffAuth: true },
  });
}

export function useTransactions(params: TransactionsParams) {
  return useQuery(transactionsQueryOptions(params));
}

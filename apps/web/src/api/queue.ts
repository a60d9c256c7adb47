// GET /queue — both queues and both waitlists, for staff.

import { queryOptions, useQuery } from '@tanstack/react-query';
import type { QueueResponse } from '@ticketing/shared';
import { apiJson } from '../lib/api-client.ts';

export const QUEUE_ROOT = 'queue';

export interface QueueParams {
  token: string;
  /** entries per list; the response's totals give the full lengths */
  limit: number;
}

export function fetchQueue({ token, limit }: QueueParams, signal?: AbortSignal): Promise<QueueResponse> {
  return apiJson<QueueResponse>(`/queue?limit=${limit}`, { token, signal });
}

export function queueQueryOptions(params: QueueParams) {
  return queryOptions({
    queryKey: [QUEUE_ROOT, params] as const,
    queryFn: ({ signal }) => fetchQueue(params, signal),
    refetchInterval: 2_000,
    meta: { staffAuth: true },
  });
}

export function useQueue(params: QueueParams) {
  return useQuery(queueQueryOptions(params));
}

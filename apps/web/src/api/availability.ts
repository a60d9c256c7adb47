// GET /availability — seats left per ticket type, for anyone.

import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Availability } from '@ticketing/shared';
import { useCallback } from 'react';
import { apiJson } from '../lib/api-client.ts';

export const AVAILABILITY_ROOT = 'availability';

export function fetchAvailability(signal?: AbortSignal): Promise<Availability> {
  return apiJson<Availability>('/availability', { signal });
}

export function availabilityQueryOptions() {
  return queryOptions({
    queryKey: [AVAILABILITY_ROOT] as const,
    queryFn: ({ signal }) => fetchAvailability(signal),
    refetchInterval: 5_000,
  });
}

export function useAvailability() {
  return useQuery(availabilityQueryOptions());
}

/** A stable callback that fetches the seats left now, rather than at the next poll. */
export function useRefreshAvailability(): () => void {
  const client = useQueryClient();
  return useCallback(() => void client.invalidateQueries({ queryKey: [AVAILABILITY_ROOT] }), [client]);
}

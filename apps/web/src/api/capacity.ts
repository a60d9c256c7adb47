// PUT /api/capacity — staff change the seats per type; never below seats sold, and added seats go to the waitlist.

import { mutationOptions, useMutation } from '@tanstack/react-query';
import type { CapacityBody, CapacityResponse } from '@ticketing/shared';
import { apiJson } from '../lib/api-client.ts';
import { AVAILABILITY_ROOT } from './availability.ts';
import { QUEUE_ROOT } from './queue.ts';
import { SUMMARY_ROOT, type SummarySnapshot } from './summary.ts';
import { TICKETS_ROOT } from './ticket.ts';
import { TRANSACTIONS_ROOT } from './transactions.ts';

export interface CapacityParams {
  token: string;
  capacities: CapacityBody;
}

export function updateCapacity({ token, capacities }: CapacityParams): Promise<CapacityResponse> {
  return apiJson<CapacityResponse>('/api/capacity', { method: 'PUT', body: capacities, token });
}

export function capacityMutationOptions() {
  return mutationOptions({
    mutationKey: ['capacity'],
    mutationFn: (params: CapacityParams) => updateCapacity(params),
    onSuccess: async ({ promoted: _promoted, ...summary }, _params, _r, { client }) => {
      // The answer is the new summary; without its ETag the next poll simply fetches it in full. A poll sent
      // before the change and answered after it (a 304 for the summary before) would put the old one back.
      await client.cancelQueries({ queryKey: [SUMMARY_ROOT] });
      client.setQueryData<SummarySnapshot>([SUMMARY_ROOT], { summary, etag: null });
      // Added seats may have confirmed waitlisted tickets.
      void client.invalidateQueries({ queryKey: [TICKETS_ROOT] });
      void client.invalidateQueries({ queryKey: [AVAILABILITY_ROOT] });
      void client.invalidateQueries({ queryKey: [QUEUE_ROOT] });
      void client.invalidateQueries({ queryKey: [TRANSACTIONS_ROOT] });
    },
    meta: { staffAuth: true },
  });
}

export function useUpdateCapacity() {
  return useMutation(capacityMutationOptions());
}

// GET /summary_data — the live sales summary, polled cheaply: the last ETag goes back as If-None-Match
// and an unchanged summary answers 304 with no body, in which case the data we already hold stays.

import { queryOptions, useQuery } from '@tanstack/react-query';
import type { SummaryData } from '@ticketing/shared';
import { ApiError, apiRequest } from '../lib/api-client.ts';

export const SUMMARY_ROOT = 'summary';

/** What the cache holds: the summary and the ETag it came with. */
export interface SummarySnapshot {
  summary: SummaryData;
  etag: string | null;
}

export async function fetchSummary(
  previous: SummarySnapshot | undefined,
  signal?: AbortSignal,
): Promise<SummarySnapshot> {
  const headers: Record<string, string> = {};
  if (previous?.etag) headers['If-None-Match'] = previous.etag;
  const response = await apiRequest('/summary_data', { headers, signal, accept: [304] });
  if (response.status === 304) {
    // Only possible when we sent an ETag, which only happens when we hold the summary it names.
    if (previous) return previous;
    throw new ApiError({ status: 304, code: 'UNEXPECTED_NOT_MODIFIED', message: 'The summary could not be loaded.' });
  }
  const summary = (await response.json()) as SummaryData;
  return { summary, etag: response.headers.get('ETag') };
}

export function summaryQueryOptions() {
  return queryOptions({
    queryKey: [SUMMARY_ROOT] as const,
    queryFn: ({ client, queryKey, signal }) => fetchSummary(client.getQueryData<SummarySnapshot>(queryKey), signal),
    refetchInterval: 2_000,
    // Nobody watches a hidden tab; polling resumes (and refetches) when it is shown again.
    refetchIntervalInBackground: false,
    select: (snapshot: SummarySnapshot) => snapshot.summary,
  });
}

/** The summary plus `dataUpdatedAt`, the time of the last successful fetch (a 304 counts: it confirms the data). */
export function useSummary() {
  return useQuery(summaryQueryOptions());
}

import { describe, expect, it } from 'vitest';
import { SAMPLE_SUMMARY } from '../test/fixtures.ts';
import { jsonResponse, stubApi, testQueryClient } from '../test/utils.tsx';
import { fetchSummary, type SummarySnapshot, summaryQueryOptions } from './summary.ts';

describe('summary fetcher', () => {
  it('keeps the ETag of a full answer', async () => {
    stubApi({ 'GET /summary_data': () => jsonResponse(SAMPLE_SUMMARY, 200, { ETag: '"v42"' }) });

    const snapshot = await fetchSummary(undefined);
    expect(snapshot).toEqual({ summary: SAMPLE_SUMMARY, etag: '"v42"' });
  });

  it('sends If-None-Match with the last ETag and keeps the previous data on 304', async () => {
    const api = stubApi({ 'GET /summary_data': () => new Response(null, { status: 304 }) });
    const previous: SummarySnapshot = { summary: SAMPLE_SUMMARY, etag: '"v42"' };

    const snapshot = await fetchSummary(previous);

    expect(api.requests[0]?.headers.get('If-None-Match')).toBe('"v42"');
    expect(snapshot).toBe(previous);
  });

  it('sends no If-None-Match before it holds a summary', async () => {
    const api = stubApi({ 'GET /summary_data': () => jsonResponse(SAMPLE_SUMMARY, 200, { ETag: '"v42"' }) });

    await fetchSummary(undefined);
    expect(api.requests[0]?.headers.has('If-None-Match')).toBe(false);
  });

  it('polls through React Query: a 304 leaves the cached summary in place and counts as an update', async () => {
    let calls = 0;
    const api = stubApi({
      'GET /summary_data': () => {
        calls += 1;
        return calls === 1 ? jsonResponse(SAMPLE_SUMMARY, 200, { ETag: '"v42"' }) : new Response(null, { status: 304 });
      },
    });
    const client = testQueryClient();
    const options = summaryQueryOptions();

    const first = await client.fetchQuery(options);
    const firstUpdatedAt = client.getQueryState(options.queryKey)?.dataUpdatedAt ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await client.fetchQuery({ ...options, staleTime: 0 });

    expect(api.requests.map((r) => r.headers.get('If-None-Match'))).toEqual([null, '"v42"']);
    expect(second).toBe(first);
    expect(second.summary.vip_sold).toBe(2);
    expect(client.getQueryState(options.queryKey)?.dataUpdatedAt).toBeGreaterThan(firstUpdatedAt);
  });

  it('replaces the data and the ETag when the summary changed', async () => {
    const changed = { ...SAMPLE_SUMMARY, vip_sold: 3, vip_remaining: 0, version: 43 };
    stubApi({ 'GET /summary_data': () => jsonResponse(changed, 200, { ETag: '"v43"' }) });

    const snapshot = await fetchSummary({ summary: SAMPLE_SUMMARY, etag: '"v42"' });
    expect(snapshot).toEqual({ summary: changed, etag: '"v43"' });
  });
});

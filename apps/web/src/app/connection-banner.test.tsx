import { act, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { SUMMARY_ROOT } from '../api/summary.ts';
import { CONNECTION_LOST_MESSAGE } from '../components/connection-banner.tsx';
import { reloadStaffSession, STAFF_TOKEN_STORAGE_KEY } from '../lib/staff-session.ts';
import { SAMPLE_SUMMARY } from '../test/fixtures.ts';
import { jsonResponse, renderWithClient, stubApi } from '../test/utils.tsx';
import { App } from './app.tsx';

const unreachable = () => {
  throw new TypeError('Failed to fetch');
};

/** The alerts on screen that say something (the banner's live region is in the page, empty, all the time). */
const alertTexts = () =>
  screen
    .queryAllByRole('alert')
    .map((alert) => alert.textContent)
    .filter(Boolean);

describe('the page-wide notice of a lost connection', () => {
  it('appears once when the polls cannot reach the server, and goes when the server answers again', async () => {
    window.history.replaceState(null, '', '/summary');
    let answer: () => Response = unreachable;
    stubApi({ 'GET /summary_data': () => answer() });
    const { client } = renderWithClient(<App />);

    await vi.waitFor(() => expect(alertTexts()).toEqual([CONNECTION_LOST_MESSAGE]));

    answer = () => jsonResponse(SAMPLE_SUMMARY);
    await act(() => client.refetchQueries({ queryKey: [SUMMARY_ROOT] }));
    await vi.waitFor(() => expect(alertTexts()).toEqual([]));
  });

  it('is the only alert on the staff dashboard when all of its polls fail, not one per panel', async () => {
    window.history.replaceState(null, '', '/staff');
    window.sessionStorage.setItem(STAFF_TOKEN_STORAGE_KEY, 'staff-secret');
    reloadStaffSession();
    const api = stubApi({
      'GET /queue': unreachable,
      'GET /summary_data': unreachable,
      'GET /api/transactions': unreachable,
    });
    renderWithClient(<App />);

    await vi.waitFor(() =>
      expect(new Set(api.requests.map((request) => request.path.split('?')[0]))).toEqual(
        new Set(['/queue', '/summary_data', '/api/transactions']),
      ),
    );
    await vi.waitFor(() => expect(alertTexts()).toEqual([CONNECTION_LOST_MESSAGE]));
  });

  it('stays away when the server answers with a refusal: that is shown where it happened', async () => {
    window.history.replaceState(null, '', '/summary');
    stubApi({
      'GET /summary_data': () => jsonResponse({ error: 'Storage is unavailable', code: 'STORAGE_UNAVAILABLE' }, 503),
    });
    renderWithClient(<App />);

    await vi.waitFor(() => expect(alertTexts()).toEqual(['Storage is unavailable']));
  });
});

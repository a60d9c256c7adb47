import { act, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { SAMPLE_SUMMARY } from '../test/fixtures.ts';
import { fullText, jsonResponse, renderWithClient, stubApi } from '../test/utils.tsx';
import { SummaryPage } from './summary-page.tsx';

function cells(row: HTMLElement): string[] {
  return Array.from(row.querySelectorAll('th, td')).map((cell) => cell.textContent ?? '');
}

describe('summary page', () => {
  it('shows the sales table: Type | Sold | Remaining per type and in total', async () => {
    stubApi({ 'GET /summary_data': () => jsonResponse(SAMPLE_SUMMARY, 200, { ETag: '"v42"' }) });
    renderWithClient(<SummaryPage />);

    const table = screen.getByRole('table', { name: 'Ticket sales' });
    await within(table).findByText('5');
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Type', 'Sold', 'Remaining']);
    expect(cells(within(table).getByRole('rowheader', { name: 'VIP' }).closest('tr') as HTMLElement)).toEqual([
      'VIP',
      '2',
      '1',
    ]);
    expect(cells(within(table).getByRole('rowheader', { name: 'Regular' }).closest('tr') as HTMLElement)).toEqual([
      'Regular',
      '3',
      '2',
    ]);
    expect(cells(within(table).getByRole('rowheader', { name: 'Total' }).closest('tr') as HTMLElement)).toEqual([
      'Total',
      '5',
      '3',
    ]);
  });

  it('groups large figures in thousands, as a wall screen across a room needs them', async () => {
    const big = {
      ...SAMPLE_SUMMARY,
      regular_capacity: 1_000_000,
      regular_sold: 999_894,
      regular_remaining: 106,
      total_sold: 999_896,
      total_remaining: 107,
      regular_queue_length: 12_345,
    };
    stubApi({ 'GET /summary_data': () => jsonResponse(big) });
    renderWithClient(<SummaryPage />);

    const table = screen.getByRole('table', { name: 'Ticket sales' });
    await within(table).findByText('999,896');
    expect(cells(within(table).getByRole('rowheader', { name: 'Regular' }).closest('tr') as HTMLElement)).toEqual([
      'Regular',
      '999,894',
      '106',
    ]);
    expect(screen.getByText('999,894 of 1,000,000 sold · 100%')).toBeTruthy();
    expect(screen.getByText('12,345')).toBeTruthy();
  });

  it('draws seats sold against capacity as meters', async () => {
    stubApi({ 'GET /summary_data': () => jsonResponse(SAMPLE_SUMMARY) });
    renderWithClient(<SummaryPage />);

    const vip = screen.getByRole('meter', { name: 'VIP seats sold' });
    await screen.findByText(fullText('2 of 3 sold · 67%'));
    expect(vip.getAttribute('aria-valuenow')).toBe('2');
    expect(vip.getAttribute('aria-valuemax')).toBe('3');
    const regular = screen.getByRole('meter', { name: 'Regular seats sold' });
    expect(regular.getAttribute('aria-valuenow')).toBe('3');
    expect(regular.getAttribute('aria-valuemax')).toBe('5');
  });

  it('says "Sold out" in words for a type with no seats remaining, and only for that type', async () => {
    stubApi({
      'GET /summary_data': () =>
        jsonResponse({ ...SAMPLE_SUMMARY, vip_sold: 3, vip_remaining: 0, total_sold: 6, total_remaining: 2 }),
    });
    renderWithClient(<SummaryPage />);

    const bars = screen.getByRole('region', { name: 'Seats sold' });
    await within(bars).findByText('Sold out');
    const [vip, regular] = within(bars).getAllByRole('listitem');
    expect(vip?.textContent).toContain('VIP Sold out');
    expect(regular?.textContent).not.toContain('Sold out');
    // The table keeps its plain figures: Remaining is a number.
    const table = screen.getByRole('table', { name: 'Ticket sales' });
    expect(cells(within(table).getByRole('rowheader', { name: 'VIP' }).closest('tr') as HTMLElement)).toEqual([
      'VIP',
      '3',
      '0',
    ]);
  });

  it('lists queue and waitlist lengths by name, and when the figures were fetched', async () => {
    stubApi({ 'GET /summary_data': () => jsonResponse(SAMPLE_SUMMARY) });
    renderWithClient(<SummaryPage />);

    await screen.findByText(fullText('Updated 0 s ago'));
    const lengths = Object.fromEntries(
      Array.from(document.querySelectorAll('dt')).map((term) => [
        term.textContent,
        term.nextElementSibling?.textContent,
      ]),
    );
    expect(lengths).toEqual({ 'VIP queue': '4', 'Regular queue': '7', 'VIP waitlist': '1', 'Regular waitlist': '0' });
  });

  it('leaves a lost connection to the page-wide notice but shows what the server itself refused', async () => {
    let answer: () => Response = () => {
      throw new TypeError('Failed to fetch');
    };
    stubApi({ 'GET /summary_data': () => answer() });
    const { client } = renderWithClient(<SummaryPage />);

    // The query has failed: the page keeps its layout, and says nothing of its own about the connection.
    await vi.waitFor(() => expect(client.getQueryState(['summary'])?.status).toBe('error'));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('table', { name: 'Ticket sales' })).toBeTruthy();

    answer = () => jsonResponse({ error: 'Storage is unavailable', code: 'STORAGE_UNAVAILABLE' }, 503);
    await act(() => client.refetchQueries({ queryKey: ['summary'] }));
    expect((await screen.findByRole('alert')).textContent).toBe('Storage is unavailable');
  });
});

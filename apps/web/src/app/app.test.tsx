import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { readStoredTickets } from '../lib/tickets-storage.ts';
import { registered, SAMPLE_SUMMARY } from '../test/fixtures.ts';
import { jsonResponse, renderWithClient, stubApi } from '../test/utils.tsx';
import { App } from './app.tsx';

function publicApi() {
  return stubApi({
    'GET /availability': () => jsonResponse({ VIP: 3, Regular: 5 }),
    'GET /summary_data': () => jsonResponse(SAMPLE_SUMMARY),
  });
}

describe('app shell and router', () => {
  it('marks the current page in the main navigation', () => {
    window.history.replaceState(null, '', '/summary');
    publicApi();
    renderWithClient(<App />);

    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Live sales' }).getAttribute('aria-current')).toBe('page');
    expect(within(nav).getByRole('link', { name: 'Tickets' }).getAttribute('aria-current')).toBeNull();
    expect(screen.getByRole('heading', { level: 1, name: 'Live sales' })).toBeTruthy();
  });

  it('has exactly one link whose name contains "Tickets", as the tests select it by that name', () => {
    publicApi();
    renderWithClient(<App />);

    const links = screen.getAllByRole('link').filter((link) => /tickets/i.test(link.textContent ?? ''));
    expect(links.map((link) => link.textContent)).toEqual(['Tickets']);
  });

  it('navigates in place with the history API and puts focus on the new page heading', async () => {
    publicApi();
    const user = userEvent.setup();
    renderWithClient(<App />);
    expect(screen.getByRole('heading', { level: 1, name: 'Get your tickets' })).toBeTruthy();

    await user.click(screen.getByRole('link', { name: 'Staff' }));

    expect(window.location.pathname).toBe('/staff');
    const heading = screen.getByRole('heading', { level: 1, name: 'Staff dashboard' });
    expect(document.activeElement).toBe(heading);
    expect(screen.getByRole('link', { name: 'Staff' }).getAttribute('aria-current')).toBe('page');
  });

  it('follows the back button', async () => {
    publicApi();
    const user = userEvent.setup();
    renderWithClient(<App />);
    await user.click(screen.getByRole('link', { name: 'Live sales' }));
    expect(screen.getByRole('heading', { level: 1, name: 'Live sales' })).toBeTruthy();

    window.history.back();
    await screen.findByRole('heading', { level: 1, name: 'Get your tickets' });
    expect(window.location.pathname).toBe('/');
  });

  it('shows a way back for an unknown address', () => {
    window.history.replaceState(null, '', '/nowhere');
    publicApi();
    renderWithClient(<App />);

    expect(screen.getByRole('heading', { level: 1, name: 'Page not found' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Go to the ticket page' }).getAttribute('href')).toBe('/');
  });

  it('keeps a ticket whose registration was answered after the person went to another page', async () => {
    let answer: (response: Response) => void = () => {};
    stubApi({
      'GET /availability': () => jsonResponse({ VIP: 3, Regular: 5 }),
      'GET /summary_data': () => jsonResponse(SAMPLE_SUMMARY),
      'POST /api/register': () => new Promise((resolve) => (answer = resolve)),
    });
    const user = userEvent.setup();
    renderWithClient(<App />);

    await user.type(screen.getByRole('textbox', { name: 'First name' }), 'Ann');
    await user.type(screen.getByRole('textbox', { name: 'Last name' }), 'Lee');
    await user.click(screen.getByRole('button', { name: 'Register' }));
    await user.click(screen.getByRole('link', { name: 'Live sales' }));
    answer(jsonResponse(registered(), 201));

    // The token is in that answer only: without it the ticket could not be seen or cancelled from here.
    await vi.waitFor(() => expect(readStoredTickets()).toEqual([{ id: 'ABC-DEF', token: 'owner-token' }]));
    await user.click(screen.getByRole('link', { name: 'Tickets' }));
    expect(await screen.findByRole('article', { name: 'Ticket ABC-DEF' })).toBeTruthy();
  });
});

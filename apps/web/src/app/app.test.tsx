import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SAMPLE_SUMMARY } from '../test/fixtures.ts';
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
});

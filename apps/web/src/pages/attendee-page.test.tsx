import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ProcessUserResponse } from '@ticketing/shared';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { NETWORK_ERROR_MESSAGE } from '../lib/api-client.ts';
import { addStoredTicket, readStoredTickets, TICKETS_STORAGE_KEY } from '../lib/tickets-storage.ts';
import { cancelAnswer, queuedTicket, registered } from '../test/fixtures.ts';
import {
  fullText,
  HOSTILE_NAME,
  jsonResponse,
  renderWithClient,
  settleNotifications,
  stubApi,
} from '../test/utils.tsx';
import { AttendeePage } from './attendee-page.tsx';

function preferReducedMotion() {
  vi.stubGlobal(
    'matchMedia',
    vi.fn((query: string) => ({
      matches: query.includes('reduce'),
      media: query,
      addEventListener: () => {},
      removeEventListener: () => {},
    })),
  );
}

/** A screen `wide` enough for the two columns, or a phone's; no preference for reduced motion. */
function screenWidth(wide: boolean) {
  vi.stubGlobal(
    'matchMedia',
    vi.fn((query: string) => ({
      matches: query.includes('min-width') && wide,
      media: query,
      addEventListener: () => {},
      removeEventListener: () => {},
    })),
  );
}

/** The page's two parts, in document order. */
function partsInOrder(): string[] {
  const form = screen.getByRole('form', { name: 'Register for a ticket' });
  const mine = screen.getByRole('region', { name: 'My tickets' });
  return form.compareDocumentPosition(mine) & Node.DOCUMENT_POSITION_FOLLOWING
    ? ['Register for a ticket', 'My tickets']
    : ['My tickets', 'Register for a ticket'];
}

const purchaseAnswer: ProcessUserResponse = {
  updates: [
    { id: 'VIP-AAA', first_name: 'Bo', last_name: 'Chen', ticket_type: 'VIP', status: 'Confirmed', remaining: 2 },
    { id: 'VIP-BBB', first_name: 'Cy', last_name: 'Diaz', ticket_type: 'VIP', status: 'Confirmed', remaining: 1 },
    { id: 'ABC-DEF', first_name: 'Ann', last_name: 'Lee', ticket_type: 'VIP', status: 'Confirmed', remaining: 0 },
  ],
  final_status: 'Confirmed',
  ticket: queuedTicket({ status: 'Confirmed', queue_position: undefined, people_ahead: undefined }),
  remaining_tickets: { VIP: 0, Regular: 5 },
};

/**
 * Presses Purchase on a stored queued ticket whose answer serves `servedBefore` people (Person1, Person2, ...)
 * and then the buyer; returns the card and its "Served up to you" list.
 */
async function purchaseWithServedBefore(servedBefore: number) {
  addStoredTicket({ id: 'ABC-DEF', token: 'token-1' });
  const others = Array.from({ length: servedBefore }, (_, i) => ({
    ...(purchaseAnswer.updates[0] as ProcessUserResponse['updates'][number]),
    id: `R${String(i).padStart(6, '0')}`,
    first_name: `Person${i + 1}`,
  }));
  const answer = { ...purchaseAnswer, updates: [...others, purchaseAnswer.updates.at(-1)] };
  stubApi({
    'GET /availability': () => jsonResponse({ VIP: 3, Regular: 5 }),
    'GET /api/tickets/ABC-DEF': () => jsonResponse(queuedTicket()),
    'POST /api/process_user': () => jsonResponse(answer),
  });
  const user = userEvent.setup();
  renderWithClient(<AttendeePage />);
  const card = await screen.findByRole('article', { name: 'Ticket ABC-DEF' });
  await user.click(await within(card).findByRole('button', { name: 'Purchase' }));
  return { card, list: await within(card).findByRole('list', { name: 'Served up to you' }) };
}

describe('attendee page', () => {
  it('still renders when localStorage holds garbage under the tickets key', () => {
    window.localStorage.setItem(TICKETS_STORAGE_KEY, '[{"id": 12}, "nonsense"');
    stubApi({ 'GET /availability': () => jsonResponse({ VIP: 3, Regular: 5 }) });
    renderWithClient(<AttendeePage />);

    expect(screen.getByRole('heading', { level: 1, name: 'Get your tickets' })).toBeTruthy();
    expect(screen.getByRole('region', { name: 'My tickets' }).textContent).toContain('You have no tickets');
  });

  it('shows seats left per type in the Availability region', async () => {
    stubApi({ 'GET /availability': () => jsonResponse({ VIP: 1, Regular: 4 }) });
    renderWithClient(<AttendeePage />);

    const region = screen.getByRole('region', { name: 'Availability' });
    expect(await within(region).findByText(fullText('1 seat left'))).toBeTruthy();
    expect(within(region).getByText(fullText('4 seats left'))).toBeTruthy();
  });

  it('on a phone, puts "My tickets" above the form once a registration made one', async () => {
    screenWidth(false);
    stubApi({
      'GET /availability': () => jsonResponse({ VIP: 3, Regular: 5 }),
      'POST /api/register': () => jsonResponse(registered(), 201),
    });
    const user = userEvent.setup();
    renderWithClient(<AttendeePage />);
    expect(partsInOrder()).toEqual(['Register for a ticket', 'My tickets']);

    await user.type(screen.getByRole('textbox', { name: 'First name' }), 'Ann');
    await user.type(screen.getByRole('textbox', { name: 'Last name' }), 'Lee');
    await user.click(screen.getByRole('radio', { name: 'VIP' }));
    await user.click(screen.getByRole('button', { name: 'Register' }));

    expect(await screen.findByRole('article', { name: 'Ticket ABC-DEF' })).toBeTruthy();
    expect(partsInOrder()).toEqual(['My tickets', 'Register for a ticket']);
    // Swapping places does not remount the form: the type chosen stays chosen for the next person.
    expect((screen.getByRole('radio', { name: 'VIP' }) as HTMLInputElement).checked).toBe(true);
  });

  it('on a wide screen, keeps the form first: "My tickets" is the column beside it', () => {
    screenWidth(true);
    addStoredTicket({ id: 'ABC-DEF', token: 'token-1' });
    stubApi({
      'GET /availability': () => jsonResponse({ VIP: 3, Regular: 5 }),
      'GET /api/tickets/ABC-DEF': () => jsonResponse(queuedTicket()),
    });
    renderWithClient(<AttendeePage />);

    expect(partsInOrder()).toEqual(['Register for a ticket', 'My tickets']);
  });

  it('lists every ticket held in this browser, fetched with its own token', async () => {
    addStoredTicket({ id: 'ABC-DEF', token: 'token-1' });
    addStoredTicket({ id: 'GHJ-KMN', token: 'token-2' });
    const api = stubApi({
      'GET /availability': () => jsonResponse({ VIP: 3, Regular: 5 }),
      'GET /api/tickets/ABC-DEF': () => jsonResponse(queuedTicket()),
      'GET /api/tickets/GHJ-KMN': () =>
        jsonResponse(
          queuedTicket({
            id: 'GHJ-KMN',
            ticket_type: 'Regular',
            status: 'Sold Out',
            queue_position: undefined,
            people_ahead: undefined,
            waitlist_position: 3,
          }),
        ),
    });
    renderWithClient(<AttendeePage />);

    const soldOut = await screen.findByRole('article', { name: 'Ticket GHJ-KMN' });
    expect(await within(soldOut).findByText(fullText('Waitlist place: 3'))).toBeTruthy();
    expect(within(soldOut).queryByRole('button', { name: 'Purchase' })).toBeNull();
    expect(within(soldOut).getByRole('button', { name: 'Cancel ticket' })).toBeTruthy();

    const queued = screen.getByRole('article', { name: 'Ticket ABC-DEF' });
    expect(await within(queued).findByRole('button', { name: 'Purchase' })).toBeTruthy();
    const auth = api.requests
      .filter((r) => r.path.startsWith('/api/tickets/'))
      .map((r) => r.headers.get('Authorization'));
    expect(auth.sort()).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('says up front when the seats left will not reach a queued ticket, and not when they will', async () => {
    addStoredTicket({ id: 'ABC-DEF', token: 'token-1' });
    addStoredTicket({ id: 'GHJ-KMN', token: 'token-2' });
    addStoredTicket({ id: 'PQR-STU', token: 'token-3' });
    stubApi({
      'GET /availability': () => jsonResponse({ VIP: 0, Regular: 2 }),
      'GET /api/tickets/ABC-DEF': () => jsonResponse(queuedTicket({ queue_position: 1, people_ahead: 0 })),
      'GET /api/tickets/GHJ-KMN': () =>
        jsonResponse(queuedTicket({ id: 'GHJ-KMN', ticket_type: 'Regular', queue_position: 3, people_ahead: 2 })),
      'GET /api/tickets/PQR-STU': () =>
        jsonResponse(queuedTicket({ id: 'PQR-STU', ticket_type: 'Regular', queue_position: 2, people_ahead: 1 })),
    });
    renderWithClient(<AttendeePage />);

    const vip = await screen.findByRole('article', { name: 'Ticket ABC-DEF' });
    expect(
      await within(vip).findByText('No VIP seats are left: when your turn comes you join the VIP waitlist.'),
    ).toBeTruthy();
    // Nobody ahead: the wait needs no serving rate.
    expect(within(vip).getByText(fullText('Estimated wait: you are next'))).toBeTruthy();
    const third = screen.getByRole('article', { name: 'Ticket GHJ-KMN' });
    expect(
      await within(third).findByText('2 Regular seats are left for the 3 people up to you: you may join the waitlist.'),
    ).toBeTruthy();
    const second = screen.getByRole('article', { name: 'Ticket PQR-STU' });
    await within(second).findByText(fullText('Place in Regular queue: 2'));
    expect(within(second).queryByText(/waitlist/)).toBeNull();
  });

  it('renders a hostile name as literal text, never as HTML', async () => {
    addStoredTicket({ id: 'ABC-DEF', token: 'token-1' });
    stubApi({
      'GET /availability': () => jsonResponse({ VIP: 3, Regular: 5 }),
      'GET /api/tickets/ABC-DEF': () =>
        jsonResponse(queuedTicket({ first_name: HOSTILE_NAME, last_name: '"&<b>x</b>' })),
    });
    renderWithClient(<AttendeePage />);

    const card = await screen.findByRole('article', { name: 'Ticket ABC-DEF' });
    expect(await within(card).findByText(`${HOSTILE_NAME} "&<b>x</b>`)).toBeTruthy();
    expect(document.querySelector('img')).toBeNull();
    expect(document.querySelector('b')).toBeNull();
  });

  it('Purchase lists everyone served up to me, in order, ending with my own result marked as mine', async () => {
    preferReducedMotion();
    addStoredTicket({ id: 'ABC-DEF', token: 'token-1' });
    let ticket = queuedTicket();
    const api = stubApi({
      'GET /availability': () => jsonResponse({ VIP: 3, Regular: 5 }),
      'GET /api/tickets/ABC-DEF': () => jsonResponse(ticket),
      'POST /api/process_user': () => {
        ticket = purchaseAnswer.ticket;
        return jsonResponse(purchaseAnswer);
      },
    });
    const user = userEvent.setup();
    renderWithClient(<AttendeePage />);

    const card = await screen.findByRole('article', { name: 'Ticket ABC-DEF' });
    await user.click(await within(card).findByRole('button', { name: 'Purchase' }));

    const list = await within(card).findByRole('list', { name: 'Served up to you' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['1.Bo Chen (VIP) — Confirmed', '2.Cy Diaz (VIP) — Confirmed', '3.Ann Lee (VIP) — Confirmed (you)']);
    const post = api.requests.find((r) => r.method === 'POST');
    expect(post?.body).toEqual({ id: 'ABC-DEF' });
    expect(post?.headers.get('Authorization')).toBe('Bearer token-1');
    expect(within(card).getByText('Confirmed', { selector: '.badge' })).toBeTruthy();
    expect(within(card).queryByRole('button', { name: 'Purchase' })).toBeNull();
    expect(screen.getByRole('status').textContent).toBe('Ticket ABC-DEF is now Confirmed');
  });

  it('reveals the served list one after another when motion is allowed, then shows my new status', async () => {
    addStoredTicket({ id: 'ABC-DEF', token: 'token-1' });
    let ticket = queuedTicket();
    stubApi({
      'GET /availability': () => jsonResponse({ VIP: 3, Regular: 5 }),
      'GET /api/tickets/ABC-DEF': () => jsonResponse(ticket),
      'POST /api/process_user': () => {
        ticket = purchaseAnswer.ticket;
        return jsonResponse(purchaseAnswer);
      },
    });
    const user = userEvent.setup();
    renderWithClient(<AttendeePage />);

    const card = await screen.findByRole('article', { name: 'Ticket ABC-DEF' });
    await user.click(await within(card).findByRole('button', { name: 'Purchase' }));

    const list = await within(card).findByRole('list', { name: 'Served up to you' });
    expect(within(list).getAllByRole('listitem').length).toBeLessThan(3);
    // The card tells the outcome when the list reaches this ticket, not before.
    expect(within(card).getByText('Queued', { selector: '.badge' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('');
    await vi.waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(3), { timeout: 2_000 });
    expect(await within(card).findByText('Confirmed', { selector: '.badge' })).toBeTruthy();
    // The announcement follows the badge in an effect of its own.
    await vi.waitFor(() => expect(screen.getByRole('status').textContent).toBe('Ticket ABC-DEF is now Confirmed'));
  });

  it('keeps the newest line of the served list in view, ending on my own, without smooth scrolling under reduced motion', async () => {
    const scrolled: { text: string | null; options: unknown }[] = [];
    vi.spyOn(HTMLElement.prototype, 'scrollIntoView').mockImplementation(function (this: HTMLElement, options) {
      scrolled.push({ text: this.textContent, options });
    });
    onTestFinished(() => {
      vi.restoreAllMocks();
    });
    preferReducedMotion();
    addStoredTicket({ id: 'ABC-DEF', token: 'token-1' });
    stubApi({
      'GET /availability': () => jsonResponse({ VIP: 3, Regular: 5 }),
      'GET /api/tickets/ABC-DEF': () => jsonResponse(queuedTicket()),
      'POST /api/process_user': () => jsonResponse(purchaseAnswer),
    });
    const user = userEvent.setup();
    renderWithClient(<AttendeePage />);

    const card = await screen.findByRole('article', { name: 'Ticket ABC-DEF' });
    await user.click(await within(card).findByRole('button', { name: 'Purchase' }));
    await within(card).findByRole('list', { name: 'Served up to you' });

    expect(scrolled.at(-1)).toEqual({
      text: '3.Ann Lee (VIP) — Confirmed (you)',
      options: { block: 'nearest', behavior: 'auto' },
    });
  });

  it('after a Purchase that served thousands, lists only the last hundred, numbered as they were served', async () => {
    preferReducedMotion();
    const { card, list } = await purchaseWithServedBefore(4_999);
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(100);
    // Numbered by their place among all served, grouped as every count is.
    expect(items[0]?.textContent).toBe('4,901.Person4901 Chen (VIP) — Confirmed');
    expect(items.at(-1)?.textContent).toBe('5,000.Ann Lee (VIP) — Confirmed (you)');
    expect(within(card).getByText('5,000 people were served, ending with you; the last 100 are listed.')).toBeTruthy();
  });

  it.each([
    { servedBefore: 2, behavior: 'smooth' },
    { servedBefore: 60, behavior: 'auto' },
  ])(
    'with motion allowed, scrolls $behavior to each newly revealed line when $servedBefore were served before me',
    async ({ servedBefore, behavior }) => {
      const behaviors = new Set<unknown>();
      vi.spyOn(HTMLElement.prototype, 'scrollIntoView').mockImplementation((options) => {
        behaviors.add((options as ScrollIntoViewOptions).behavior);
      });
      onTestFinished(() => {
        vi.restoreAllMocks();
      });
      const { list } = await purchaseWithServedBefore(servedBefore);
      await vi.waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(servedBefore + 1), {
        timeout: 3_000,
      });

      // A smooth scroll takes longer than a line of a long list stays the newest: it would fall behind.
      expect([...behaviors]).toEqual([behavior]);
    },
  );

  it('clears a "Cannot reach the server" from Purchase once a later poll gets an answer', async () => {
    addStoredTicket({ id: 'ABC-DEF', token: 'token-1' });
    stubApi({
      'GET /availability': () => jsonResponse({ VIP: 3, Regular: 5 }),
      'GET /api/tickets/ABC-DEF': () => jsonResponse(queuedTicket()),
      'POST /api/process_user': () => {
        throw new TypeError('Failed to fetch');
      },
    });
    const user = userEvent.setup();
    const { client } = renderWithClient(<AttendeePage />);

    const card = await screen.findByRole('article', { name: 'Ticket ABC-DEF' });
    await user.click(await within(card).findByRole('button', { name: 'Purchase' }));
    expect((await within(card).findByRole('alert')).textContent).toBe(NETWORK_ERROR_MESSAGE);

    // The server is back: the ticket's next poll is answered.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await act(() => client.refetchQueries({ queryKey: ['tickets'] }));

    await vi.waitFor(() => expect(within(card).queryByRole('alert')).toBeNull());
    expect(within(card).getByRole('button', { name: 'Purchase' })).toBeTruthy();
  });

  it("keeps the server's own refusal of a Purchase on screen while polls go on", async () => {
    addStoredTicket({ id: 'ABC-DEF', token: 'token-1' });
    stubApi({
      'GET /availability': () => jsonResponse({ VIP: 3, Regular: 5 }),
      'GET /api/tickets/ABC-DEF': () => jsonResponse(queuedTicket()),
      'POST /api/process_user': () =>
        jsonResponse({ error: 'Processing is paused by staff', code: 'PROCESSING_PAUSED' }, 409),
    });
    const user = userEvent.setup();
    const { client } = renderWithClient(<AttendeePage />);

    const card = await screen.findByRole('article', { name: 'Ticket ABC-DEF' });
    await user.click(await within(card).findByRole('button', { name: 'Purchase' }));
    expect((await within(card).findByRole('alert')).textContent).toBe('Processing is paused by staff');

    await new Promise((resolve) => setTimeout(resolve, 5));
    await act(() => client.refetchQueries({ queryKey: ['tickets'] }));
    await settleNotifications();

    expect(within(card).getByRole('alert').textContent).toBe('Processing is paused by staff');
  });

  it('"Cancel ticket" asks first, and "Keep ticket" changes nothing', async () => {
    addStoredTicket({ id: 'ABC-DEF', token: 'token-1' });
    const api = stubApi({
      'GET /availability': () => jsonResponse({ VIP: 3, Regular: 5 }),
      'GET /api/tickets/ABC-DEF': () => jsonResponse(queuedTicket()),
    });
    const user = userEvent.setup();
    renderWithClient(<AttendeePage />);

    const card = await screen.findByRole('article', { name: 'Ticket ABC-DEF' });
    await user.click(await within(card).findByRole('button', { name: 'Cancel ticket' }));
    const dialog = screen.getByRole('dialog', { name: 'Cancel ticket ABC-DEF?' });
    await user.click(within(dialog).getByRole('button', { name: 'Keep ticket' }));

    expect(screen.queryByRole('dialog')).toBeNull();
    expect(api.requests.some((r) => r.method === 'DELETE')).toBe(false);
  });

  it('"Yes, cancel" cancels with the token, then offers to remove the ticket from this browser', async () => {
    addStoredTicket({ id: 'ABC-DEF', token: 'token-1' });
    const api = stubApi({
      'GET /availability': () => jsonResponse({ VIP: 3, Regular: 5 }),
      'GET /api/tickets/ABC-DEF': () => jsonResponse(queuedTicket()),
      'DELETE /api/cancel_ticket': () => jsonResponse(cancelAnswer(queuedTicket(), 'Ticket cancelled')),
    });
    const user = userEvent.setup();
    renderWithClient(<AttendeePage />);

    const card = await screen.findByRole('article', { name: 'Ticket ABC-DEF' });
    await user.click(await within(card).findByRole('button', { name: 'Cancel ticket' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Yes, cancel' }));

    expect(await within(card).findByText('Cancelled', { selector: '.badge' })).toBeTruthy();
    const del = api.requests.find((r) => r.method === 'DELETE');
    expect(del?.body).toEqual({ id: 'ABC-DEF', expected_status: 'Queued' });
    expect(del?.headers.get('Authorization')).toBe('Bearer token-1');
    expect(within(card).queryByRole('button', { name: 'Cancel ticket' })).toBeNull();

    await user.click(within(card).getByRole('button', { name: 'Remove from this browser' }));
    expect(screen.queryByRole('article', { name: 'Ticket ABC-DEF' })).toBeNull();
    expect(readStoredTickets()).toEqual([]);
  });

  it('a poll sent before "Yes, cancel" and answered after it does not bring the ticket back as Queued', async () => {
    addStoredTicket({ id: 'ABC-DEF', token: 'token-1' });
    let pollAnswer: ((response: Response) => void) | undefined;
    let polls = 0;
    stubApi({
      'GET /availability': () => jsonResponse({ VIP: 3, Regular: 5 }),
      'GET /api/tickets/ABC-DEF': () => {
        polls += 1;
        if (polls === 1) return jsonResponse(queuedTicket());
        return new Promise<Response>((resolve) => (pollAnswer = resolve));
      },
      'DELETE /api/cancel_ticket': () => jsonResponse(cancelAnswer(queuedTicket(), 'Ticket cancelled')),
    });
    const user = userEvent.setup();
    const { client } = renderWithClient(<AttendeePage />);
    const card = await screen.findByRole('article', { name: 'Ticket ABC-DEF' });
    await user.click(await within(card).findByRole('button', { name: 'Cancel ticket' }));

    // The next poll leaves before the cancellation and is answered after it, with the ticket as it was.
    void client.refetchQueries({ queryKey: ['tickets'] });
    await vi.waitFor(() => expect(pollAnswer).toBeDefined());
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Yes, cancel' }));
    expect(await within(card).findByText('Cancelled', { selector: '.badge' })).toBeTruthy();
    pollAnswer?.(jsonResponse(queuedTicket()));
    await vi.waitFor(() => expect(client.isFetching({ queryKey: ['tickets'] })).toBe(0));
    await settleNotifications();

    expect(within(card).getByText('Cancelled', { selector: '.badge' })).toBeTruthy();
    expect(within(card).queryByText('Queued', { selector: '.badge' })).toBeNull();
  });

  it('after "Yes, cancel", focus is on the ticket card once the dialog has closed, not lost to the page', async () => {
    addStoredTicket({ id: 'ABC-DEF', token: 'token-1' });
    stubApi({
      'GET /availability': () => jsonResponse({ VIP: 3, Regular: 5 }),
      'GET /api/tickets/ABC-DEF': () => jsonResponse(queuedTicket()),
      'DELETE /api/cancel_ticket': () => jsonResponse(cancelAnswer(queuedTicket(), 'Ticket cancelled')),
    });
    const user = userEvent.setup();
    renderWithClient(<AttendeePage />);

    const card = await screen.findByRole('article', { name: 'Ticket ABC-DEF' });
    (await within(card).findByRole('button', { name: 'Cancel ticket' })).focus();
    await user.keyboard('{Enter}');
    const dialog = screen.getByRole('dialog', { name: 'Cancel ticket ABC-DEF?' });
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Keep ticket' }));
    await user.tab();
    await user.keyboard('{Enter}');

    await within(card).findByText('Cancelled', { selector: '.badge' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(card);
  });

  it('when the ticket is cancelled elsewhere while "Cancel ticket?" is open, the dialog closes and focus goes to the card', async () => {
    addStoredTicket({ id: 'ABC-DEF', token: 'token-1' });
    let ticket = queuedTicket();
    stubApi({
      'GET /availability': () => jsonResponse({ VIP: 3, Regular: 5 }),
      'GET /api/tickets/ABC-DEF': () => jsonResponse(ticket),
    });
    const user = userEvent.setup();
    const { client } = renderWithClient(<AttendeePage />);
    const card = await screen.findByRole('article', { name: 'Ticket ABC-DEF' });
    await user.click(await within(card).findByRole('button', { name: 'Cancel ticket' }));
    expect(screen.getByRole('dialog', { name: 'Cancel ticket ABC-DEF?' })).toBeTruthy();

    // Staff cancel it; this browser sees it at its next poll.
    ticket = queuedTicket({ status: 'Cancelled', queue_position: undefined, people_ahead: undefined });
    await act(() => client.refetchQueries({ queryKey: ['tickets'] }));

    await within(card).findByText('Cancelled', { selector: '.badge' });
    expect(screen.queryByRole('dialog')).toBeNull();
    await vi.waitFor(() => expect(document.activeElement).toBe(card));
  });

  it("shows the API's 409 inside the dialog when the ticket was already cancelled", async () => {
    addStoredTicket({ id: 'ABC-DEF', token: 'token-1' });
    stubApi({
      'GET /availability': () => jsonResponse({ VIP: 3, Regular: 5 }),
      'GET /api/tickets/ABC-DEF': () => jsonResponse(queuedTicket()),
      'DELETE /api/cancel_ticket': () =>
        jsonResponse({ error: 'This ticket is already cancelled', code: 'ALREADY_CANCELLED' }, 409),
    });
    const user = userEvent.setup();
    renderWithClient(<AttendeePage />);

    const card = await screen.findByRole('article', { name: 'Ticket ABC-DEF' });
    await user.click(await within(card).findByRole('button', { name: 'Cancel ticket' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Yes, cancel' }));

    const alert = await within(screen.getByRole('dialog')).findByRole('alert');
    expect(alert.textContent).toBe('This ticket is already cancelled');
  });

  it('when the ticket was served to the waitlist meanwhile, "Yes, cancel" is refused and the question says what is lost now', async () => {
    addStoredTicket({ id: 'ABC-DEF', token: 'token-1' });
    let served = false;
    const waitlisted = () => queuedTicket({ status: 'Sold Out', queue_position: undefined, people_ahead: undefined });
    const api = stubApi({
      'GET /availability': () => jsonResponse({ VIP: 0, Regular: 5 }),
      'GET /api/tickets/ABC-DEF': () => jsonResponse(served ? waitlisted() : queuedTicket()),
      'DELETE /api/cancel_ticket': (request) =>
        (request.body as { expected_status?: string }).expected_status === 'Queued'
          ? jsonResponse(
              {
                error: 'Ticket ABC-DEF is Sold Out now, no longer Queued: nothing was cancelled.',
                code: 'STATUS_CHANGED',
                details: { status: 'Sold Out' },
              },
              409,
            )
          : jsonResponse(cancelAnswer(waitlisted(), 'Ticket ABC-DEF cancelled.')),
    });
    const user = userEvent.setup();
    renderWithClient(<AttendeePage />);

    const card = await screen.findByRole('article', { name: 'Ticket ABC-DEF' });
    await user.click(await within(card).findByRole('button', { name: 'Cancel ticket' }));
    const dialog = screen.getByRole('dialog', { name: 'Cancel ticket ABC-DEF?' });
    expect(dialog.textContent).toContain('You will lose your place in line.');

    served = true;
    await user.click(within(dialog).getByRole('button', { name: 'Yes, cancel' }));
    expect((await within(dialog).findByRole('alert')).textContent).toMatch(/^Ticket ABC-DEF is Sold Out now/);
    await vi.waitFor(() => expect(dialog.textContent).toContain('You will lose your place on the waitlist.'));
    expect(dialog.textContent).not.toContain('in line');

    await user.click(within(dialog).getByRole('button', { name: 'Yes, cancel' }));
    expect(await within(card).findByText('Cancelled', { selector: '.badge' })).toBeTruthy();
    const sent = api.requests.filter((r) => r.method === 'DELETE').map((r) => r.body);
    expect(sent).toEqual([
      { id: 'ABC-DEF', expected_status: 'Queued' },
      { id: 'ABC-DEF', expected_status: 'Sold Out' },
    ]);
  });

  it('announces a status change seen while polling', async () => {
    addStoredTicket({ id: 'ABC-DEF', token: 'token-1' });
    let ticket = queuedTicket();
    stubApi({
      'GET /availability': () => jsonResponse({ VIP: 3, Regular: 5 }),
      'GET /api/tickets/ABC-DEF': () => jsonResponse(ticket),
    });
    const { client } = renderWithClient(<AttendeePage />);
    const card = await screen.findByRole('article', { name: 'Ticket ABC-DEF' });
    await within(card).findByText('Queued', { selector: '.badge' });
    expect(screen.getByRole('status').textContent).toBe('');

    ticket = queuedTicket({
      status: 'Sold Out',
      queue_position: undefined,
      people_ahead: undefined,
      waitlist_position: 1,
    });
    await act(() => client.refetchQueries({ queryKey: ['tickets'] }));

    expect(await within(card).findByText(fullText('Waitlist place: 1'))).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Ticket ABC-DEF is now Sold Out');
  });

  it('fetches the seats left again as soon as a polled ticket changes status, not at their next poll', async () => {
    addStoredTicket({ id: 'ABC-DEF', token: 'token-1' });
    let ticket = queuedTicket();
    let seatsLeft = { VIP: 1, Regular: 5 };
    const { requests } = stubApi({
      'GET /availability': () => jsonResponse(seatsLeft),
      'GET /api/tickets/ABC-DEF': () => jsonResponse(ticket),
    });
    const { client } = renderWithClient(<AttendeePage />);
    const card = await screen.findByRole('article', { name: 'Ticket ABC-DEF' });
    await within(card).findByText('Queued', { selector: '.badge' });
    const availability = screen.getByRole('region', { name: 'Availability' });
    await within(availability).findByText(fullText('1 seat left'));
    const availabilityReads = () => requests.filter((r) => r.path === '/availability').length;
    const readsBefore = availabilityReads();

    // Staff served this ticket: only the ticket's own poll has seen it so far.
    ticket = queuedTicket({ status: 'Confirmed', queue_position: undefined, people_ahead: undefined });
    seatsLeft = { VIP: 0, Regular: 5 };
    await act(() => client.refetchQueries({ queryKey: ['tickets'] }));

    await within(card).findByText('Confirmed', { selector: '.badge' });
    expect(await within(availability).findByText(fullText('0 seats left'))).toBeTruthy();
    expect(availabilityReads()).toBe(readsBefore + 1);
  });

  it('keeps a stored ticket "Loading" while the server cannot be reached, leaving the why to the page notice', async () => {
    addStoredTicket({ id: 'ABC-DEF', token: 'token-1' });
    stubApi({
      'GET /availability': () => jsonResponse({ VIP: 3, Regular: 5 }),
      'GET /api/tickets/ABC-DEF': () => {
        throw new TypeError('Failed to fetch');
      },
    });
    const { client } = renderWithClient(<AttendeePage />);

    const card = await screen.findByRole('article', { name: 'Ticket ABC-DEF' });
    const failed = () =>
      client
        .getQueryCache()
        .getAll()
        .filter((query) => query.state.status === 'error')
        .map((query) => JSON.stringify(query.queryKey));
    await vi.waitFor(() => expect(failed()).toEqual([expect.stringContaining('ABC-DEF')]));
    expect(within(card).getByText('Loading ticket…')).toBeTruthy();
    expect(within(card).queryByRole('alert')).toBeNull();
  });

  it('lets a ticket the server no longer knows be removed', async () => {
    addStoredTicket({ id: 'ABC-DEF', token: 'token-1' });
    stubApi({
      'GET /availability': () => jsonResponse({ VIP: 3, Regular: 5 }),
      'GET /api/tickets/ABC-DEF': () => jsonResponse({ error: 'Ticket not found', code: 'TICKET_NOT_FOUND' }, 404),
    });
    renderWithClient(<AttendeePage />);

    const card = await screen.findByRole('article', { name: 'Ticket ABC-DEF' });
    expect((await within(card).findByRole('alert')).textContent).toBe('Ticket not found');
    expect(within(card).getByRole('button', { name: 'Remove from this browser' })).toBeTruthy();
  });

  it('after "Remove from this browser", focus moves to the next ticket, or to the list once none is left', async () => {
    addStoredTicket({ id: 'ABC-DEF', token: 'token-1' });
    addStoredTicket({ id: 'GHJ-KLM', token: 'token-2' });
    stubApi({
      'GET /availability': () => jsonResponse({ VIP: 3, Regular: 5 }),
      'GET /api/tickets/ABC-DEF': () => jsonResponse({ error: 'Ticket not found', code: 'TICKET_NOT_FOUND' }, 404),
      'GET /api/tickets/GHJ-KLM': () => jsonResponse({ error: 'Ticket not found', code: 'TICKET_NOT_FOUND' }, 404),
    });
    const user = userEvent.setup();
    renderWithClient(<AttendeePage />);
    const remove = async (id: string) => {
      const card = await screen.findByRole('article', { name: `Ticket ${id}` });
      await user.click(await within(card).findByRole('button', { name: 'Remove from this browser' }));
      await vi.waitFor(() => expect(screen.queryByRole('article', { name: `Ticket ${id}` })).toBeNull());
    };

    const [first, second] = screen.getAllByRole('article').map((card) => card.getAttribute('aria-label'));
    await remove((first as string).replace('Ticket ', ''));
    expect(document.activeElement).toBe(screen.getByRole('article', { name: second as string }));
    await remove((second as string).replace('Ticket ', ''));
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'My tickets' }));
    expect(readStoredTickets()).toEqual([]);
  });

  it('still shows a ticket the browser refused to store, and says it will be gone after a reload', async () => {
    // On the instance: happy-dom binds storage methods onto it once used, which hides a spy on the prototype.
    const setItem = vi.spyOn(window.localStorage, 'setItem').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    onTestFinished(() => setItem.mockRestore());
    stubApi({
      'GET /availability': () => jsonResponse({ VIP: 3, Regular: 5 }),
      'POST /api/register': () => jsonResponse(registered(), 201),
    });
    const user = userEvent.setup();
    renderWithClient(<AttendeePage />);
    const mine = screen.getByRole('region', { name: 'My tickets' });
    expect(within(mine).queryByRole('alert')).toBeNull();

    await user.type(screen.getByRole('textbox', { name: 'First name' }), 'Ann');
    await user.type(screen.getByRole('textbox', { name: 'Last name' }), 'Lee');
    await user.click(screen.getByRole('button', { name: 'Register' }));

    expect(await within(mine).findByRole('article', { name: 'Ticket ABC-DEF' })).toBeTruthy();
    expect(within(mine).getByRole('alert').textContent).toContain('it will be gone if you reload or close this page');
    expect(readStoredTickets()).toEqual([]);
  });
});

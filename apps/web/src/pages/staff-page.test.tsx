import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QUEUE_LISTS, type QueueResponse, type Transaction } from '@ticketing/shared';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { QUEUE_ROOT } from '../api/queue.ts';
import { SUMMARY_ROOT } from '../api/summary.ts';
import { NETWORK_ERROR_MESSAGE } from '../lib/api-client.ts';
import { getStaffSession, reloadStaffSession, STAFF_TOKEN_STORAGE_KEY } from '../lib/staff-session.ts';
import { cancelAnswer, emptyQueue, queuedTicket, SAMPLE_SUMMARY } from '../test/fixtures.ts';
import {
  fullText,
  HOSTILE_NAME,
  jsonResponse,
  type RecordedRequest,
  renderWithClient,
  settleNotifications,
  stubApi,
} from '../test/utils.tsx';
import { MAYBE_SERVED } from './staff/processing-panel.tsx';
import { StaffPage } from './staff-page.tsx';

const STAFF_TOKEN = 'staff-secret';
const unauthorized = () => jsonResponse({ error: 'Invalid staff token', code: 'UNAUTHORIZED' }, 401);
const staffOnly = (answer: (request: RecordedRequest) => Response | Promise<Response>) => (request: RecordedRequest) =>
  request.headers.get('Authorization') === `Bearer ${STAFF_TOKEN}` ? answer(request) : unauthorized();

function queueWith(entries: Partial<QueueResponse>): QueueResponse {
  const queue = { ...emptyQueue(), ...entries };
  for (const list of QUEUE_LISTS) queue.totals[list] = queue[list].length;
  return queue;
}

/** The dashboard's own reads, answered for an empty line and log. */
function emptyDashboard() {
  return {
    'GET /queue': staffOnly(() => jsonResponse(emptyQueue())),
    'GET /summary_data': () => jsonResponse(SAMPLE_SUMMARY),
    'GET /api/transactions': staffOnly(() => jsonResponse({ items: [], total: 0, limit: 20, offset: 0 })),
  };
}

function staffApi(queue: QueueResponse = emptyQueue()) {
  return stubApi({
    'GET /queue': staffOnly(() => jsonResponse(queue)),
    'GET /summary_data': () => jsonResponse(SAMPLE_SUMMARY),
    'GET /api/transactions': staffOnly(() => jsonResponse({ items: [], total: 0, limit: 20, offset: 0 })),
  });
}

/** The text of everything an element's aria-describedby points at. */
function description(element: HTMLElement): string {
  const ids = element.getAttribute('aria-describedby')?.split(' ') ?? [];
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}

/** The log's event number `seq`: a registration of P<seq> Lee. */
function transactionNumbered(seq: number): Transaction {
  return {
    seq,
    time: new Date(Date.UTC(2030, 0, 1, 10, 0, seq)).toISOString(),
    action: 'registered',
    actor: 'attendee',
    ticket_id: `T${String(seq).padStart(2, '0')}-AAA`,
    first_name: `P${seq}`,
    last_name: 'Lee',
    ticket_type: 'Regular',
    status: 'Queued',
    capacity: null,
  };
}

/** POST /api/process_next's answer: the ticket with this id and type was served and got a seat. */
function servedAnswer(id: string, ticket_type: 'VIP' | 'Regular', remaining: number) {
  const left = { VIP: 5, Regular: 5, [ticket_type]: remaining };
  return jsonResponse({
    processed: { id, first_name: 'G', last_name: id, ticket_type, status: 'Confirmed', remaining },
    status: 'Confirmed',
    remaining_tickets: left,
  });
}

function signedIn() {
  window.sessionStorage.setItem(STAFF_TOKEN_STORAGE_KEY, STAFF_TOKEN);
  reloadStaffSession();
}

describe('staff page', () => {
  it('signs in with the token typed into "Staff token" and keeps it for the session', async () => {
    staffApi();
    const user = userEvent.setup();
    renderWithClient(<StaffPage />);

    await user.type(screen.getByLabelText('Staff token'), STAFF_TOKEN);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('button', { name: 'Sign out' })).toBeTruthy();
    expect(window.sessionStorage.getItem(STAFF_TOKEN_STORAGE_KEY)).toBe(STAFF_TOKEN);
    expect(screen.getByRole('heading', { name: 'VIP Queue' })).toBeTruthy();
  });

  it("puts the API's refusal of a wrong token on the field, focused, and keeps nothing", async () => {
    staffApi();
    const user = userEvent.setup();
    renderWithClient(<StaffPage />);
    const field = screen.getByLabelText('Staff token');

    await user.type(field, 'wrong');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    await vi.waitFor(() => expect(field.getAttribute('aria-invalid')).toBe('true'));
    expect(description(field)).toContain('Invalid staff token');
    expect(document.activeElement).toBe(field);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(window.sessionStorage.getItem(STAFF_TOKEN_STORAGE_KEY)).toBeNull();

    // The message was about the token as it was; typing again takes it away.
    await user.type(field, 'x');
    expect(field.getAttribute('aria-invalid')).toBeNull();
    expect(description(field)).not.toContain('Invalid staff token');
  });

  it('keeps no empty error line between the token field and the Sign in button', () => {
    staffApi();
    renderWithClient(<StaffPage />);

    const form = screen.getByRole('form', { name: 'Sign in' });
    expect(form.querySelector('.field__error')).toBeNull();
  });

  it('shows an unreachable server as an alert, not as a fault in the token', async () => {
    stubApi({
      'GET /queue': () => {
        throw new TypeError('Failed to fetch');
      },
    });
    const user = userEvent.setup();
    renderWithClient(<StaffPage />);
    const field = screen.getByLabelText('Staff token');

    await user.type(field, STAFF_TOKEN);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect((await screen.findByRole('alert')).textContent).toBe(NETWORK_ERROR_MESSAGE);
    expect(field.getAttribute('aria-invalid')).toBeNull();
  });

  it('signs in from /staff#token=… and wipes the token from the address bar', async () => {
    window.history.replaceState(null, '', `/staff#token=${STAFF_TOKEN}`);
    staffApi();
    renderWithClient(<StaffPage />);

    expect(await screen.findByRole('button', { name: 'Sign out' })).toBeTruthy();
    expect(window.location.hash).toBe('');
    expect(window.location.pathname).toBe('/staff');
  });

  it('signs out with a message when a staff call is refused', async () => {
    window.sessionStorage.setItem(STAFF_TOKEN_STORAGE_KEY, 'revoked');
    reloadStaffSession();
    staffApi();
    renderWithClient(<StaffPage />);

    expect((await screen.findByRole('alert')).textContent).toBe('You were signed out: Invalid staff token');
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
    expect(getStaffSession().token).toBeNull();
  });

  it('lists the queues with a named cancel button per row, names as plain text', async () => {
    signedIn();
    staffApi(
      queueWith({
        'VIP Queue': [
          {
            position: 1,
            id: 'ABC-DEF',
            first_name: HOSTILE_NAME,
            last_name: 'Lee',
            ticket_type: 'VIP',
            created_at: new Date(Date.now() - 3 * 60_000).toISOString(),
          },
        ],
      }),
    );
    renderWithClient(<StaffPage />);

    const section = (await screen.findByRole('heading', { name: 'VIP Queue' })).closest('section') as HTMLElement;
    const row = (await within(section).findByText('ABC-DEF')).closest('tr') as HTMLElement;
    expect(Array.from(row.querySelectorAll('td')).map((cell) => cell.textContent)).toEqual([
      '1',
      'ABC-DEF',
      `${HOSTILE_NAME} Lee`,
      '3 min',
      'Cancel ticket ABC-DEF',
    ]);
    expect(within(row).getByRole('button', { name: 'Cancel ticket ABC-DEF' })).toBeTruthy();
    expect(document.querySelector('img')).toBeNull();
  });

  it('lists the seat holders of each type after the waitlists, with how long ago they registered', async () => {
    signedIn();
    staffApi(
      queueWith({
        'VIP Confirmed': [
          {
            position: 1,
            id: 'VIP-AAA',
            first_name: 'Amara',
            last_name: 'Okafor',
            ticket_type: 'VIP',
            created_at: new Date(Date.now() - 12 * 60_000).toISOString(),
          },
        ],
      }),
    );
    renderWithClient(<StaffPage />);

    await screen.findByText('VIP-AAA');
    const headings = screen
      .getAllByRole('heading', { level: 2 })
      .map((heading) => heading.textContent ?? '')
      .filter((name) => (QUEUE_LISTS as readonly string[]).includes(name));
    expect(headings).toEqual([...QUEUE_LISTS]);

    const section = screen.getByRole('region', { name: 'VIP Confirmed' });
    expect(
      within(section)
        .getAllByRole('columnheader')
        .map((cell) => cell.textContent),
    ).toEqual(['Position', 'ID', 'Name', 'Registered', 'Actions']);
    const row = within(section).getByText('VIP-AAA').closest('tr') as HTMLElement;
    expect(Array.from(row.querySelectorAll('td')).map((cell) => cell.textContent)).toEqual([
      '1',
      'VIP-AAA',
      'Amara Okafor',
      '12 min ago',
      'Cancel ticket VIP-AAA',
    ]);
    expect(
      within(screen.getByRole('region', { name: 'Regular Confirmed' })).getByText('Nobody holds a seat yet.'),
    ).toBeTruthy();
  });

  it("cancelling a seat holder asks first, then shows the API's message about the promotion in that list", async () => {
    signedIn();
    const holder = {
      position: 1,
      id: 'VIP-AAA',
      first_name: 'Amara',
      last_name: 'Okafor',
      ticket_type: 'VIP' as const,
      created_at: new Date().toISOString(),
    };
    const waiting = { ...holder, id: 'VIP-CCC', first_name: 'Chen', last_name: 'Wei' };
    let queue = queueWith({ 'VIP Confirmed': [holder], 'VIP Waitlist': [waiting] });
    const message = 'Ticket VIP-AAA cancelled; its seat went to Chen Wei (VIP-CCC) from the waitlist.';
    const api = stubApi({
      'GET /queue': staffOnly(() => jsonResponse(queue)),
      'GET /summary_data': () => jsonResponse(SAMPLE_SUMMARY),
      'GET /api/transactions': staffOnly(() => jsonResponse({ items: [], total: 0, limit: 20, offset: 0 })),
      'DELETE /api/cancel_ticket': staffOnly(() => {
        queue = queueWith({ 'VIP Confirmed': [waiting] });
        const promoted = queuedTicket({ id: 'VIP-CCC', first_name: 'Chen', last_name: 'Wei', status: 'Confirmed' });
        return jsonResponse(cancelAnswer(queuedTicket({ id: 'VIP-AAA' }), message, promoted));
      }),
    });
    const user = userEvent.setup();
    renderWithClient(<StaffPage />);

    const section = screen.getByRole('region', { name: 'VIP Confirmed' });
    await user.click(await within(section).findByRole('button', { name: 'Cancel ticket VIP-AAA' }));
    const dialog = screen.getByRole('dialog', { name: 'Cancel ticket VIP-AAA?' });
    expect(dialog.textContent).toContain('Their seat goes to Chen Wei (VIP-CCC), first on the VIP waitlist.');
    await user.click(within(dialog).getByRole('button', { name: 'Yes, cancel' }));

    expect((await within(section).findByRole('status')).textContent).toBe(message);
    const cancel = api.requests.find((r) => r.method === 'DELETE');
    expect(cancel?.body).toEqual({ id: 'VIP-AAA', expected_status: 'Confirmed' });
    expect(cancel?.headers.get('Authorization')).toBe(`Bearer ${STAFF_TOKEN}`);
    expect(screen.queryByRole('dialog')).toBeNull();
    // The list is read again: the promoted ticket holds the seat now.
    expect(await within(section).findByText('VIP-CCC')).toBeTruthy();
    expect(within(section).queryByText('VIP-AAA')).toBeNull();
    expect(document.activeElement).toBe(within(section).getByRole('heading', { name: 'VIP Confirmed' }));
  });

  it('never cancels a seat the dialog did not mention: served meanwhile, the question is asked again', async () => {
    signedIn();
    const ann = {
      position: 1,
      id: 'VIP-AAA',
      first_name: 'Ann',
      last_name: 'Lee',
      ticket_type: 'VIP' as const,
      created_at: new Date().toISOString(),
    };
    let queue = queueWith({ 'VIP Queue': [ann] });
    const api = stubApi({
      'GET /queue': staffOnly(() => jsonResponse(queue)),
      'GET /summary_data': () => jsonResponse(SAMPLE_SUMMARY),
      'GET /api/transactions': staffOnly(() => jsonResponse({ items: [], total: 0, limit: 20, offset: 0 })),
      'DELETE /api/cancel_ticket': staffOnly((request) => {
        const body = request.body as { expected_status?: string };
        if (body.expected_status !== 'Confirmed') {
          const error = 'Ticket VIP-AAA is Confirmed now, no longer Queued: nothing was cancelled.';
          return jsonResponse({ error, code: 'STATUS_CHANGED', details: { status: 'Confirmed' } }, 409);
        }
        queue = queueWith({});
        return jsonResponse(cancelAnswer(queuedTicket({ id: 'VIP-AAA' }), 'Ticket VIP-AAA cancelled.'));
      }),
    });
    const user = userEvent.setup();
    renderWithClient(<StaffPage />);

    const section = screen.getByRole('region', { name: 'VIP Queue' });
    await user.click(await within(section).findByRole('button', { name: 'Cancel ticket VIP-AAA' }));
    const dialog = screen.getByRole('dialog', { name: 'Cancel ticket VIP-AAA?' });
    expect(dialog.textContent).toContain('They lose their place in the queue.');
    // Served by someone else while the question is open.
    queue = queueWith({ 'VIP Confirmed': [ann] });
    await user.click(within(dialog).getByRole('button', { name: 'Yes, cancel' }));

    expect((await within(dialog).findByRole('alert')).textContent).toContain('nothing was cancelled');
    expect(
      await within(dialog).findByText(
        /Since you opened this, they moved to VIP Confirmed\. Their seat goes back on sale/,
      ),
    ).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Yes, cancel' }));
    await within(screen.getByRole('region', { name: 'VIP Confirmed' })).findByText('Ticket VIP-AAA cancelled.');
    const cancels = api.requests.filter((r) => r.method === 'DELETE').map((r) => r.body);
    expect(cancels).toEqual([
      { id: 'VIP-AAA', expected_status: 'Queued' },
      { id: 'VIP-AAA', expected_status: 'Confirmed' },
    ]);
  });

  it('from "Find a ticket", a ticket served meanwhile beyond the lists shown is asked about again as it is now', async () => {
    signedIn();
    let deep = queuedTicket({ id: 'K7Q-WJE', queue_position: 345, people_ahead: 344 });
    const api = stubApi({
      // Far down the line: on none of the lists the dashboard shows.
      ...emptyDashboard(),
      'GET /api/tickets/K7Q-WJE': staffOnly(() => jsonResponse(deep)),
      'DELETE /api/cancel_ticket': staffOnly((request) => {
        if ((request.body as { expected_status?: string }).expected_status !== 'Confirmed') {
          const error = 'Ticket K7Q-WJE is Confirmed now, no longer Queued: nothing was cancelled.';
          return jsonResponse({ error, code: 'STATUS_CHANGED', details: { status: 'Confirmed' } }, 409);
        }
        const answer = cancelAnswer(deep, 'Ticket K7Q-WJE cancelled.');
        deep = answer.ticket;
        return jsonResponse(answer);
      }),
    });
    const user = userEvent.setup();
    renderWithClient(<StaffPage />);
    const finder = await screen.findByRole('region', { name: 'Find a ticket' });
    await user.type(within(finder).getByRole('textbox', { name: 'Ticket ID' }), 'K7Q-WJE{Enter}');
    await user.click(await within(finder).findByRole('button', { name: 'Cancel ticket K7Q-WJE' }));
    const dialog = screen.getByRole('dialog', { name: 'Cancel ticket K7Q-WJE?' });

    // Served by someone else while the question is open.
    deep = queuedTicket({ id: 'K7Q-WJE', status: 'Confirmed', queue_position: undefined, people_ahead: undefined });
    await user.click(within(dialog).getByRole('button', { name: 'Yes, cancel' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('nothing was cancelled');
    expect(within(dialog).getByText(/Since you opened this, they moved to VIP Confirmed\./)).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Yes, cancel' }));

    expect(await within(finder).findByText('Ticket K7Q-WJE cancelled.')).toBeTruthy();
    expect(api.requests.filter((r) => r.method === 'DELETE').map((r) => r.body)).toEqual([
      { id: 'K7Q-WJE', expected_status: 'Queued' },
      { id: 'K7Q-WJE', expected_status: 'Confirmed' },
    ]);
  });

  it('announces a found ticket once, and again only when its status changes, not as its place moves up', async () => {
    signedIn();
    let deep = queuedTicket({ id: 'K7Q-WJE', queue_position: 345, people_ahead: 344 });
    stubApi({
      ...emptyDashboard(),
      'GET /api/tickets/K7Q-WJE': staffOnly(() => jsonResponse(deep)),
    });
    const user = userEvent.setup();
    const { client } = renderWithClient(<StaffPage />);
    const finder = await screen.findByRole('region', { name: 'Find a ticket' });
    await user.type(within(finder).getByRole('textbox', { name: 'Ticket ID' }), 'K7Q-WJE{Enter}');
    const spoken = () =>
      within(finder)
        .getAllByRole('status')
        .map((region) => region.textContent);
    await vi.waitFor(() => expect(spoken()).toContain('Found K7Q-WJE: Ann Lee, VIP, Queued.'));

    deep = { ...deep, queue_position: 300, people_ahead: 299 };
    await act(() => client.refetchQueries({ queryKey: ['tickets'] }));
    await within(finder).findByText('Place 300 in the VIP queue.');
    expect(spoken().filter(Boolean)).toEqual(['Found K7Q-WJE: Ann Lee, VIP, Queued.']);

    deep = queuedTicket({ id: 'K7Q-WJE', status: 'Confirmed', queue_position: undefined, people_ahead: undefined });
    await act(() => client.refetchQueries({ queryKey: ['tickets'] }));
    await vi.waitFor(() => expect(spoken().filter(Boolean)).toEqual(['Found K7Q-WJE: Ann Lee, VIP, Confirmed.']));
  });

  it('finds any ticket by its id, however far down its list, and cancels it from there', async () => {
    signedIn();
    let deep = queuedTicket({ id: 'K7Q-WJE', queue_position: 345, people_ahead: 344 });
    const api = stubApi({
      ...emptyDashboard(),
      'GET /api/tickets/K7Q-WJE': staffOnly(() => jsonResponse(deep)),
      'GET /api/tickets/ZZZ-ZZZ': staffOnly(() =>
        jsonResponse({ error: 'Ticket not found', code: 'TICKET_NOT_FOUND' }, 404),
      ),
      'DELETE /api/cancel_ticket': staffOnly(() => {
        const answer = cancelAnswer(deep, 'Ticket K7Q-WJE cancelled.');
        deep = answer.ticket;
        return jsonResponse(answer);
      }),
    });
    const user = userEvent.setup();
    renderWithClient(<StaffPage />);
    const finder = await screen.findByRole('region', { name: 'Find a ticket' });
    const field = within(finder).getByRole('textbox', { name: 'Ticket ID' });

    await user.type(field, 'k7q');
    await user.click(within(finder).getByRole('button', { name: 'Find' }));
    expect(within(finder).getByRole('alert').textContent).toBe(
      'A ticket ID is six letters and digits, such as K7Q-WJE.',
    );
    expect(field.getAttribute('aria-invalid')).toBe('true');

    await user.clear(field);
    await user.type(field, 'zzz zzz{Enter}');
    expect(await within(finder).findByText(/No ticket has the ID/)).toBeTruthy();
    // A malformed ID next: its error stands alone, not beside the last search's result.
    await user.clear(field);
    await user.type(field, 'zz{Enter}');
    expect(within(finder).getByRole('alert')).toBeTruthy();
    expect(within(finder).queryByText(/No ticket has the ID/)).toBeNull();

    await user.clear(field);
    await user.type(field, 'k7q wje{Enter}');
    expect(await within(finder).findByText('Place 345 in the VIP queue.')).toBeTruthy();
    await user.click(within(finder).getByRole('button', { name: 'Cancel ticket K7Q-WJE' }));
    const dialog = screen.getByRole('dialog', { name: 'Cancel ticket K7Q-WJE?' });
    expect(dialog.textContent).toContain('Ann Lee, VIP. They lose their place in the queue.');
    await user.click(within(dialog).getByRole('button', { name: 'Yes, cancel' }));

    expect(await within(finder).findByText('Ticket K7Q-WJE cancelled.')).toBeTruthy();
    expect(api.requests.find((r) => r.method === 'DELETE')?.body).toEqual({ id: 'K7Q-WJE', expected_status: 'Queued' });
    // The ticket is read again: cancelled, with nothing left to cancel.
    expect(await within(finder).findByText('Cancelled: it holds no place.')).toBeTruthy();
    expect(within(finder).queryByRole('button', { name: /Cancel ticket/ })).toBeNull();
  });

  it('a summary poll sent before "Save capacity" and answered 304 after it does not put the old capacity back', async () => {
    signedIn();
    let pollAnswer: ((response: Response) => void) | undefined;
    let polls = 0;
    stubApi({
      'GET /queue': staffOnly(() => jsonResponse(emptyQueue())),
      'GET /summary_data': () => {
        polls += 1;
        if (polls === 1) return jsonResponse(SAMPLE_SUMMARY, 200, { ETag: '"v42"' });
        return new Promise<Response>((resolve) => (pollAnswer = resolve));
      },
      'GET /api/transactions': staffOnly(() => jsonResponse({ items: [], total: 0, limit: 20, offset: 0 })),
      'PUT /api/capacity': staffOnly(() =>
        jsonResponse({ ...SAMPLE_SUMMARY, vip_capacity: 10, version: 43, promoted: { VIP: 0, Regular: 0 } }),
      ),
    });
    const user = userEvent.setup();
    const { client } = renderWithClient(<StaffPage />);
    const vip = (await screen.findByRole('spinbutton', { name: 'VIP capacity' })) as HTMLInputElement;
    await vi.waitFor(() => expect(vip.value).toBe('3'));

    // The next poll leaves before the change and is answered after it: "unchanged" since the old summary.
    void client.refetchQueries({ queryKey: [SUMMARY_ROOT] });
    await vi.waitFor(() => expect(pollAnswer).toBeDefined());
    await user.clear(vip);
    await user.type(vip, '10');
    await user.click(screen.getByRole('button', { name: 'Save capacity' }));
    await screen.findByText('Capacity saved: VIP 10, Regular 5.');
    pollAnswer?.(new Response(null, { status: 304 }));
    await vi.waitFor(() => expect(client.getQueryState([SUMMARY_ROOT])?.fetchStatus).toBe('idle'));
    await settleNotifications();

    expect(vip.value).toBe('10');
  });

  it('reads the lists again as soon as the summary moves on, so the Sales figures and the lists agree', async () => {
    signedIn();
    let version = 42;
    const api = stubApi({
      'GET /queue': staffOnly(() => jsonResponse(emptyQueue())),
      'GET /summary_data': () => jsonResponse({ ...SAMPLE_SUMMARY, version }),
      'GET /api/transactions': staffOnly(() => jsonResponse({ items: [], total: 0, limit: 20, offset: 0 })),
    });
    const { client } = renderWithClient(<StaffPage />);
    const queueReads = () => api.requests.filter((r) => r.path.startsWith('/queue')).length;
    await vi.waitFor(() => expect(queueReads()).toBe(1));
    const invalidated = vi.spyOn(client, 'invalidateQueries');
    onTestFinished(() => {
      vi.restoreAllMocks();
    });
    const listsInvalidated = () => invalidated.mock.calls.filter(([filters]) => filters?.queryKey?.[0] === QUEUE_ROOT);

    // The same summary again: the lists wait for their own poll.
    await act(() => client.refetchQueries({ queryKey: [SUMMARY_ROOT] }));
    await settleNotifications();
    expect(listsInvalidated()).toEqual([]);
    // A newer one: they are read at once.
    const readsBefore = queueReads();
    version = 43;
    await act(() => client.refetchQueries({ queryKey: [SUMMARY_ROOT] }));
    await vi.waitFor(() => expect(queueReads()).toBe(readsBefore + 1));
    expect(listsInvalidated()).toHaveLength(1);
  });

  it('says how many on each waitlist got the seats a capacity change added', async () => {
    signedIn();
    stubApi({
      'GET /queue': staffOnly(() => jsonResponse(emptyQueue())),
      'GET /summary_data': () => jsonResponse(SAMPLE_SUMMARY),
      'GET /api/transactions': staffOnly(() => jsonResponse({ items: [], total: 0, limit: 20, offset: 0 })),
      'PUT /api/capacity': staffOnly(() =>
        jsonResponse({
          ...SAMPLE_SUMMARY,
          vip_capacity: 1510,
          regular_capacity: 20_000,
          version: 43,
          promoted: { VIP: 1250, Regular: 0 },
        }),
      ),
    });
    const user = userEvent.setup();
    const { client } = renderWithClient(<StaffPage />);
    const vip = (await screen.findByRole('spinbutton', { name: 'VIP capacity' })) as HTMLInputElement;
    await vi.waitFor(() => expect(vip.value).toBe('3'));
    await user.clear(vip);
    await user.type(vip, '1510');
    await user.click(screen.getByRole('button', { name: 'Save capacity' }));

    await screen.findByText('Capacity saved: VIP 1,510, Regular 20,000. 1,250 on the VIP waitlist got seats.');
    // The summary the answer carries is cached as a summary, without the count of promotions.
    expect(client.getQueryData<{ summary: object }>([SUMMARY_ROOT])?.summary).not.toHaveProperty('promoted');
  });

  it('refuses a capacity below seats sold before asking the API', async () => {
    signedIn();
    const api = staffApi();
    const user = userEvent.setup();
    renderWithClient(<StaffPage />);

    const vip = await screen.findByRole('spinbutton', { name: 'VIP capacity' });
    await screen.findByText('2 sold, cannot go lower');
    await user.clear(vip);
    await user.type(vip, '1');
    await user.click(screen.getByRole('button', { name: 'Save capacity' }));

    expect(vip.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toBe('VIP capacity cannot be 1: 2 seats are already sold');
    expect(api.requests.some((r) => r.method === 'PUT')).toBe(false);
  });

  it('"Process all" serves until the line is empty, a few requests at a time, with progress against the length at the start', async () => {
    signedIn();
    const LINE = 20;
    let left = LINE;
    let inFlight = 0;
    let mostInFlight = 0;
    const entry = (n: number) => ({
      position: n,
      id: `AAA-B${String(n).padStart(2, '0')}`,
      first_name: 'G',
      last_name: `${n}`,
      ticket_type: 'VIP' as const,
      created_at: new Date().toISOString(),
    });
    const api = stubApi({
      'GET /queue': staffOnly(() =>
        jsonResponse(queueWith({ 'VIP Queue': Array.from({ length: left }, (_, i) => entry(LINE - left + i + 1)) })),
      ),
      'GET /summary_data': () => jsonResponse(SAMPLE_SUMMARY),
      'GET /api/transactions': staffOnly(() => jsonResponse({ items: [], total: 0, limit: 20, offset: 0 })),
      'POST /api/process_next': staffOnly(async () => {
        // Served on arrival, as the server does, and answered a moment later, when the change is on disk.
        const answer =
          left === 0
            ? jsonResponse({
                processed: null,
                message: 'No users in queue.',
                remaining_tickets: { VIP: 0, Regular: 5 },
              })
            : servedAnswer(`AAA-B${String(LINE - --left).padStart(2, '0')}`, 'VIP', 0);
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight -= 1;
        return answer;
      }),
    });
    const user = userEvent.setup();
    renderWithClient(<StaffPage />);
    await screen.findByText('AAA-B01');

    await user.click(screen.getByRole('button', { name: 'Process all' }));

    expect(await screen.findByText(`Processed ${LINE} tickets. The queue is empty.`)).toBeTruthy();
    expect(mostInFlight).toBeGreaterThan(1);
    expect(mostInFlight).toBeLessThanOrEqual(5);
    // Each request its own Idempotency-Key: under one key, the server would answer the first again and again.
    const keys = api.requests
      .filter((r) => r.path === '/api/process_next')
      .map((r) => r.headers.get('idempotency-key'));
    expect(keys.every(Boolean)).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
    // Each request in flight when the line ran out was answered "nobody to serve"; none was sent after that.
    expect(api.requests.filter((r) => r.path === '/api/process_next').length).toBeLessThanOrEqual(LINE + 5);
    expect(screen.queryByRole('progressbar', { name: 'Processing progress' })).toBeNull();
  });

  it('"Process all" stops on an error, sending nothing more once the requests in flight are answered', async () => {
    signedIn();
    let arrived = 0;
    let afterFailure = 0;
    stubApi({
      ...emptyDashboard(),
      'POST /api/process_next': staffOnly(async () => {
        arrived += 1;
        const n = arrived;
        if (n > 4) afterFailure += 1;
        await new Promise((resolve) => setTimeout(resolve, 2));
        if (n === 4) return jsonResponse({ error: 'Storage is unavailable', code: 'STORAGE_UNAVAILABLE' }, 503);
        return servedAnswer(`AAA-BC${n}`, 'VIP', 9);
      }),
    });
    const user = userEvent.setup();
    renderWithClient(<StaffPage />);
    const processing = screen.getByRole('region', { name: 'Processing' });

    await user.click(within(processing).getByRole('button', { name: 'Process all' }));

    expect(await within(processing).findByText(/because of an error\.$/)).toBeTruthy();
    expect(within(processing).getByRole('alert').textContent).toBe('Storage is unavailable');
    // Only those already launched when the error came were sent after it: at most the four others in flight.
    expect(afterFailure).toBeLessThanOrEqual(4);
  });

  it('after "Process all", "Process next" serves whoever is next, not the answer to a press from before the run', async () => {
    signedIn();
    let served = 0;
    const api = stubApi({
      ...emptyDashboard(),
      'POST /api/process_next': staffOnly(() => {
        served += 1;
        if (served === 1) throw new TypeError('Failed to fetch');
        return served === 2
          ? servedAnswer('AAA-BB2', 'VIP', 4)
          : jsonResponse({ processed: null, message: 'No users in queue.', remaining_tickets: { VIP: 4, Regular: 5 } });
      }),
    });
    const user = userEvent.setup();
    renderWithClient(<StaffPage />);
    const processing = screen.getByRole('region', { name: 'Processing' });

    await user.click(within(processing).getByRole('button', { name: 'Process next' }));
    await within(processing).findByRole('alert');
    await user.click(within(processing).getByRole('button', { name: 'Process all' }));
    await within(processing).findByText('Processed 1 ticket. The queue is empty.');
    await user.click(within(processing).getByRole('button', { name: 'Process next' }));
    await within(processing).findByText('No users in queue.');

    const keys = api.requests
      .filter((r) => r.path === '/api/process_next')
      .map((r) => r.headers.get('idempotency-key'));
    expect(keys.at(-1)).not.toBe(keys[0]);
  });

  it('says when "Process next" was answered with the answer to an earlier press, which served nobody new', async () => {
    signedIn();
    let presses = 0;
    stubApi({
      ...emptyDashboard(),
      'POST /api/process_next': staffOnly(async () => {
        presses += 1;
        if (presses === 1) throw new TypeError('Failed to fetch');
        const first = await servedAnswer('AAA-BB1', 'VIP', 4).json();
        return jsonResponse(first, 200, { 'Idempotent-Replayed': 'true' });
      }),
    });
    const user = userEvent.setup();
    renderWithClient(<StaffPage />);
    const processing = screen.getByRole('region', { name: 'Processing' });

    await user.click(within(processing).getByRole('button', { name: 'Process next' }));
    await within(processing).findByRole('alert');
    await user.click(within(processing).getByRole('button', { name: 'Process next' }));

    expect(
      await within(processing).findByText(
        'Your earlier press, whose answer had not arrived, served G AAA-BB1 (VIP): Confirmed. Nobody else was served.',
      ),
    ).toBeTruthy();
  });

  it('once the server answers again, says a "Process next" it never answered may have served someone, and to press again', async () => {
    signedIn();
    let reachable = false;
    const api = stubApi({
      ...emptyDashboard(),
      'POST /api/process_next': staffOnly(async () => {
        if (!reachable) throw new TypeError('Failed to fetch');
        const first = await servedAnswer('AAA-BB1', 'VIP', 4).json();
        return jsonResponse(first, 200, { 'Idempotent-Replayed': 'true' });
      }),
    });
    const user = userEvent.setup();
    const { client } = renderWithClient(<StaffPage />);
    const processing = screen.getByRole('region', { name: 'Processing' });
    const status = within(processing).getByRole('status');

    await user.click(within(processing).getByRole('button', { name: 'Process next' }));
    expect((await within(processing).findByRole('alert')).textContent).toBe(NETWORK_ERROR_MESSAGE);
    expect(status.textContent).toBe('');

    // The page's next poll is answered: the server is back, and whether that press served someone is unknown.
    reachable = true;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await act(() => client.refetchQueries({ queryKey: [SUMMARY_ROOT] }));
    await vi.waitFor(() => expect(within(processing).getByRole('alert').textContent).toBe(MAYBE_SERVED));
    expect(status.textContent).toBe('');

    await user.click(within(processing).getByRole('button', { name: 'Process next' }));
    await within(processing).findByText(/^Your earlier press, whose answer had not arrived, served G AAA-BB1/);
    expect(within(processing).queryByRole('alert')).toBeNull();
    const keys = api.requests
      .filter((r) => r.path === '/api/process_next')
      .map((r) => r.headers.get('idempotency-key'));
    expect(keys).toEqual([keys[0], keys[0]]);
  });

  it('a "Process next" that serves someone clears the error a "Process all" run ended with', async () => {
    signedIn();
    let calls = 0;
    stubApi({
      ...emptyDashboard(),
      'POST /api/process_next': staffOnly(() => {
        calls += 1;
        return calls === 1
          ? jsonResponse({ error: 'Storage is unavailable', code: 'STORAGE_UNAVAILABLE' }, 503)
          : servedAnswer('AAA-BB7', 'VIP', 3);
      }),
    });
    const user = userEvent.setup();
    renderWithClient(<StaffPage />);
    const processing = screen.getByRole('region', { name: 'Processing' });

    await user.click(within(processing).getByRole('button', { name: 'Process all' }));
    expect((await within(processing).findByRole('alert')).textContent).toBe('Storage is unavailable');
    await user.click(within(processing).getByRole('button', { name: 'Process next' }));

    expect(await within(processing).findByText('Served G AAA-BB7 (VIP): Confirmed.')).toBeTruthy();
    expect(within(processing).queryByRole('alert')).toBeNull();
  });

  it('while a "Process next" is on its way, says so rather than that nothing was processed', async () => {
    signedIn();
    let answer: ((response: Response) => void) | undefined;
    stubApi({
      ...emptyDashboard(),
      'POST /api/process_next': staffOnly(() => new Promise<Response>((resolve) => (answer = resolve))),
    });
    const user = userEvent.setup();
    renderWithClient(<StaffPage />);
    const processing = screen.getByRole('region', { name: 'Processing' });
    const status = within(processing).getByRole('status');
    // What this page did, not the sale's: another staff member may be serving meanwhile.
    expect(status.textContent).toBe('Nothing processed from this page yet.');

    await user.click(within(processing).getByRole('button', { name: 'Process next' }));
    await vi.waitFor(() => expect(answer).toBeDefined());
    expect(status.textContent).toBe('Serving the next person in line…');
    answer?.(servedAnswer('AAA-BB8', 'VIP', 3));
    await vi.waitFor(() => expect(status.textContent).toBe('Served G AAA-BB8 (VIP): Confirmed.'));
  });

  it('"Stop processing" stops after the request in flight', async () => {
    signedIn();
    let release: (() => void) | undefined;
    const api = stubApi({
      'GET /queue': staffOnly(() =>
        jsonResponse(
          queueWith({
            'Regular Queue': [1, 2, 3, 4].map((n) => ({
              position: n,
              id: `RRR-SS${n}`,
              first_name: 'R',
              last_name: `${n}`,
              ticket_type: 'Regular' as const,
              created_at: new Date().toISOString(),
            })),
          }),
        ),
      ),
      'GET /summary_data': () => jsonResponse(SAMPLE_SUMMARY),
      'GET /api/transactions': staffOnly(() => jsonResponse({ items: [], total: 0, limit: 20, offset: 0 })),
      'POST /api/process_next': () =>
        new Promise<Response>((resolve) => {
          release = () => resolve(servedAnswer('RRR-SS1', 'Regular', 4));
        }),
    });
    const user = userEvent.setup();
    renderWithClient(<StaffPage />);
    await screen.findByText('RRR-SS1');

    await user.click(screen.getByRole('button', { name: 'Process all' }));
    const bar = await screen.findByRole('progressbar', { name: 'Processing progress' });
    expect(bar.getAttribute('aria-valuemax')).toBe('4');
    await vi.waitFor(() => expect(release).toBeDefined());
    await user.click(screen.getByRole('button', { name: 'Stop processing' }));
    release?.();

    expect(await screen.findByText('Stopped after 1 ticket.')).toBeTruthy();
    expect(api.requests.filter((r) => r.path === '/api/process_next')).toHaveLength(1);
  });

  it("keeps Process next's refusal by the server on screen while polls go on", async () => {
    signedIn();
    stubApi({
      ...emptyDashboard(),
      'POST /api/process_next': () =>
        jsonResponse({ error: 'Storage is unavailable', code: 'STORAGE_UNAVAILABLE' }, 503),
    });
    const user = userEvent.setup();
    const { client } = renderWithClient(<StaffPage />);
    const processing = screen.getByRole('region', { name: 'Processing' });

    await user.click(within(processing).getByRole('button', { name: 'Process next' }));
    expect((await within(processing).findByRole('alert')).textContent).toBe('Storage is unavailable');

    await new Promise((resolve) => setTimeout(resolve, 5));
    await act(() => client.refetchQueries({ queryKey: ['queue'] }));
    await settleNotifications();

    expect(within(processing).getByRole('alert').textContent).toBe('Storage is unavailable');
  });

  it('says plainly that a search found nothing, without a range or page buttons', async () => {
    signedIn();
    const api = stubApi({
      ...emptyDashboard(),
    });
    const user = userEvent.setup();
    renderWithClient(<StaffPage />);
    const transactions = screen.getByRole('region', { name: 'Transactions' });

    await user.type(within(transactions).getByRole('searchbox', { name: 'Search transactions' }), 'Zoë');

    expect(await within(transactions).findByText('No transactions match “Zoë”.')).toBeTruthy();
    expect(api.requests.some((r) => r.path.includes('q=Zo%C3%AB'))).toBe(true);
    expect(within(transactions).queryByText(/Showing/)).toBeNull();
    expect(within(transactions).queryByRole('button', { name: 'Next page' })).toBeNull();
    expect(within(transactions).queryByRole('button', { name: 'Previous page' })).toBeNull();
    expect(within(transactions).queryByRole('table')).toBeNull();
  });

  it('while a search loads, says so, rather than giving the search before it as its answer', async () => {
    signedIn();
    let answerZoe: (() => void) | undefined;
    stubApi({
      ...emptyDashboard(),
      'GET /api/transactions': staffOnly((request) => {
        const q = new URL(request.path, 'http://localhost').searchParams.get('q');
        const none = jsonResponse({ items: [], total: 0, limit: 20, offset: 0 });
        return q === 'Zoë' ? new Promise<Response>((resolve) => (answerZoe = () => resolve(none))) : none;
      }),
    });
    const user = userEvent.setup();
    renderWithClient(<StaffPage />);
    const transactions = screen.getByRole('region', { name: 'Transactions' });
    const search = within(transactions).getByRole('searchbox', { name: 'Search transactions' });

    await user.type(search, 'Zo');
    expect(await within(transactions).findByText('No transactions match “Zo”.')).toBeTruthy();
    await user.type(search, 'ë');
    await vi.waitFor(() => expect(answerZoe).toBeDefined());
    expect(within(transactions).getByText('Loading…')).toBeTruthy();
    expect(within(transactions).queryByText(/No transactions match/)).toBeNull();

    answerZoe?.();
    expect(await within(transactions).findByText('No transactions match “Zoë”.')).toBeTruthy();
  });

  it('announces what a search or a page holds once, not each time a poll brings new events', async () => {
    signedIn();
    let newest = 45;
    stubApi({
      'GET /queue': staffOnly(() => jsonResponse(emptyQueue())),
      'GET /summary_data': () => jsonResponse(SAMPLE_SUMMARY),
      'GET /api/transactions': staffOnly((request) => {
        const q = new URL(request.path, 'http://localhost').searchParams.get('q');
        const total = q ? 0 : newest;
        const items = Array.from({ length: Math.min(20, total) }, (_, i) => transactionNumbered(total - i));
        return jsonResponse({ items, total, limit: 20, offset: 0 });
      }),
    });
    const user = userEvent.setup();
    const { client } = renderWithClient(<StaffPage />);
    const transactions = screen.getByRole('region', { name: 'Transactions' });
    const spoken = within(transactions).getByRole('status');
    await vi.waitFor(() => expect(spoken.textContent).toBe('Transactions: 45; showing 1 to 20.'));

    // The sale goes on: the range shown follows, the live region stays quiet.
    newest = 50;
    await act(() => client.refetchQueries({ queryKey: ['transactions'] }));
    await within(transactions).findByText('Showing 1–20 of 50');
    await settleNotifications();
    expect(spoken.textContent).toBe('Transactions: 45; showing 1 to 20.');

    await user.type(within(transactions).getByRole('searchbox', { name: 'Search transactions' }), 'Zoë');
    await vi.waitFor(() => expect(spoken.textContent).toBe('Transactions: none match “Zoë”.'));
  });

  it('holds the pages beyond the first at the newest row it showed, while the first page stays live', async () => {
    signedIn();
    // A log of `newest` events, answered as the server does: newest first, up to up_to_seq when given.
    let newest = 45;
    const api = stubApi({
      'GET /queue': staffOnly(() => jsonResponse(emptyQueue())),
      'GET /summary_data': () => jsonResponse(SAMPLE_SUMMARY),
      'GET /api/transactions': staffOnly((request) => {
        const query = new URL(request.path, 'http://localhost').searchParams;
        const top = Math.min(newest, Number(query.get('up_to_seq') ?? newest));
        const [limit, offset] = [Number(query.get('limit')), Number(query.get('offset'))];
        const seqs = Array.from({ length: Math.max(0, Math.min(limit, top - offset)) }, (_, i) => top - offset - i);
        return jsonResponse({ items: seqs.map(transactionNumbered), total: top, limit, offset });
      }),
    });
    const user = userEvent.setup();
    const { client } = renderWithClient(<StaffPage />);
    const transactions = screen.getByRole('region', { name: 'Transactions' });
    const pageRange = () => within(transactions).getByText(/^Showing/).textContent;
    await within(transactions).findByText('Showing 1–20 of 45');

    await user.click(within(transactions).getByRole('button', { name: 'Next page' }));
    await within(transactions).findByText(fullText('P25 Lee'));
    expect(api.requests.at(-1)?.path).toContain('up_to_seq=45');
    expect(pageRange()).toMatch(/^Showing 21–40 of 45 · as at .+; newer events are on the first page$/);

    // Five more events arrive and the page is read again: it has not moved.
    newest = 50;
    await act(() => client.refetchQueries({ queryKey: ['transactions'] }));
    expect(within(transactions).getByText(fullText('P25 Lee'))).toBeTruthy();
    expect(pageRange()).toMatch(/^Showing 21–40 of 45 ·/);

    await user.click(within(transactions).getByRole('button', { name: 'Previous page' }));
    expect(await within(transactions).findByText('Showing 1–20 of 50')).toBeTruthy();
    const firstPageReads = api.requests.filter((r) => r.path.includes('offset=0'));
    expect(firstPageReads.length).toBeGreaterThan(1);
    expect(firstPageReads.filter((r) => r.path.includes('up_to_seq'))).toEqual([]);

    // From page 3, Newest goes back to the live first page, and focus stays in the pager.
    await user.click(within(transactions).getByRole('button', { name: 'Next page' }));
    await within(transactions).findByText(/^Showing 21–40 of 50/);
    await user.click(within(transactions).getByRole('button', { name: 'Next page' }));
    await within(transactions).findByText(/^Showing 41–50 of 50/);
    expect(api.requests.at(-1)?.path).toContain('up_to_seq=50');
    await user.click(within(transactions).getByRole('button', { name: 'Newest' }));
    expect(await within(transactions).findByText('Showing 1–20 of 50')).toBeTruthy();
    expect(within(transactions).queryByRole('button', { name: 'Newest' })).toBeNull();
    expect(document.activeElement).toBe(within(transactions).getByRole('button', { name: 'Next page' }));

    // Oldest goes to the last page, held like any other, and focus stays in the pager.
    await user.click(within(transactions).getByRole('button', { name: 'Oldest' }));
    await within(transactions).findByText(/^Showing 41–50 of 50/);
    expect(api.requests.at(-1)?.path).toContain('offset=40');
    expect(api.requests.at(-1)?.path).toContain('up_to_seq=50');
    expect(within(transactions).queryByRole('button', { name: 'Oldest' })).toBeNull();
    expect(document.activeElement).toBe(within(transactions).getByRole('button', { name: 'Previous page' }));
  });

  it('narrows the log by type and status, from its first page, and says so when nothing matches', async () => {
    signedIn();
    const api = stubApi({
      'GET /queue': staffOnly(() => jsonResponse(emptyQueue())),
      'GET /summary_data': () => jsonResponse(SAMPLE_SUMMARY),
      'GET /api/transactions': staffOnly((request) => {
        const query = new URL(request.path, 'http://localhost').searchParams;
        const total = query.get('status') ? 0 : 45;
        const items = Array.from({ length: Math.min(20, total) }, (_, i) => transactionNumbered(total - i));
        return jsonResponse({ items, total, limit: 20, offset: Number(query.get('offset')) });
      }),
    });
    const user = userEvent.setup();
    renderWithClient(<StaffPage />);
    const transactions = screen.getByRole('region', { name: 'Transactions' });
    await within(transactions).findByText('Showing 1–20 of 45');
    await user.click(within(transactions).getByRole('button', { name: 'Next page' }));
    await within(transactions).findByText(/^Showing 21–40 of 45/);

    await user.selectOptions(within(transactions).getByRole('combobox', { name: 'Type' }), 'VIP');
    await within(transactions).findByText('Showing 1–20 of 45');
    expect(api.requests.at(-1)?.path).toMatch(/ticket_type=VIP/);
    expect(api.requests.at(-1)?.path).toMatch(/offset=0/);
    await user.selectOptions(within(transactions).getByRole('combobox', { name: 'Status' }), 'Sold Out');
    expect(await within(transactions).findByText('No transactions match VIP, Sold Out.')).toBeTruthy();
    expect(api.requests.at(-1)?.path).toMatch(/ticket_type=VIP&status=Sold\+Out/);
    await user.selectOptions(within(transactions).getByRole('combobox', { name: 'Status' }), 'All statuses');
    await within(transactions).findByText('Showing 1–20 of 45');
  });

  it('pages on only from the rows of the current search: while a search loads, its pager is unavailable', async () => {
    signedIn();
    let answerSearch!: () => void;
    const searchAnswered = new Promise<void>((resolve) => {
      answerSearch = resolve;
    });
    const api = stubApi({
      'GET /queue': staffOnly(() => jsonResponse(emptyQueue())),
      'GET /summary_data': () => jsonResponse(SAMPLE_SUMMARY),
      'GET /api/transactions': staffOnly(async (request) => {
        const query = new URL(request.path, 'http://localhost').searchParams;
        if (!query.get('q')) {
          return jsonResponse({ items: [45, 44].map(transactionNumbered), total: 45, limit: 20, offset: 0 });
        }
        await searchAnswered;
        return jsonResponse({ items: [transactionNumbered(7)], total: 1, limit: 20, offset: 0 });
      }),
    });
    const user = userEvent.setup();
    renderWithClient(<StaffPage />);
    const transactions = screen.getByRole('region', { name: 'Transactions' });
    await within(transactions).findByText('Showing 1–20 of 45');

    await user.type(within(transactions).getByRole('searchbox', { name: 'Search transactions' }), 'P7');
    await vi.waitFor(() => expect(api.requests.some((r) => r.path.includes('q=P7'))).toBe(true));
    // The unsearched log is still on screen, with its 45 rows, while the search loads.
    const nextPage = within(transactions).getByRole('button', { name: 'Next page' });
    expect(nextPage.getAttribute('aria-disabled')).toBe('true');
    await user.click(nextPage);
    expect(api.requests.filter((r) => r.path.includes('offset=20'))).toEqual([]);

    answerSearch();
    expect(await within(transactions).findByText('Showing 1–1 of 1')).toBeTruthy();
    expect(within(transactions).getByRole('button', { name: 'Next page' }).getAttribute('aria-disabled')).toBe('true');
  });

  it("Download CSV saves the server's bytes under the file name the server gives", async () => {
    signedIn();
    const csv = '\uFEFFseq,time\n1,2030-01-01T10:00:00.000Z\n';
    stubApi({
      ...emptyDashboard(),
      'GET /api/transactions.csv': staffOnly(
        () =>
          new Response(csv, {
            headers: {
              'Content-Type': 'text/csv; charset=utf-8',
              'Content-Disposition': 'attachment; filename="transactions-2026-11-26-11-57-50.csv"',
            },
          }),
      ),
    });
    const saved: { name: string; blob: Blob | undefined }[] = [];
    const blobs = new Map<string, Blob>();
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      const url = `blob:test/${blobs.size}`;
      blobs.set(url, blob as Blob);
      return url;
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push({ name: this.download, blob: blobs.get(this.getAttribute('href') ?? '') });
    });
    onTestFinished(() => {
      vi.restoreAllMocks();
    });
    const user = userEvent.setup();
    renderWithClient(<StaffPage />);

    await user.click(screen.getByRole('button', { name: 'Download CSV' }));

    await vi.waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]?.name).toBe('transactions-2026-11-26-11-57-50.csv');
    // Byte for byte, the byte-order mark Excel needs included.
    const bytes = new Uint8Array((await saved[0]?.blob?.arrayBuffer()) ?? new ArrayBuffer(0));
    expect(Array.from(bytes.slice(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
  });
});

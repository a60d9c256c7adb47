import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { AVAILABILITY_ROOT } from '../../api/availability.ts';
import { NETWORK_ERROR_MESSAGE } from '../../lib/api-client.ts';
import { readStoredTickets } from '../../lib/tickets-storage.ts';
import { registered } from '../../test/fixtures.ts';
import { fullText, jsonResponse, renderWithClient, stubApi } from '../../test/utils.tsx';
import { AttendeePage } from '../attendee-page.tsx';
import { MAYBE_REGISTERED } from './registration-form.tsx';

function attendeeApi(register: () => Response | Promise<Response> = () => jsonResponse(registered(), 201)) {
  return stubApi({
    'GET /availability': () => jsonResponse({ VIP: 3, Regular: 5 }),
    'POST /api/register': register,
  });
}

const form = () => screen.getByRole('form', { name: 'Register for a ticket' });

describe('registration form', () => {
  it('has labelled fields, a "Ticket type" radio group with Regular preselected, and a Register button', () => {
    attendeeApi();
    renderWithClient(<AttendeePage />);

    const f = within(form());
    expect(f.getByRole('textbox', { name: 'First name' })).toBeTruthy();
    expect(f.getByRole('textbox', { name: 'Last name' })).toBeTruthy();
    const group = f.getByRole('radiogroup', { name: 'Ticket type' });
    expect((within(group).getByRole('radio', { name: 'Regular' }) as HTMLInputElement).checked).toBe(true);
    expect((within(group).getByRole('radio', { name: 'VIP' }) as HTMLInputElement).checked).toBe(false);
    expect(f.getByRole('button', { name: 'Register' })).toBeTruthy();
  });

  it('says on a sold-out type that a registration joins its waitlist, and still lets it be chosen', async () => {
    stubApi({ 'GET /availability': () => jsonResponse({ VIP: 0, Regular: 5 }) });
    const user = userEvent.setup();
    renderWithClient(<AttendeePage />);
    const group = within(form()).getByRole('radiogroup', { name: 'Ticket type' });
    const vip = within(group).getByRole('radio', { name: 'VIP' });
    const regular = within(group).getByRole('radio', { name: 'Regular' });
    const hint = (radio: HTMLElement) =>
      document.getElementById(radio.getAttribute('aria-describedby') ?? '')?.textContent;

    await vi.waitFor(() => expect(hint(vip)).toBe('Sold out: you join the waitlist'));
    expect(hint(regular)).toBe('Standard entry');
    await user.click(vip);
    expect((vip as HTMLInputElement).checked).toBe(true);
  });

  it("shows the API's own message under each empty field and sends nothing", async () => {
    const api = attendeeApi();
    const user = userEvent.setup();
    renderWithClient(<AttendeePage />);

    await user.click(screen.getByRole('button', { name: 'Register' }));

    const first = screen.getByRole('textbox', { name: 'First name' });
    const last = screen.getByRole('textbox', { name: 'Last name' });
    expect(first.getAttribute('aria-invalid')).toBe('true');
    expect(last.getAttribute('aria-invalid')).toBe('true');
    const errorId = first.getAttribute('aria-describedby') ?? '';
    expect(document.getElementById(errorId)?.textContent).toBe('First name and last name are required');
    expect(document.activeElement).toBe(first);
    expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('flags a name with control characters and a name over 100 characters', async () => {
    attendeeApi();
    const user = userEvent.setup();
    renderWithClient(<AttendeePage />);

    await user.type(screen.getByRole('textbox', { name: 'First name' }), 'A'.repeat(101));
    // A bidi override can disguise a name; the API refuses it, so the form says so first.
    await user.type(screen.getByRole('textbox', { name: 'Last name' }), 'Lee\u202E');
    await user.click(screen.getByRole('button', { name: 'Register' }));

    const first = screen.getByRole('textbox', { name: 'First name' });
    const last = screen.getByRole('textbox', { name: 'Last name' });
    expect(document.getElementById(first.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      'Names can be at most 100 characters',
    );
    expect(document.getElementById(last.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      'Names cannot contain control or invisible formatting characters',
    );
  });

  it('clears an error as soon as the field is fixed', async () => {
    attendeeApi();
    const user = userEvent.setup();
    renderWithClient(<AttendeePage />);

    await user.click(screen.getByRole('button', { name: 'Register' }));
    const first = screen.getByRole('textbox', { name: 'First name' });
    await user.type(first, 'Ann');

    expect(first.getAttribute('aria-invalid')).toBeNull();
    expect(first.getAttribute('aria-describedby')).toBeNull();
  });

  it('registers with trimmed names, remembers the ticket and shows its card', async () => {
    const api = attendeeApi();
    const user = userEvent.setup();
    renderWithClient(<AttendeePage />);

    await user.type(screen.getByRole('textbox', { name: 'First name' }), '  Ann ');
    await user.type(screen.getByRole('textbox', { name: 'Last name' }), 'Lee');
    await user.click(screen.getByRole('radio', { name: 'VIP' }));
    await user.click(screen.getByRole('button', { name: 'Register' }));

    const card = await screen.findByRole('article', { name: 'Ticket ABC-DEF' });
    const post = api.requests.find((r) => r.method === 'POST');
    expect(post?.path).toBe('/api/register');
    expect(post?.body).toEqual({ first_name: 'Ann', last_name: 'Lee', ticket_type: 'VIP' });
    expect(post?.headers.get('Idempotency-Key')).toBeTruthy();
    expect(readStoredTickets()).toEqual([{ id: 'ABC-DEF', token: 'owner-token' }]);
    expect(within(card).getByText('Queued')).toBeTruthy();
    expect(within(card).getByText(fullText('Place in VIP queue: 2'))).toBeTruthy();
    expect(within(card).getByText(fullText('People ahead: 1'))).toBeTruthy();
    expect(within(card).getByText(fullText('Estimated wait: not known yet'))).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('Ticket ABC-DEF registered');
    // The form is ready for the next person.
    expect((screen.getByRole('textbox', { name: 'First name' }) as HTMLInputElement).value).toBe('');
  });

  it('registers again with the same Idempotency-Key after no answer came back, so the server can answer with the first', async () => {
    let calls = 0;
    const api = attendeeApi(() => {
      calls += 1;
      if (calls === 1) throw new TypeError('Failed to fetch');
      return jsonResponse(registered(), 201);
    });
    const user = userEvent.setup();
    renderWithClient(<AttendeePage />);

    await user.type(screen.getByRole('textbox', { name: 'First name' }), 'Ann');
    await user.type(screen.getByRole('textbox', { name: 'Last name' }), 'Lee');
    await user.click(screen.getByRole('button', { name: 'Register' }));
    expect((await within(form()).findByRole('alert')).textContent).toContain('Cannot reach the server');
    await user.click(screen.getByRole('button', { name: 'Register' }));
    await screen.findByText(fullText('Place in VIP queue: 2'));
    // The form is empty again; the same name typed anew is another registration, with a new key.
    await user.type(screen.getByRole('textbox', { name: 'First name' }), 'Ann');
    await user.type(screen.getByRole('textbox', { name: 'Last name' }), 'Lee');
    await user.click(screen.getByRole('button', { name: 'Register' }));
    await vi.waitFor(() => expect(calls).toBe(3));

    const keys = api.requests.filter((r) => r.method === 'POST').map((r) => r.headers.get('Idempotency-Key'));
    expect(keys).toHaveLength(3);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it("shows the API's refusal in an alert, with the wait a 429 asks for", async () => {
    attendeeApi(() =>
      jsonResponse({ error: 'Too many registrations from this address', code: 'RATE_LIMITED' }, 429, {
        'Retry-After': '20',
      }),
    );
    const user = userEvent.setup();
    renderWithClient(<AttendeePage />);

    await user.type(screen.getByRole('textbox', { name: 'First name' }), 'Ann');
    await user.type(screen.getByRole('textbox', { name: 'Last name' }), 'Lee');
    await user.click(screen.getByRole('button', { name: 'Register' }));

    const alert = await within(form()).findByRole('alert');
    expect(alert.textContent).toBe('Too many registrations from this address. Please wait 20 seconds and try again.');
    expect(readStoredTickets()).toEqual([]);
  });

  it('keeps the key of a registration whose answer was lost through a 429, so it is not made twice', async () => {
    const answers = [
      () => {
        throw new TypeError('Failed to fetch');
      },
      () => jsonResponse({ error: 'Too many registrations from this address', code: 'RATE_LIMITED' }, 429),
      () => jsonResponse(registered(), 201, { 'Idempotent-Replayed': 'true' }),
    ];
    const api = attendeeApi(() => (answers.shift() as () => Response)());
    const user = userEvent.setup();
    renderWithClient(<AttendeePage />);

    await user.type(screen.getByRole('textbox', { name: 'First name' }), 'Ann');
    await user.type(screen.getByRole('textbox', { name: 'Last name' }), 'Lee');
    await user.click(screen.getByRole('button', { name: 'Register' }));
    expect((await within(form()).findByRole('alert')).textContent).toBe(NETWORK_ERROR_MESSAGE);
    await user.click(screen.getByRole('button', { name: 'Register' }));
    await within(form()).findByText(/^Too many registrations from this address/);
    await user.click(screen.getByRole('button', { name: 'Register' }));

    await screen.findByRole('article', { name: 'Ticket ABC-DEF' });
    const keys = api.requests.filter((r) => r.method === 'POST').map((r) => r.headers.get('Idempotency-Key'));
    expect(keys).toEqual([keys[0], keys[0], keys[0]]);
  });

  it('says the server cannot be reached when the network fails', async () => {
    attendeeApi(() => {
      throw new TypeError('Failed to fetch');
    });
    const user = userEvent.setup();
    renderWithClient(<AttendeePage />);

    await user.type(screen.getByRole('textbox', { name: 'First name' }), 'Ann');
    await user.type(screen.getByRole('textbox', { name: 'Last name' }), 'Lee');
    await user.click(screen.getByRole('button', { name: 'Register' }));

    const alert = await within(form()).findByRole('alert');
    expect(alert.textContent).toBe('Cannot reach the server. Check your connection and try again.');
  });

  it('keeps the names of the next person typed while the registration was on its way', async () => {
    let answer: (response: Response) => void = () => {};
    attendeeApi(() => new Promise<Response>((resolve) => (answer = resolve)));
    const user = userEvent.setup();
    renderWithClient(<AttendeePage />);
    const first = () => screen.getByRole('textbox', { name: 'First name' }) as HTMLInputElement;
    const last = () => screen.getByRole('textbox', { name: 'Last name' }) as HTMLInputElement;

    await user.type(first(), 'Ann');
    await user.type(last(), 'Lee');
    await user.click(screen.getByRole('button', { name: 'Register' }));
    await user.clear(first());
    await user.type(first(), 'Bo');
    await user.clear(last());
    await user.type(last(), 'Chen');
    answer(jsonResponse(registered(), 201));

    await screen.findByRole('article', { name: 'Ticket ABC-DEF' });
    expect([first().value, last().value]).toEqual(['Bo', 'Chen']);
  });

  it('once the server answers again, says a registration it never answered may have gone through, and to press Register again', async () => {
    let reachable = false;
    const api = attendeeApi(() => {
      if (!reachable) throw new TypeError('Failed to fetch');
      return jsonResponse(registered(), 201);
    });
    const user = userEvent.setup();
    const { client } = renderWithClient(<AttendeePage />);

    await user.type(screen.getByRole('textbox', { name: 'First name' }), 'Ann');
    await user.type(screen.getByRole('textbox', { name: 'Last name' }), 'Lee');
    await user.click(screen.getByRole('button', { name: 'Register' }));
    expect((await within(form()).findByRole('alert')).textContent).toBe(NETWORK_ERROR_MESSAGE);

    // The page's next poll is answered: the server is back.
    reachable = true;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await act(() => client.refetchQueries({ queryKey: [AVAILABILITY_ROOT] }));
    await vi.waitFor(() => expect(within(form()).getByRole('alert').textContent).toBe(MAYBE_REGISTERED));

    await user.click(screen.getByRole('button', { name: 'Register' }));
    await screen.findByRole('article', { name: 'Ticket ABC-DEF' });
    expect(within(form()).queryByRole('alert')).toBeNull();
    const keys = api.requests.filter((r) => r.method === 'POST').map((r) => r.headers.get('Idempotency-Key'));
    expect(keys).toEqual([keys[0], keys[0]]);
  });
});

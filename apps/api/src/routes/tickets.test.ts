import { describe, expect, it, vi } from 'vitest';
import { STAFF_TOKEN, serverPerTest } from '../testing/harness.ts';
import { STORE_KINDS } from '../testing/stores.ts';

describe.each(STORE_KINDS)('with the %s store', (kind) => {
  const server = serverPerTest({ kind });

  describe('POST /api/register', () => {
    it('queues the ticket and answers 201 with its id, token and place', async () => {
      const answer = await server().http.register('  Ann ', 'Lee', 'vip');
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({
        first_name: 'Ann',
        last_name: 'Lee',
        ticket_type: 'VIP',
        status: 'Queued',
        queue_position: 1,
        people_ahead: 0,
        current_queue_length: 1,
      });
      expect(answer.body.id).toMatch(/^[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}$/);
      expect(answer.body.token).toMatch(/^[\w-]{32}$/);
      expect(answer.headers.get('location')).toBe(`/api/tickets/${answer.body.id}`);
    });

    it('counts people ahead VIP first', async () => {
      await server().http.register('R', 'One', 'Regular');
      await server().http.register('V', 'One', 'VIP');
      const regular = await server().http.register('R', 'Two', 'regular');
      expect(regular.body).toMatchObject({ queue_position: 2, people_ahead: 2, current_queue_length: 3 });
    });

    it.each([
      // Missing, blank or of the wrong type: the same sentence, and the same field named.
      [{ last_name: 'Lee', ticket_type: 'VIP' }, 'First name and last name are required', 'first_name'],
      [
        { first_name: '   ', last_name: 'Lee', ticket_type: 'VIP' },
        'First name and last name are required',
        'first_name',
      ],
      [{ first_name: 'Ann', last_name: 7, ticket_type: 'VIP' }, 'First name and last name are required', 'last_name'],
      [{ first_name: 'Ann', last_name: 'Lee', ticket_type: 'Gold' }, 'Invalid ticket type', 'ticket_type'],
      [{ first_name: 'Ann', last_name: 'Lee' }, 'Invalid ticket type', 'ticket_type'],
    ])('refuses %j with 400 "%s" naming %s', async (body, message, field) => {
      const answer = await server().http.request('POST', '/api/register', { body });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: message, code: 'VALIDATION_ERROR', details: { field } });
    });
  });

  describe('GET /api/tickets/:id', () => {
    it('estimates the wait at the pace of serving up to now, so it lengthens while nobody is served', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        const start = Date.UTC(2026, 5, 1, 18, 0, 0);
        vi.setSystemTime(start);
        const registered = [];
        for (const name of ['A', 'B', 'C', 'D', 'E', 'F']) {
          registered.push((await server().http.register(name, 'Lee', 'VIP')).body);
        }
        // Served every 30 s: the latest minute saw two.
        for (const seconds of [0, 30, 60, 90]) {
          vi.setSystemTime(start + seconds * 1000);
          await server().http.staff('POST', '/api/process_next');
        }
        const last = registered[5];
        const waitOfLast = async () =>
          (await server().http.request('GET', `/api/tickets/${last.id}`, { token: last.token })).body
            .estimated_wait_seconds;
        // Two a minute, and F is the second still to serve.
        expect(await waitOfLast()).toBe(60);
        // A minute on with nobody served: two in two minutes, so a minute each.
        vi.setSystemTime(start + 150_000);
        expect(await waitOfLast()).toBe(120);
      } finally {
        vi.useRealTimers();
      }
    });

    it('shows the ticket to its owner and to staff, with its place while queued', async () => {
      const { body: ticket } = await server().http.register('Ann', 'Lee', 'Regular');
      const owner = await server().http.request('GET', `/api/tickets/${ticket.id}`, { token: ticket.token });
      expect(owner.status).toBe(200);
      expect(owner.body).toMatchObject({ id: ticket.id, status: 'Queued', queue_position: 1, people_ahead: 0 });
      expect(owner.body).not.toHaveProperty('token');
      const staff = await server().http.staff('GET', `/api/tickets/${ticket.id.toLowerCase()}`);
      expect(staff.body.id).toBe(ticket.id);
    });

    it('needs credentials (401), the right token (403), and a real ticket (404)', async () => {
      const { body: mine } = await server().http.register('Ann', 'Lee', 'VIP');
      const { body: other } = await server().http.register('Bob', 'Ray', 'VIP');
      expect((await server().http.request('GET', `/api/tickets/${mine.id}`)).status).toBe(401);
      const wrong = await server().http.request('GET', `/api/tickets/${mine.id}`, { token: other.token });
      expect(wrong.status).toBe(403);
      expect(wrong.body.code).toBe('FORBIDDEN');
      const missing = await server().http.request('GET', '/api/tickets/ZZZ-ZZZ', { token: mine.token });
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ error: 'Ticket not found', code: 'TICKET_NOT_FOUND' });
    });
  });

  describe('POST /api/process_user', () => {
    it('serves everyone ahead in priority order, then the buyer, and reports each step', async () => {
      const { body: regular } = await server().http.register('Rita', 'Ray', 'Regular');
      const { body: vip } = await server().http.register('Victor', 'Vale', 'VIP');
      const answer = await server().http.request('POST', '/api/process_user', {
        body: { id: regular.id },
        token: regular.token,
      });
      expect(answer.status).toBe(200);
      expect(answer.body.updates).toEqual([
        { id: vip.id, first_name: 'Victor', last_name: 'Vale', ticket_type: 'VIP', status: 'Confirmed', remaining: 2 },
        {
          id: regular.id,
          first_name: 'Rita',
          last_name: 'Ray',
          ticket_type: 'Regular',
          status: 'Confirmed',
          remaining: 4,
        },
      ]);
      expect(answer.body).toMatchObject({ final_status: 'Confirmed', remaining_tickets: { VIP: 2, Regular: 4 } });
    });

    it('is refused for a cancelled ticket (409) and without its token (401)', async () => {
      const { body: ticket } = await server().http.register('Ann', 'Lee', 'VIP');
      expect((await server().http.request('POST', '/api/process_user', { body: { id: ticket.id } })).status).toBe(401);
      await server().http.request('DELETE', '/api/cancel_ticket', { body: { id: ticket.id }, token: ticket.token });
      const answer = await server().http.request('POST', '/api/process_user', {
        body: { id: ticket.id },
        token: ticket.token,
      });
      expect(answer.status).toBe(409);
      expect(answer.body.code).toBe('ALREADY_CANCELLED');
    });
  });

  describe('POST /api/process_next', () => {
    it('is for staff only', async () => {
      expect((await server().http.request('POST', '/api/process_next')).status).toBe(401);
      const wrong = await server().http.request('POST', '/api/process_next', { token: 'not-the-staff-token' });
      expect(wrong.status).toBe(403);
    });

    it('processes exactly the head of the line, and says so when the line is empty', async () => {
      await server().http.register('Rita', 'Ray', 'Regular');
      const { body: vip } = await server().http.register('Victor', 'Vale', 'VIP');
      const first = await server().http.staff('POST', '/api/process_next');
      // The ticket served, as a ticket reads: with when it registered.
      expect(first.body).toMatchObject({
        processed: {
          id: vip.id,
          first_name: 'Victor',
          ticket_type: 'VIP',
          status: 'Confirmed',
          created_at: vip.created_at,
        },
        status: 'Confirmed',
      });
      await server().http.staff('POST', '/api/process_next');
      const empty = await server().http.staff('POST', '/api/process_next');
      expect(empty.body).toEqual({
        processed: null,
        message: 'No users in queue.',
        remaining_tickets: { VIP: 2, Regular: 4 },
      });
    });

    it('sells out onto the waitlist when seats are gone', async () => {
      for (let i = 0; i < 4; i++) await server().http.register(`V${i}`, 'Vale', 'VIP');
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await server().http.staff('POST', '/api/process_next')).body.status);
      expect(statuses).toEqual(['Confirmed', 'Confirmed', 'Confirmed', 'Sold Out']);
    });
  });

  describe('DELETE /api/cancel_ticket', () => {
    it('frees a confirmed seat for the first on the waitlist at once', async () => {
      const tickets = [];
      for (let i = 0; i < 5; i++) tickets.push((await server().http.register(`V${i}`, 'Vale', 'VIP')).body);
      for (let i = 0; i < 5; i++) await server().http.staff('POST', '/api/process_next');
      const holder = tickets[0];
      const answer = await server().http.request('DELETE', '/api/cancel_ticket', {
        body: { id: holder.id },
        token: holder.token,
      });
      expect(answer.status).toBe(200);
      expect(answer.body.ticket.status).toBe('Cancelled');
      expect(answer.body.promoted).toMatchObject({ id: tickets[3].id, status: 'Confirmed' });
      expect(answer.body.remaining_tickets.VIP).toBe(0);
      const next = await server().http.request('GET', `/api/tickets/${tickets[4].id}`, { token: tickets[4].token });
      expect(next.body).toMatchObject({ status: 'Sold Out', waitlist_position: 1 });
    });

    it('returns the seat to sale when nobody waits, and refuses a second cancel with 409', async () => {
      const { body: ticket } = await server().http.register('Ann', 'Lee', 'Regular');
      await server().http.staff('POST', '/api/process_next');
      expect((await server().http.request('GET', '/availability')).body).toEqual({ VIP: 3, Regular: 4 });
      await server().http.request('DELETE', '/api/cancel_ticket', { body: { id: ticket.id }, token: ticket.token });
      expect((await server().http.request('GET', '/availability')).body).toEqual({ VIP: 3, Regular: 5 });
      const again = await server().http.request('DELETE', '/api/cancel_ticket', {
        body: { id: ticket.id },
        token: ticket.token,
      });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'ALREADY_CANCELLED' });
    });

    it('cancels only while the ticket has the status the canceller was shown, when one is given', async () => {
      const { body: ticket } = await server().http.register('Ann', 'Lee', 'VIP');
      await server().http.staff('POST', '/api/process_next');
      // Shown queued, served meanwhile: the seat it now holds is not cancelled.
      const stale = await server().http.staff('DELETE', '/api/cancel_ticket', {
        id: ticket.id,
        expected_status: 'Queued',
      });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({ code: 'STATUS_CHANGED', details: { status: 'Confirmed' } });
      expect(stale.body.error).toBe(`Ticket ${ticket.id} is Confirmed now, no longer Queued: nothing was cancelled.`);
      expect((await server().http.request('GET', '/summary_data')).body.vip_sold).toBe(1);
      const current = await server().http.request('DELETE', '/api/cancel_ticket', {
        body: { id: ticket.id, expected_status: 'Confirmed' },
        token: ticket.token,
      });
      expect(current.status).toBe(200);
      expect(current.body.ticket.status).toBe('Cancelled');
      // Already cancelled says so, whatever status was expected.
      const again = await server().http.staff('DELETE', '/api/cancel_ticket', {
        id: ticket.id,
        expected_status: 'Confirmed',
      });
      expect(again.body.code).toBe('ALREADY_CANCELLED');
    });

    it('lets staff cancel by name as the original did, refusing an ambiguous name with the matches', async () => {
      const { body: ann } = await server().http.register('Ann', 'Lee', 'VIP');
      const byName = { first_name: 'Ann', last_name: 'Lee', ticket_type: 'vip' };
      const attendee = await server().http.request('DELETE', '/api/cancel_ticket', { body: byName });
      expect(attendee.status).toBe(401);
      // The owner's own token names no one but its ticket, and that by its id.
      const owner = await server().http.request('DELETE', '/api/cancel_ticket', { body: byName, token: ann.token });
      expect(owner.status).toBe(403);
      const misnamed = await server().http.request('DELETE', '/api/cancel_ticket', {
        body: { ticket_id: ann.id },
        token: ann.token,
      });
      expect(misnamed.status).toBe(403);
      expect(misnamed.body.error).toBe(
        'Only staff may cancel by name. To cancel your own ticket, send its id as "id" with its token.',
      );
      expect((await server().http.staff('GET', `/api/tickets/${ann.id}`)).body.status).toBe('Queued');
      await server().http.register('Ann', 'Lee', 'VIP');
      const ambiguous = await server().http.staff('DELETE', '/api/cancel_ticket', byName);
      expect(ambiguous.status).toBe(409);
      expect(ambiguous.body.code).toBe('AMBIGUOUS_TICKET');
      expect(ambiguous.body.details.matches).toHaveLength(2);
      await server().http.staff('DELETE', '/api/cancel_ticket', { id: ann.id });
      const single = await server().http.staff('DELETE', '/api/cancel_ticket', byName);
      expect(single.status).toBe(200);
      expect(single.body.ticket.status).toBe('Cancelled');
      const again = await server().http.staff('DELETE', '/api/cancel_ticket', byName);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('ALREADY_CANCELLED');
      const nobody = await server().http.staff('DELETE', '/api/cancel_ticket', { ...byName, first_name: 'Zed' });
      expect(nobody.status).toBe(404);
      expect(nobody.body.error).toBe('Ticket not found');
    });

    it('refuses an id given with names, which may name someone else, and cancels nobody', async () => {
      const { body: cy } = await server().http.register('Cy', 'Young', 'Regular');
      for (const names of [{ first_name: 'Eve', last_name: 'Ng', ticket_type: 'Regular' }, { last_name: 'Young' }]) {
        const answer = await server().http.staff('DELETE', '/api/cancel_ticket', { id: cy.id, ...names });
        expect(answer.status).toBe(400);
        expect(answer.body).toMatchObject({
          error: 'Give the ticket id, or its names and type, not both.',
          details: { field: 'id' },
        });
      }
      expect((await server().http.staff('GET', `/api/tickets/${cy.id}`)).body.status).toBe('Queued');
    });

    it.each([
      [{ first_name: 'Ann', last_name: 'Lee', ticket_type: 'Gold' }, 'Invalid ticket type'],
      [{ first_name: ' ', last_name: 'Lee', ticket_type: 'VIP' }, 'First name and last name are required'],
      [{ last_name: 'Lee', ticket_type: 'VIP' }, 'First name and last name are required'],
      [{}, 'Give the ticket id, or first_name, last_name and ticket_type.'],
    ])('answers a cancel by name %j with the sentence a registration would get', async (body, error) => {
      const answer = await server().http.staff('DELETE', '/api/cancel_ticket', body);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toBe(error);
    });

    it('finds a name by staff however its accents were typed', async () => {
      await server().http.register('Jose\u0301', 'Lee', 'VIP');
      const answer = await server().http.staff('DELETE', '/api/cancel_ticket', {
        first_name: 'José',
        last_name: 'Lee',
        ticket_type: 'VIP',
      });
      expect(answer.status).toBe(200);
      expect(answer.body.ticket.first_name).toBe('José');
    });

    it('records who cancelled in the log', async () => {
      const { body: ticket } = await server().http.register('Ann', 'Lee', 'VIP');
      await server().http.request('DELETE', '/api/cancel_ticket', { body: { id: ticket.id }, token: STAFF_TOKEN });
      const log = await server().http.staff('GET', `/api/transactions?q=${ticket.id}`);
      expect(log.body.items.map((t: { action: string; actor: string }) => [t.action, t.actor])).toEqual([
        ['cancelled', 'staff'],
        ['registered', 'attendee'],
      ]);
    });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { checkInvariants, STAFF_TOKEN, startServer, type TestServer } from './testing/harness.ts';
import { STORE_KINDS } from './testing/stores.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe.each(STORE_KINDS)('under concurrent load, with the %s store', (kind) => {
  it('hundreds of concurrent registrations and processing calls never oversell and lose nothing', async () => {
    server = await startServer({ kind, initialCapacity: { VIP: 40, Regular: 60 } });
    const http = server.http;
    const registrations = Array.from({ length: 300 }, (_, i) =>
      http.register(`Person${i}`, 'Load', i % 3 === 0 ? 'VIP' : 'Regular'),
    );
    const processing = Array.from({ length: 150 }, () => http.staff('POST', '/api/process_next'));
    const [registered, processed] = await Promise.all([Promise.all(registrations), Promise.all(processing)]);

    expect(registered.every((r) => r.status === 201)).toBe(true);
    expect(processed.every((p) => p.status === 200)).toBe(true);
    const ids = new Set(registered.map((r) => r.body.id));
    expect(ids.size).toBe(300);

    // Drain the rest, then every acknowledged ticket is accounted for exactly once.
    while ((await http.staff('POST', '/api/process_next')).body.processed !== null) {}
    const summary = (await http.request('GET', '/summary_data')).body;
    checkInvariants(summary);
    expect(summary).toMatchObject({ vip_sold: 40, regular_sold: 60, total_remaining: 0, queue_length: 0 });
    expect(summary.waitlist_length).toBe(200);
    const statuses = await Promise.all([...ids].map((id) => http.staff('GET', `/api/tickets/${id}`)));
    const counts: Record<string, number> = {};
    for (const { body } of statuses) counts[body.status] = (counts[body.status] ?? 0) + 1;
    expect(counts).toEqual({ Confirmed: 100, 'Sold Out': 200 });

    // Nobody was served before someone ahead of them: confirmations follow registration order per type.
    const log = (await http.staff('GET', '/api/transactions?limit=1000')).body.items.reverse();
    for (const type of ['VIP', 'Regular']) {
      const registeredOrder = log.filter(
        (t: { action: string; ticket_type: string }) => t.action === 'registered' && t.ticket_type === type,
      );
      const servedOrder = log.filter(
        (t: { action: string; ticket_type: string }) =>
          (t.action === 'confirmed' || t.action === 'sold_out') && t.ticket_type === type,
      );
      expect(servedOrder.map((t: { ticket_id: string }) => t.ticket_id)).toEqual(
        registeredOrder.map((t: { ticket_id: string }) => t.ticket_id),
      );
    }
    // And the journal holds every acknowledged registration.
    server = await server.restart();
    const after = (await server.http.request('GET', '/summary_data')).body;
    expect(after).toMatchObject({ vip_sold: 40, regular_sold: 60, waitlist_length: 200 });
  });

  it('each answer to a concurrent Process next tells the seats left as of the ticket it served', async () => {
    server = await startServer({ kind, initialCapacity: { VIP: 5, Regular: 5 } });
    const http = server.http;
    for (let i = 0; i < 5; i++) expect((await http.register(`Seat${i}`, 'Count', 'VIP')).status).toBe(201);
    const answers = await Promise.all(Array.from({ length: 5 }, () => http.staff('POST', '/api/process_next')));
    expect(answers.every((a) => a.status === 200 && a.body.status === 'Confirmed')).toBe(true);
    // Five seats sold one at a time: the answers count down through every number once, whatever order they arrive in.
    expect(answers.map((a) => a.body.remaining_tickets.VIP).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(answers.every((a) => a.body.remaining_tickets.Regular === 5)).toBe(true);
  });

  it('two ticket types racing for the last seat of each never oversell', async () => {
    server = await startServer({ kind, initialCapacity: { VIP: 1, Regular: 1 } });
    const http = server.http;
    const tickets = (
      await Promise.all(
        Array.from({ length: 60 }, (_, i) => http.register(`Racer${i}`, 'Last', i % 2 === 0 ? 'VIP' : 'Regular')),
      )
    ).map((r) => r.body);
    // Every buyer presses Purchase at the same moment, and staff press Process next and cancel too.
    const purchases = tickets.map((t) =>
      http.request('POST', '/api/process_user', { body: { id: t.id }, token: t.token }),
    );
    const nexts = Array.from({ length: 20 }, () => http.request('POST', '/api/process_next', { token: STAFF_TOKEN }));
    const answers = await Promise.all([...purchases, ...nexts]);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const finals = answers.slice(0, 60).map((a) => a.body.final_status);
    expect(finals.filter((s) => s === 'Confirmed')).toHaveLength(2);
    const summary = (await http.request('GET', '/summary_data')).body;
    checkInvariants(summary);
    expect(summary).toMatchObject({ vip_sold: 1, regular_sold: 1, waitlist_length: 58 });

    // Cancelling both holders at once hands each seat to exactly one waitlisted buyer of the same type.
    const holders = tickets.filter((_, i) => answers[i]?.body.final_status === 'Confirmed');
    const cancels = await Promise.all(
      holders.map((t) => http.request('DELETE', '/api/cancel_ticket', { body: { id: t.id }, token: t.token })),
    );
    expect(cancels.map((c) => c.body.promoted?.ticket_type).sort()).toEqual(['Regular', 'VIP']);
    const after = (await http.request('GET', '/summary_data')).body;
    checkInvariants(after);
    expect(after).toMatchObject({ vip_sold: 1, regular_sold: 1, waitlist_length: 56 });
  });
});

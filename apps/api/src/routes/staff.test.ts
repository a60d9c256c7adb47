import { describe, expect, it } from 'vitest';
import { STAFF_TOKEN, serverPerTest } from '../testing/harness.ts';
import { STORE_KINDS } from '../testing/stores.ts';

describe.each(STORE_KINDS)('with the %s store', (kind) => {
  const server = serverPerTest({ kind });

  describe('GET /summary_data', () => {
    it("reads as the original README's example after 2 VIP and 3 Regular are served", async () => {
      for (let i = 0; i < 2; i++) await server().http.register(`V${i}`, 'Vale', 'VIP');
      for (let i = 0; i < 3; i++) await server().http.register(`R${i}`, 'Ray', 'Regular');
      for (let i = 0; i < 5; i++) await server().http.staff('POST', '/api/process_next');
      const { body } = await server().http.request('GET', '/summary_data');
      expect(body).toMatchObject({
        vip_sold: 2,
        vip_remaining: 1,
        regular_sold: 3,
        regular_remaining: 2,
        total_sold: 5,
        total_remaining: 3,
        vip_capacity: 3,
        regular_capacity: 5,
        queue_length: 0,
        waitlist_length: 0,
      });
      expect(body.serving_rate_per_minute).toBeGreaterThan(0);
    });

    it('sends an ETag and answers 304 until something changes', async () => {
      const first = await server().http.request('GET', '/summary_data');
      const etag = first.headers.get('etag') as string;
      expect(etag).toMatch(/^"v\d+"$/);
      const same = await server().http.request('GET', '/summary_data', { headers: { 'if-none-match': etag } });
      expect(same.status).toBe(304);
      expect(same.text).toBe('');
      await server().http.register('Ann', 'Lee', 'VIP');
      const changed = await server().http.request('GET', '/summary_data', { headers: { 'if-none-match': etag } });
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).not.toBe(etag);
      expect(changed.body.vip_queue_length).toBe(1);
    });

    it.each(['*', 'W/"v1", "vX", *'])('answers 304 to If-None-Match %s, which names any version', async (header) => {
      const answer = await server().http.request('GET', '/summary_data', { headers: { 'if-none-match': header } });
      expect(answer.status).toBe(304);
    });
  });

  describe('GET /queue', () => {
    it('lists both queues and waitlists in serving order with positions, for staff only', async () => {
      expect((await server().http.request('GET', '/queue')).status).toBe(401);
      const { body: r1 } = await server().http.register('Rita', 'Ray', 'Regular');
      const { body: v1 } = await server().http.register('Victor', 'Vale', 'VIP');
      const { body: v2 } = await server().http.register('Vera', 'Vale', 'VIP');
      const { body } = await server().http.staff('GET', '/queue');
      expect(body['VIP Queue'].map((e: { id: string; position: number }) => [e.position, e.id])).toEqual([
        [1, v1.id],
        [2, v2.id],
      ]);
      expect(body['Regular Queue'][0]).toEqual({
        position: 1,
        id: r1.id,
        first_name: 'Rita',
        last_name: 'Ray',
        ticket_type: 'Regular',
        created_at: r1.created_at,
      });
      expect(body['VIP Waitlist']).toEqual([]);
      expect(body['VIP Confirmed']).toEqual([]);
      expect(body.totals).toEqual({
        'VIP Queue': 2,
        'Regular Queue': 1,
        'VIP Waitlist': 0,
        'Regular Waitlist': 0,
        'VIP Confirmed': 0,
        'Regular Confirmed': 0,
      });
      await server().http.staff('POST', '/api/process_next');
      const served = await server().http.staff('GET', '/queue');
      expect(served.body['VIP Confirmed'].map((e: { id: string; position: number }) => [e.position, e.id])).toEqual([
        [1, v1.id],
      ]);
      expect(served.body.totals['VIP Queue']).toBe(1);
      const limited = await server().http.staff('GET', '/queue?limit=1');
      expect(limited.body['Regular Queue']).toHaveLength(1);
      expect(limited.body.totals['VIP Queue']).toBe(1);
    });
  });

  describe('GET /api/transactions', () => {
    it('pages the log newest first and filters by name, id, type and status', async () => {
      const { body: ann } = await server().http.register('Ann', 'Lee', 'VIP');
      await server().http.register('Bob', 'Ray', 'Regular');
      await server().http.staff('POST', '/api/process_next');
      const all = await server().http.staff('GET', '/api/transactions?limit=2');
      expect(all.body).toMatchObject({ total: 5, limit: 2, offset: 0 });
      expect(all.body.items.map((t: { seq: number }) => t.seq)).toEqual([5, 4]);
      expect(all.body.items[0]).toMatchObject({ action: 'confirmed', ticket_id: ann.id, status: 'Confirmed' });
      expect(all.body.items[0]).not.toHaveProperty('token_hash');
      const bob = (await server().http.staff('GET', '/api/transactions?q=ray')).body.items[0].ticket_id as string;
      const byIdStart = await server().http.staff('GET', `/api/transactions?q=${bob.slice(0, 3).toLowerCase()}`);
      expect(byIdStart.body.items.map((t: { ticket_id: string }) => t.ticket_id)).toContain(bob);
      const byIdTyped = await server().http.staff(
        'GET',
        `/api/transactions?q=${encodeURIComponent(bob.replace('-', ' '))}`,
      );
      expect(byIdTyped.body.items.map((t: { ticket_id: string }) => t.ticket_id)).toEqual([bob]);
      const byName = await server().http.staff('GET', '/api/transactions?q=ray');
      expect(byName.body.items.map((t: { first_name: string }) => t.first_name)).toEqual(['Bob']);
      const byStatus = await server().http.staff('GET', '/api/transactions?status=confirmed&ticket_type=vip');
      expect(byStatus.body.total).toBe(1);
      const badType = await server().http.staff('GET', '/api/transactions?ticket_type=gold');
      expect(badType.status).toBe(400);
      expect(badType.body).toMatchObject({ error: 'Invalid ticket type', details: { field: 'ticket_type' } });
      const badStatus = await server().http.staff('GET', '/api/transactions?status=bogus');
      expect(badStatus.status).toBe(400);
      expect(badStatus.body).toMatchObject({
        error: 'status must be one of Queued, Confirmed, Sold Out, Cancelled.',
        details: { field: 'status' },
      });
      const page2 = await server().http.staff('GET', '/api/transactions?limit=2&offset=2');
      expect(page2.body.items.map((t: { seq: number }) => t.seq)).toEqual([3, 2]);
      expect((await server().http.staff('GET', '/api/transactions?limit=0')).status).toBe(400);
    });

    it('holds a page still at up_to_seq while new events arrive, searched or not', async () => {
      for (let i = 0; i < 6; i++) await server().http.register(`P${i}`, i % 2 ? 'Odd' : 'Even', 'Regular');
      const seqs = async (query: string) => {
        const { status, body } = await server().http.staff('GET', `/api/transactions?${query}`);
        expect(status, query).toBe(200);
        return { total: body.total as number, seqs: body.items.map((t: { seq: number }) => t.seq) as number[] };
      };
      // The first page, as staff saw it: its newest event is where the later pages are held.
      const firstPage = await seqs('limit=2');
      const upTo = firstPage.seqs[0] as number;
      const page2 = await seqs(`limit=2&offset=2&up_to_seq=${upTo}`);
      const oddPage2 = await seqs(`limit=1&offset=1&q=odd&up_to_seq=${upTo}`);
      expect(page2).toEqual({ total: 8, seqs: [6, 5] });

      await server().http.register('Late', 'Odd', 'Regular');
      await server().http.staff('POST', '/api/process_next');
      expect(await seqs(`limit=2&offset=2&up_to_seq=${upTo}`)).toEqual(page2);
      expect(await seqs(`limit=1&offset=1&q=odd&up_to_seq=${upTo}`)).toEqual(oddPage2);
      // Without it, the page has moved on by the two new events.
      expect(await seqs('limit=2&offset=2')).toEqual({ total: 10, seqs: [8, 7] });
      for (const bad of ['up_to_seq=-1', 'up_to_seq=99999999999999999999', 'offset=99999999999999999999']) {
        expect((await server().http.staff('GET', `/api/transactions?${bad}`)).status, bad).toBe(400);
      }
    });

    it('downloads the whole log as CSV, formula-safe', async () => {
      await server().http.register('=SUM(A1)', 'Lee', 'VIP');
      const csv = await server().http.staff('GET', '/api/transactions.csv');
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="transactions-.*\.csv"/);
      const lines = csv.text.trim().split('\n');
      expect(lines[0]).toBe('seq,time,action,actor,ticket_id,first_name,last_name,ticket_type,status,capacity');
      expect(lines).toHaveLength(4);
      expect(lines[3]).toContain(`"'=SUM(A1)",Lee,VIP,Queued,`);
      expect((await server().http.request('GET', '/api/transactions.csv')).status).toBe(401);
    });

    it('finds names whatever accents and apostrophes the search or the name was typed with', async () => {
      await server().http.register('Jürgen', 'Müller', 'Regular');
      await server().http.register('Siobhán', 'O’Brien', 'VIP');
      await server().http.register('Thi', 'Nguyễn', 'Regular');
      await server().http.register('José', 'Lee', 'VIP');
      const found = async (q: string) =>
        (await server().http.staff('GET', `/api/transactions?q=${encodeURIComponent(q)}`)).body.items.map(
          (t: { last_name: string }) => t.last_name,
        );
      expect(await found('muller')).toEqual(['Müller']);
      expect(await found('jurgen mul')).toEqual(['Müller']);
      expect(await found('MÜLLER')).toEqual(['Müller']);
      expect(await found("o'brien")).toEqual(['O’Brien']);
      expect(await found('siobhan o’b')).toEqual(['O’Brien']);
      expect(await found('obrien')).toEqual(['O’Brien']);
      expect(await found('siobhan obrien')).toEqual(['O’Brien']);
      expect(await found('nguyen')).toEqual(['Nguyễn']);
      // Typed with composed or decomposed accents (as some keyboards send them), or none.
      for (const q of ['jos\u00e9', 'jose\u0301', 'jose']) expect(await found(q), q).toEqual(['Lee']);
      expect(await found('mueller')).toEqual([]);
    });

    it('starts the CSV with a UTF-8 byte order mark, so Excel shows names in any script', async () => {
      await server().http.register('José', '李', 'VIP');
      const response = await fetch(`${server().url}/api/transactions.csv`, {
        headers: { authorization: `Bearer ${STAFF_TOKEN}` },
      });
      const bytes = Buffer.from(await response.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(bytes.toString('utf8')).toContain('José,李,VIP');
    });
  });

  describe('PUT /api/capacity', () => {
    it('changes capacities, never below seats sold, promoting the waitlist into added seats', async () => {
      for (let i = 0; i < 4; i++) await server().http.register(`V${i}`, 'Vale', 'VIP');
      for (let i = 0; i < 4; i++) await server().http.staff('POST', '/api/process_next');
      const below = await server().http.staff('PUT', '/api/capacity', { VIP: 2 });
      expect(below.status).toBe(409);
      expect(below.body).toMatchObject({
        code: 'CAPACITY_BELOW_SOLD',
        error: 'VIP capacity cannot be 2: 3 seats are already sold',
      });
      const raised = await server().http.staff('PUT', '/api/capacity', { VIP: 5, Regular: 7 });
      expect(raised.status).toBe(200);
      expect(raised.body).toMatchObject({ vip_capacity: 5, vip_sold: 4, vip_remaining: 1, regular_capacity: 7 });
      expect(raised.body.vip_waitlist_length).toBe(0);
      // The one on the VIP waitlist got one of the two seats added.
      expect(raised.body.promoted).toEqual({ VIP: 1, Regular: 0 });
      const again = await server().http.staff('PUT', '/api/capacity', { VIP: 6 });
      expect(again.body.promoted).toEqual({ VIP: 0, Regular: 0 });
    });

    it('validates the body and needs staff', async () => {
      expect((await server().http.request('PUT', '/api/capacity', { body: { VIP: 4 } })).status).toBe(401);
      for (const body of [{ VIP: -1 }, { VIP: 1.5 }, { VIP: '4' }, {}, { Gold: 3 }]) {
        const answer = await server().http.staff('PUT', '/api/capacity', body);
        expect(answer.status, JSON.stringify(body)).toBe(400);
        expect(answer.body.code).toBe('VALIDATION_ERROR');
      }
    });

    it('takes ticket types in any case, as everywhere, and names the fields when one is not a type', async () => {
      const set = await server().http.staff('PUT', '/api/capacity', { vip: 9, ' REGULAR ': 11 });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({ vip_capacity: 9, regular_capacity: 11 });
      const fields = 'Capacity takes VIP, Regular or both, each a whole number of seats, e.g. {"VIP": 40}.';
      const cases: [unknown, string, string?][] = [
        [{ Gold: 3 }, `"Gold" is not a ticket type. ${fields}`, 'Gold'],
        [{ VIP: 3, vip: 4 }, `The VIP capacity is given twice. ${fields}`, 'VIP'],
        [{}, fields],
      ];
      for (const [body, error, field] of cases) {
        const answer = await server().http.staff('PUT', '/api/capacity', body);
        expect(answer.status, JSON.stringify(body)).toBe(400);
        expect(answer.body).toEqual({ error, code: 'VALIDATION_ERROR', ...(field && { details: { field } }) });
      }
      expect((await server().http.request('GET', '/summary_data')).body).toMatchObject({
        vip_capacity: 9,
        regular_capacity: 11,
      });
    });
  });

  describe('health', () => {
    it('is live and ready while the store is open', async () => {
      expect((await server().http.request('GET', '/healthz')).body).toEqual({ status: 'ok' });
      expect((await server().http.request('GET', '/readyz')).body).toEqual({ status: 'ready' });
    });
  });
});

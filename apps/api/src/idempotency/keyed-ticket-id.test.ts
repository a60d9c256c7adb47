import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TICKET_ID_PATTERN } from '@ticketing/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { openCsvStore } from '../store/csv/csv-store.ts';
import type { TicketStore } from '../store/types.ts';
import { tempDir } from '../testing/harness.ts';
import { keyedTicketId } from './keyed-ticket-id.ts';

describe('keyedTicketId', () => {
  it('gives the same id for the same token and attempt, and another for another', () => {
    const id = keyedTicketId('token-of-ann', 0);
    expect(id).toMatch(new RegExp(TICKET_ID_PATTERN));
    expect(keyedTicketId('token-of-ann', 0)).toBe(id);
    expect(keyedTicketId('token-of-ann', 1)).not.toBe(id);
    expect(keyedTicketId('token-of-bob', 0)).not.toBe(id);
  });

  it('uses every character of the id alphabet in every place', () => {
    const seen = Array.from({ length: 7 }, () => new Set<string>());
    for (let n = 0; n < 2000; n++) {
      const id = keyedTicketId(`token-${n}`, 0);
      for (let i = 0; i < id.length; i++) seen[i]?.add(id.charAt(i));
    }
    expect(seen.map((chars) => chars.size)).toEqual([31, 31, 31, 1, 31, 31, 31]);
  });
});

describe('a registration with ids from its key', () => {
  let root: string;
  let store: TicketStore;
  afterEach(async () => {
    await store.close();
    await rm(root, { recursive: true, force: true });
  });

  it('takes the first id no other ticket holds, and finds its own ticket again without registering twice', async () => {
    root = await tempDir();
    store = await openCsvStore({ dataDir: join(root, 'data'), initialCapacity: { VIP: 5, Regular: 5 } });
    const ids = (attempt: number) => ['222-222', '333-333', '444-444'][attempt] as string;
    const ann = { first_name: 'Ann', last_name: 'Lee', ticket_type: 'VIP' as const, token_hash: 'a'.repeat(64) };
    const bob = { first_name: 'Bob', last_name: 'Ray', ticket_type: 'VIP' as const, token_hash: 'b'.repeat(64) };
    const ctx = { actor: 'attendee' as const };

    const first = await store.register({ ...ann, ids }, ctx);
    expect(first).toMatchObject({ ticket: { id: '222-222' } });
    expect(first.replayed).toBeUndefined();
    // Another token whose first id is taken: the next one.
    expect((await store.register({ ...bob, ids }, ctx)).ticket.id).toBe('333-333');
    const logged = (await store.transactions({ offset: 0, limit: 50 })).total;

    const again = await store.register({ ...bob, ids }, ctx);
    expect(again).toMatchObject({ ticket: { id: '333-333', first_name: 'Bob' }, replayed: true });
    expect((await store.transactions({ offset: 0, limit: 50 })).total).toBe(logged);
    expect((await store.summary()).vip_queue_length).toBe(2);
    // Someone else under the same key (token) is refused, and nothing changes.
    await expect(store.register({ ...bob, first_name: 'Bo', ids }, ctx)).rejects.toMatchObject({
      code: 'IDEMPOTENCY_MISMATCH',
    });
    expect((await store.transactions({ offset: 0, limit: 50 })).total).toBe(logged);
  });

  it('does not take a ticket the same key registered more than a day ago for this request', async () => {
    root = await tempDir();
    let now = Date.parse('2026-06-01T09:00:00.000Z');
    store = await openCsvStore({
      dataDir: join(root, 'data'),
      initialCapacity: { VIP: 5, Regular: 5 },
      now: () => new Date(now),
    });
    const ids = (attempt: number) => ['222-222', '333-333'][attempt] as string;
    const ann = { first_name: 'Ann', last_name: 'Lee', ticket_type: 'VIP' as const, token_hash: 'a'.repeat(64) };
    const ctx = { actor: 'attendee' as const };
    expect((await store.register({ ...ann, ids }, ctx)).ticket.id).toBe('222-222');
    now += 23 * 3600_000;
    expect(await store.register({ ...ann, ids }, ctx)).toMatchObject({ ticket: { id: '222-222' }, replayed: true });
    now += 2 * 3600_000;
    const later = await store.register({ ...ann, ids }, ctx);
    expect(later.ticket.id).toBe('333-333');
    expect(later.replayed).toBeUndefined();
  });
});

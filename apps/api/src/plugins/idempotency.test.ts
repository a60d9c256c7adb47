import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { MemoryIdempotencyStore } from '../idempotency/memory.ts';
import { openCsvStore } from '../store/csv/csv-store.ts';
import type { TicketStore } from '../store/types.ts';
import { tempDir } from '../testing/harness.ts';

let root: string | undefined;
let store: TicketStore | undefined;

afterEach(async () => {
  await store?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

/** Keeps keys in memory, but cannot keep an answer: as a database that fails after the change committed. */
class ForgetfulIdempotencyStore extends MemoryIdempotencyStore {
  override async complete(): Promise<void> {
    throw new Error('the database cannot be reached');
  }
}

describe('Idempotency-Key', () => {
  it('when the answer cannot be kept, the request still gets its real answer, and a retry never registers twice', async () => {
    root = await tempDir();
    store = await openCsvStore({ dataDir: join(root, 'data'), initialCapacity: { VIP: 1, Regular: 1 } });
    const app = await buildApp({
      store,
      idempotency: new ForgetfulIdempotencyStore(),
      staffToken: 'staff-token-123456',
      registerRateLimit: 0,
    });
    const register = () =>
      app.inject({
        method: 'POST',
        url: '/api/register',
        headers: { 'idempotency-key': 'forgotten-1' },
        payload: { first_name: 'Ann', last_name: 'Lee', ticket_type: 'VIP' },
      });
    const first = await register();
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ first_name: 'Ann', status: 'Queued' });
    const retry = await register();
    expect(retry.statusCode).toBe(409);
    expect((await store.summary()).vip_queue_length).toBe(1);
    await app.close();
  });
});

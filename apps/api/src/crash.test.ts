import { rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ChildServer, spawnServer } from './testing/child-server.ts';
import { checkInvariants, HttpClient, STAFF_TOKEN, tempDir } from './testing/harness.ts';

let dataDir: string;
const children: ChildServer[] = [];

beforeEach(async () => {
  dataDir = await tempDir('ticketing-crash-');
});
afterEach(async () => {
  for (const child of children.splice(0)) {
    child.process.kill('SIGKILL');
    await child.exited;
  }
  await rm(dataDir, { recursive: true, force: true });
});

async function start(): Promise<{ child: ChildServer; http: HttpClient }> {
  const child = await spawnServer({ DATA_DIR: dataDir, STAFF_TOKEN, VIP_CAPACITY: '50', REGULAR_CAPACITY: '80' });
  children.push(child);
  return { child, http: new HttpClient(child.url) };
}

describe('a server killed with SIGKILL in the middle of a load', () => {
  it('keeps every acknowledged registration and purchase, and its invariants, after a restart', async () => {
    const { child, http } = await start();
    const acknowledged = new Map<string, string>(); // id -> status the client was told
    let killed = false;
    let total = 0;

    // Twelve clients registering (and some buying at once) until the server dies under them.
    const client = async (n: number) => {
      for (let i = 0; !killed; i++) {
        try {
          const answer = await http.register(`C${n}-${i}`, 'Crash', (n + i) % 3 === 0 ? 'VIP' : 'Regular');
          if (answer.status !== 201) throw new Error(`unexpected ${answer.status}`);
          acknowledged.set(answer.body.id, 'Queued');
          total++;
          if (i % 4 === 0) {
            const bought = await http.request('POST', '/api/process_user', {
              body: { id: answer.body.id },
              token: answer.body.token,
            });
            if (bought.status === 200) acknowledged.set(answer.body.id, bought.body.final_status);
          }
        } catch {
          return; // the connection died with the server: that request was never acknowledged
        }
      }
    };
    const load = Promise.all(Array.from({ length: 12 }, (_, n) => client(n)));
    while (total < 300) await new Promise((resolve) => setTimeout(resolve, 5));
    child.process.kill('SIGKILL');
    killed = true;
    await child.exited;
    await load;

    // The lock died with the process: a new server starts at once on the same directory.
    const { http: after } = await start();
    const summary = (await after.request('GET', '/summary_data')).body;
    checkInvariants(summary);
    for (const [id, status] of acknowledged) {
      const ticket = await after.staff('GET', `/api/tickets/${id}`);
      expect(ticket.status, `ticket ${id}`).toBe(200);
      // A purchase that was acknowledged stays as acknowledged; a queued one may have been served since.
      if (status !== 'Queued') expect(ticket.body.status, `ticket ${id}`).toBe(status);
    }
    // Nothing unacknowledged beyond what was in flight at the kill: at most one request per client.
    const registered = summary.queue_length + summary.waitlist_length + summary.total_sold;
    expect(registered).toBeGreaterThanOrEqual(acknowledged.size);
    expect(registered).toBeLessThanOrEqual(acknowledged.size + 12);
  });

  it('a registration retried with its Idempotency-Key after the kill gets its ticket, not a second one', async () => {
    const { child, http } = await start();
    const body = { first_name: 'Ann', last_name: 'Lee', ticket_type: 'VIP' };
    const headers = { 'idempotency-key': 'f47ac10b-58cc-4372-a567-0e02b2c3d479' };
    const first = await http.request('POST', '/api/register', { body, headers });
    expect(first.status).toBe(201);
    // As if the answer had been lost with the server: the client retries against the restarted one.
    child.process.kill('SIGKILL');
    await child.exited;

    const { http: after } = await start();
    const retry = await after.request('POST', '/api/register', { body, headers });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toMatchObject({ id: first.body.id, token: first.body.token });
    expect((await after.request('GET', '/summary_data')).body.vip_queue_length).toBe(1);
  });

  it('a second server on the same data directory is refused while the first runs', async () => {
    await start();
    const second = spawnServer({ DATA_DIR: dataDir, STAFF_TOKEN });
    await expect(second).rejects.toThrow(
      /exited with 1[\s\S]*Another server \(pid \d+\) is already using the data directory/,
    );
  });
});

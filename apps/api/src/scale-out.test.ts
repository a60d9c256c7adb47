import { type JournalEvent, TicketEngine } from '@ticketing/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from './store/postgres/migrations.ts';
import { type ChildServer, spawnServer } from './testing/child-server.ts';
import { checkInvariants, HttpClient, removeData, STAFF_TOKEN } from './testing/harness.ts';
import { newSchemaName, TEST_DATABASE_URL, withDatabase } from './testing/postgres.ts';
import { postgresAvailable } from './testing/stores.ts';

const children: ChildServer[] = [];
let schema: string | undefined;

afterEach(async () => {
  for (const child of children.splice(0)) {
    child.process.kill('SIGKILL');
    await child.exited;
  }
  if (schema) await removeData('postgres', schema);
  schema = undefined;
});

function schemaUrl(name: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${name}`);
  return url.toString();
}

async function startServers(count: number): Promise<{ child: ChildServer; http: HttpClient }[]> {
  schema = newSchemaName();
  await withDatabase((client) => client.query(`create schema ${schema}`));
  const env = { DATABASE_URL: schemaUrl(schema), STAFF_TOKEN, VIP_CAPACITY: '25', REGULAR_CAPACITY: '40' };
  // All start at once: the migrations must be applied exactly once between them.
  const started = await Promise.all(Array.from({ length: count }, () => spawnServer(env)));
  children.push(...started);
  return started.map((child) => ({ child, http: new HttpClient(child.url) }));
}

describe.skipIf(!postgresAvailable)('several API processes on one PostgreSQL database', () => {
  it.each([2, 4])(
    '%i processes hammered at once, one killed with SIGKILL mid-load: nothing acknowledged is lost, no oversell, order kept',
    async (count) => {
      const servers = await startServers(count);
      const victim = servers[0] as { child: ChildServer; http: HttpClient };
      const acknowledged = new Map<string, string>(); // ticket id -> status its client was told
      let stop = false;
      let killed = false;
      let registeredCount = 0;
      const failures: string[] = [];

      type Server = { child: ChildServer; http: HttpClient };
      /** Runs one request; only a request to the killed server may fail, and it was never acknowledged. */
      const attempt = async <T>(server: Server, request: (http: HttpClient) => Promise<T>): Promise<T | undefined> => {
        try {
          return await request(server.http);
        } catch (error) {
          if (!(killed && server === victim)) failures.push(String(error));
          return undefined;
        }
      };
      const client = async (n: number) => {
        for (let i = 0; !stop; i++) {
          const target = servers[(n + i) % servers.length] as Server;
          const answer = await attempt(target, (http) =>
            http.register(`W${n}-${i}`, 'Scale', (n + i) % 3 === 0 ? 'VIP' : 'Regular'),
          );
          if (!answer) continue;
          if (answer.status !== 201) failures.push(`register answered ${answer.status}`);
          acknowledged.set(answer.body.id, 'Queued');
          registeredCount++;
          // Buy, or process the line, through another server than the one that registered.
          const other = servers[(n + i + 1) % servers.length] as Server;
          if (i % 3 === 0) {
            const bought = await attempt(other, (http) =>
              http.request('POST', '/api/process_user', { body: { id: answer.body.id }, token: answer.body.token }),
            );
            if (bought?.status === 200) acknowledged.set(answer.body.id, bought.body.final_status);
          } else if (i % 3 === 1) {
            await attempt(other, (http) => http.staff('POST', '/api/process_next'));
          }
        }
      };
      const load = Promise.all(Array.from({ length: 8 }, (_, n) => client(n)));
      while (registeredCount < 60) await new Promise((resolve) => setTimeout(resolve, 5));
      killed = true;
      victim.child.process.kill('SIGKILL');
      await victim.child.exited;
      servers.splice(0, 1);
      const atKill = registeredCount;
      while (registeredCount < atKill + 60) await new Promise((resolve) => setTimeout(resolve, 5));
      stop = true;
      await load;

      expect(failures).toEqual([]);
      const survivor = servers[0] as { http: HttpClient };
      const summary = (await survivor.http.request('GET', '/summary_data')).body;
      checkInvariants(summary);
      for (const [id, status] of acknowledged) {
        const ticket = await survivor.http.staff('GET', `/api/tickets/${id}`);
        expect(ticket.status, `ticket ${id}`).toBe(200);
        if (status !== 'Queued') expect(ticket.body.status, `ticket ${id}`).toBe(status);
      }

      await withDatabase(async (db) => {
        // The database itself agrees: seats never over capacity, counts match the journal.
        const seats = await db.query(`select ticket_type, capacity, sold from ${schema}.seats order by ticket_type`);
        for (const row of seats.rows) expect(row.sold).toBeLessThanOrEqual(row.capacity);
        const events = await db.query(`select * from ${schema}.events order by seq`);
        // Replaying the shared journal re-checks every rule: gap-free order, VIP first, FIFO within a
        // type, no seat given without one free. It throws on the first event that breaks one.
        const engine = TicketEngine.replay(
          events.rows.map((row): JournalEvent => ({ ...row, seq: Number(row.seq), at: row.at.toISOString() })),
        );
        const replayed = engine.summary();
        expect(replayed.vip_sold).toBe(seats.rows.find((r) => r.ticket_type === 'VIP')?.sold);
        expect(replayed.regular_sold).toBe(seats.rows.find((r) => r.ticket_type === 'Regular')?.sold);
        expect(replayed.total_sold).toBe(summary.total_sold);
      });
    },
    60_000,
  );

  it('servers starting at the same moment migrate the database once', async () => {
    await startServers(3);
    const versions = await withDatabase((db) => db.query(`select version from ${schema}.schema_migrations`));
    expect(versions.rows).toEqual(MIGRATIONS.map(({ version }) => ({ version })));
  });
});

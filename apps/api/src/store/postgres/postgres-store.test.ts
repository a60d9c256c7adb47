import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { removeData } from '../../testing/harness.ts';
import { newSchemaName, TEST_DATABASE_URL, withDatabase } from '../../testing/postgres.ts';
import { postgresAvailable } from '../../testing/stores.ts';
import { StorageUnavailableError } from '../types.ts';
import { openPostgresStore, type PostgresStore } from './postgres-store.ts';

const ctx = { actor: 'attendee' } as const;
const ticket = (first_name: string) => ({ first_name, last_name: 'Lee', ticket_type: 'VIP' as const, token_hash: '' });

let schema: string;
let store: PostgresStore;
let holder: pg.Client;

beforeEach(async () => {
  if (!postgresAvailable) return;
  schema = newSchemaName();
  store = await openPostgresStore({
    connectionString: TEST_DATABASE_URL,
    schema,
    initialCapacity: { VIP: 5, Regular: 5 },
    timeouts: { lockTimeoutMs: 2_000 },
  });
  holder = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await holder.connect();
});

afterEach(async () => {
  if (!postgresAvailable) return;
  await holder.end().catch(() => {});
  await store.close();
  await removeData('postgres', schema);
});

/** Another session takes the journal head, as a server in the middle of a change does. */
async function holdJournalHead(): Promise<void> {
  await holder.query(`begin; select last_seq from ${schema}.event_head where id = 1 for update`);
}

/** The server process of the store's connection that waits for the journal head. */
async function waitingBackend(): Promise<number> {
  let pid: number | undefined;
  await vi.waitFor(
    async () => {
      // The holder is inside a transaction, which sees pg_stat_activity as it was at its first look unless
      // told to look again: a first look before the store's query reached the lock would never find it.
      await holder.query('select pg_stat_clear_snapshot()');
      const { rows } = await holder.query<{ pid: number }>(
        `select pid from pg_stat_activity where wait_event_type = 'Lock' and query like '%event_head%for update%'`,
      );
      pid = rows[0]?.pid;
      expect(pid).toBeDefined();
    },
    { timeout: 5_000, interval: 20 },
  );
  return pid as number;
}

describe.skipIf(!postgresAvailable)('the PostgreSQL store when the database fails it', () => {
  it('fails a change whose connection is lost mid-transaction with 503, and carries on', async () => {
    await store.register(ticket('Ann'), ctx);
    await holdJournalHead();
    const waiting = store.register(ticket('Bob'), ctx);
    // A database restart or a network reset looks like this to the store: the connection ends mid-query.
    await holder.query('select pg_terminate_backend($1)', [await waitingBackend()]);
    await expect(waiting).rejects.toThrow(StorageUnavailableError);
    await holder.query('rollback');

    await store.register(ticket('Cy'), ctx);
    expect((await store.summary()).vip_queue_length).toBe(2);
  });

  it('gives up on a journal head another server holds too long, rather than waiting for good', async () => {
    await holdJournalHead();
    const started = performance.now();
    await expect(store.register(ticket('Ann'), ctx)).rejects.toThrow(StorageUnavailableError);
    expect(performance.now() - started).toBeLessThan(5_000);
    await holder.query('rollback');
    await store.register(ticket('Bob'), ctx);
    expect((await store.summary()).vip_queue_length).toBe(1);
  });

  it('answers a read it cannot bring up to date with the database as unavailable (503), not as a fault', async () => {
    await store.register(ticket('Ann'), ctx);
    await withDatabase((db) => db.query(`alter table ${schema}.events rename to events_away`));
    try {
      await expect(store.queue(10)).rejects.toThrow(StorageUnavailableError);
    } finally {
      await withDatabase((db) => db.query(`alter table ${schema}.events_away rename to events`));
    }
    expect((await store.queue(10))['VIP Queue'].total).toBe(1);
  });
});

describe.skipIf(!postgresAvailable)('servers sharing a database', () => {
  it('say so at start when one takes another staff token than the server that started before it', async () => {
    const warnings: string[] = [];
    const logger = { info: () => {}, warn: (message: string) => void warnings.push(message), error: () => {} };
    const started: PostgresStore[] = [];
    /** Another server of the event starting, with STAFF_TOKEN set to this or (undefined) unset. */
    const start = async (configured: string | undefined) => {
      const server = await openPostgresStore({
        connectionString: TEST_DATABASE_URL,
        schema,
        initialCapacity: { VIP: 5, Regular: 5 },
        logger,
      });
      started.push(server);
      return server.staffToken(configured);
    };
    try {
      await start('the-event-staff-token');
      await start('the-event-staff-token');
      expect(warnings).toEqual([]);

      const generated = await start(undefined);
      expect(generated).not.toBe('the-event-staff-token');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('give every server the same STAFF_TOKEN');

      // The next server without STAFF_TOKEN shares the generated one: in line again, nothing to say.
      expect(await start(undefined)).toBe(generated);
      expect(warnings).toHaveLength(1);
      // What is kept is a salted scrypt digest, not the token.
      const kept = await withDatabase((db) =>
        db.query(`select value from ${schema}.settings where name = 'staff_token_digest'`),
      );
      expect(kept.rows[0]?.value).toMatch(/^[0-9a-f]{32}:[0-9a-f]{64}$/);
    } finally {
      for (const server of started) await server.close();
    }
  });
});

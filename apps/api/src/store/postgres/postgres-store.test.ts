import net from 'node:net';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { removeData } from '../../testing/harness.ts';
import { newSchemaName, TEST_DATABASE_URL, withDatabase } from '../../testing/postgres.ts';
import { postgresAvailable } from '../../testing/stores.ts';
import { StorageUnavailableError } from '../types.ts';
import { openPostgresStore, type PostgresStore, WRITABLE_QUERY } from './postgres-store.ts';

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

describe.skipIf(!postgresAvailable)('the PostgreSQL store when the network drops packets', () => {
  const QUERY_TIMEOUT_MS = 1_500;
  let proxy: DroppingProxy;
  let cutOff: PostgresStore;

  beforeEach(async () => {
    const database = new URL(TEST_DATABASE_URL);
    proxy = await droppingProxy(database.hostname, Number(database.port || 5432));
    database.host = `127.0.0.1:${proxy.port}`;
    cutOff = await openPostgresStore({
      connectionString: database.toString(),
      schema,
      initialCapacity: { VIP: 5, Regular: 5 },
      timeouts: { queryTimeoutMs: QUERY_TIMEOUT_MS },
    });
  });

  afterEach(async () => {
    proxy.restore();
    await cutOff.close();
    await proxy.close();
  });

  it('fails a change whose answer never comes after one query timeout, not two', async () => {
    await cutOff.register(ticket('Ann'), ctx);
    proxy.drop();
    const started = performance.now();
    await expect(cutOff.register(ticket('Bob'), ctx)).rejects.toThrow(StorageUnavailableError);
    // A rollback sent on the silent connection would wait out a second timeout before the change failed.
    expect(performance.now() - started).toBeLessThan(2 * QUERY_TIMEOUT_MS - 500);
  });

  it('answers a change whose commit was made but never confirmed as made, once the database shows it', async () => {
    await cutOff.register(ticket('Ann'), ctx);
    proxy.dropCommitAnswers();
    const { ticket: bob } = await cutOff.register(ticket('Bob'), ctx);
    expect(bob.first_name).toBe('Bob');
    const journal = await withDatabase((db) =>
      db.query<{ first_name: string }>(
        `select first_name from ${schema}.events where action = 'registered' order by seq`,
      ),
    );
    expect(journal.rows.map((row) => row.first_name)).toEqual(['Ann', 'Bob']);
    await cutOff.register(ticket('Cy'), ctx);
    expect((await cutOff.queue(10))['VIP Queue'].total).toBe(3);
  });

  it('answers a change whose commit never finished as not made, once its transaction is ended', async () => {
    await cutOff.register(ticket('Ann'), ctx);
    // The commit runs this and hangs past the query timeout, as on a database that stalls (a full disk, a
    // synchronous standby gone).
    await withDatabase(async (db) => {
      await db.query(`create function ${schema}.stall() returns trigger language plpgsql as $$
        begin perform pg_sleep(30); return null; end $$`);
      await db.query(`create constraint trigger stall after insert on ${schema}.events
        deferrable initially deferred for each row execute function ${schema}.stall()`);
    });
    try {
      await expect(cutOff.register(ticket('Bob'), ctx)).rejects.toThrow(/nothing was changed/);
    } finally {
      await withDatabase((db) => db.query(`drop trigger stall on ${schema}.events`));
    }
    await cutOff.register(ticket('Cy'), ctx);
    const journal = await withDatabase((db) =>
      db.query<{ first_name: string }>(
        `select first_name from ${schema}.events where action = 'registered' order by seq`,
      ),
    );
    expect(journal.rows.map((row) => row.first_name)).toEqual(['Ann', 'Cy']);
  });
});

interface DroppingProxy {
  port: number;
  /** from now on, what either side sends is thrown away, as by a network that drops packets */
  drop(): void;
  /** on the connections open now, the answer to the next COMMIT and all after it is thrown away */
  dropCommitAnswers(): void;
  restore(): void;
  close(): Promise<void>;
}

/** A TCP proxy to the database whose connections can be made to go silent. */
async function droppingProxy(host: string, port: number): Promise<DroppingProxy> {
  let dropping = false;
  const sockets = new Set<net.Socket>();
  /** per connection open now: drop its answers from the next COMMIT on */
  const onCommit = new Set<{ armed: boolean; answersLost: boolean }>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, host);
    const link = { armed: false, answersLost: false };
    onCommit.add(link);
    client.on('data', (data) => {
      // A simple-protocol query message holding the statement text.
      if (link.armed && data.includes('commit')) link.answersLost = true;
      if (!dropping) upstream.write(data);
    });
    upstream.on('data', (data) => {
      if (!dropping && !link.answersLost) client.write(data);
    });
    for (const [socket, other] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(socket);
      socket.on('close', () => other.destroy());
      socket.on('error', () => other.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    drop: () => {
      dropping = true;
    },
    dropCommitAnswers: () => {
      for (const link of onCommit) link.armed = true;
      onCommit.clear();
    },
    restore: () => {
      dropping = false;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe.skipIf(!postgresAvailable)('the replica in memory', () => {
  /** A second server of the event on the same schema, closed after the test. */
  let other: PostgresStore | undefined;
  afterEach(async () => {
    await other?.close();
    other = undefined;
  });
  const openOther = async () => {
    other = await openPostgresStore({
      connectionString: TEST_DATABASE_URL,
      schema,
      initialCapacity: { VIP: 5, Regular: 5 },
    });
    return other;
  };
  const eventsTable = (to: 'events' | 'events_away') =>
    withDatabase((db) =>
      db.query(`alter table ${schema}.${to === 'events' ? 'events_away' : 'events'} rename to ${to}`),
    );

  /** Makes a change fail after the store decided it, so its replica holds a change the database refused. */
  async function failOneChange(): Promise<void> {
    const refuse = `alter table ${schema}.events add constraint refuse_never check (first_name <> 'Never') not valid`;
    await withDatabase((db) => db.query(refuse));
    try {
      await expect(store.register(ticket('Never'), ctx)).rejects.toThrow(StorageUnavailableError);
    } finally {
      await withDatabase((db) => db.query(`alter table ${schema}.events drop constraint refuse_never`));
    }
  }

  it('says how far a long catch-up has got, as a server starting on a long journal does', async () => {
    // 25 000 registrations more than the event's opening events: three pages of the journal.
    await withDatabase(async (db) => {
      await db.query(
        `insert into ${schema}.events (seq, at, action, actor, ticket_id, first_name, last_name, ticket_type, status)
         select n + 2, now(), 'registered', 'attendee', 'T' || n, 'P' || n, 'Lee', 'VIP', 'Queued'
           from generate_series(1, 25000) as n`,
      );
      await db.query(`update ${schema}.event_head set last_seq = 25002 where id = 1`);
    });
    const said: string[] = [];
    other = await openPostgresStore({
      connectionString: TEST_DATABASE_URL,
      schema,
      initialCapacity: { VIP: 5, Regular: 5 },
      logger: { info: (message) => void said.push(message), warn() {}, error() {} },
      progressIntervalMs: 0,
    });
    expect(said.filter((message) => message.startsWith('Replaying'))).toEqual([
      expect.stringMatching(/^Replaying the events table: 39% \(10,000 events\), about \d+ s left…$/),
      expect.stringMatching(/^Replaying the events table: 79% \(20,000 events\), about \d+ s left…$/),
      'Replaying the events table: 100% (25,002 events)…',
    ]);
    expect(said).toContain('PostgreSQL event: 25,002 journal events, 25,000 tickets, 25,000 queued.');
  });

  it('answers reads that waited behind a catch-up which failed as unavailable, never from the replica it left', async () => {
    const server = await openOther();
    const { ticket: ann } = await store.register(ticket('Ann'), ctx);
    await eventsTable('events_away');
    try {
      // Both arrive before either is answered: the second must not count the first's failed catch-up as done.
      const answers = await Promise.allSettled([server.ticket(ann.id), server.ticket(ann.id)]);
      for (const answer of answers) {
        expect(answer.status).toBe('rejected');
        expect((answer as PromiseRejectedResult).reason).toBeInstanceOf(StorageUnavailableError);
      }
    } finally {
      await eventsTable('events');
    }
    expect((await server.ticket(ann.id))?.ticket.status).toBe('Queued');
  });

  it('answers reads after a rebuild that failed as unavailable, never from an empty replica', async () => {
    await store.register(ticket('Ann'), ctx);
    await failOneChange();
    await eventsTable('events_away');
    try {
      // Both arrive before the rebuild starts: the second must not be answered from what the first left.
      const answers = await Promise.allSettled([store.queue(10), store.queue(10)]);
      for (const answer of answers) {
        expect(answer.status).toBe('rejected');
        expect((answer as PromiseRejectedResult).reason).toBeInstanceOf(StorageUnavailableError);
      }
    } finally {
      await eventsTable('events');
    }
    expect((await store.queue(10))['VIP Queue'].total).toBe(1);
  });

  it('rebuilds a replica that holds a failed change before it locks the journal head for the next change', async () => {
    await store.register(ticket('Ann'), ctx);
    await failOneChange();
    // A rebuild replays the whole journal: under the head's lock, every other server's changes would wait for it.
    const poolQueries = vi.spyOn(store.connectionPool, 'query');
    await holdJournalHead();
    const registered = store.register(ticket('Bob'), ctx);
    await waitingBackend();
    // Waiting for the lock, the store has already read the journal, outside the transaction that waits.
    expect(poolQueries.mock.calls.some(([text]) => String(text).includes('from events'))).toBe(true);
    await holder.query('rollback');
    await registered;
    expect((await store.queue(10))['VIP Queue'].entries.map((entry) => entry.first_name)).toEqual(['Ann', 'Bob']);
  });

  it('takes the database as it is when it lost commits the replica saw, and never writes a gap into the journal', async () => {
    await store.register(ticket('Ann'), ctx);
    const { ticket: bob } = await store.register(ticket('Bob'), ctx);
    const searchBob = async () => (await store.transactions({ q: 'bob', limit: 10, offset: 0 })).total;
    expect(await searchBob()).toBe(1);
    // As after a restore from a backup, or a failover to a standby that lacked the last commit.
    await withDatabase(async (db) => {
      await db.query(`delete from ${schema}.events where seq = (select max(seq) from ${schema}.events)`);
      await db.query(`update ${schema}.event_head set last_seq = last_seq - 1 where id = 1`);
    });
    expect(await store.ticket(bob.id)).toBeUndefined();

    await store.register(ticket('Cy'), ctx);
    const seqs = await withDatabase((db) => db.query<{ seq: string }>(`select seq from ${schema}.events order by seq`));
    expect(seqs.rows.map((row) => Number(row.seq))).toEqual([1, 2, 3, 4]);
    // Cy took Bob's seq: a search read before the loss must not still find Bob there.
    expect(await searchBob()).toBe(0);
    // A server starting now reads the journal through.
    const server = await openOther();
    expect((await server.queue(10))['VIP Queue'].entries.map((entry) => entry.first_name)).toEqual(['Ann', 'Cy']);
  });
});

describe.skipIf(!postgresAvailable)('readiness', () => {
  it('is ready on a database that takes writes', async () => {
    expect(await store.health()).toEqual({ ready: true });
  });

  it('tells a read-only database by the query it asks (as a standby after a failover is)', async () => {
    const writable = (readOnly: boolean) =>
      withDatabase(async (db) => {
        await db.query(`set default_transaction_read_only = ${readOnly ? 'on' : 'off'}`);
        return (await db.query<{ writable: boolean }>(WRITABLE_QUERY)).rows[0]?.writable;
      });
    expect(await writable(false)).toBe(true);
    expect(await writable(true)).toBe(false);
  });
});

describe.skipIf(!postgresAvailable)('servers sharing a database', () => {
  it("find in a log search another's events added since they last asked, reading only those", async () => {
    const other = await openPostgresStore({
      connectionString: TEST_DATABASE_URL,
      schema,
      initialCapacity: { VIP: 5, Regular: 5 },
    });
    try {
      const search = async (on: PostgresStore, offset = 0) => {
        const { items, total } = await on.transactions({ q: 'lee', limit: 2, offset });
        return { names: items.map((t) => t.first_name), total };
      };
      for (const name of ['Ann', 'Bo', 'Cy']) await store.register(ticket(name), ctx);
      expect(await search(store)).toEqual({ names: ['Cy', 'Bo'], total: 3 });
      // An event this server has read already, changed behind its back: read again, it would be found.
      await withDatabase((db) => db.query(`update ${schema}.events set last_name = 'Ng' where first_name = 'Ann'`));
      await other.register(ticket('Di'), ctx);
      expect(await search(store)).toEqual({ names: ['Di', 'Cy'], total: 4 });
      expect(await search(store, 2)).toEqual({ names: ['Bo', 'Ann'], total: 4 });
      // A server asked for the first time reads it all.
      expect(await search(other, 2)).toEqual({ names: ['Bo'], total: 3 });
    } finally {
      await other.close();
    }
  });

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

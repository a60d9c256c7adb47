// The PostgreSQL store, for several API servers on one event. The journal lives in the database; each
// server keeps a replica of the engine in memory, brought up to date from the journal before it reads
// or decides. A change runs in one transaction that locks the journal head row, catches up, lets the
// engine decide, appends the events and moves the seat counts (whose check constraint forbids
// overselling) — so every server's changes form one history in one priority order. Concurrent
// changes on one server share a transaction (group commit).

import { randomBytes, scrypt } from 'node:crypto';
import {
  DomainError,
  type JournalEvent,
  type Summary,
  TICKET_TYPES,
  TicketEngine,
  type TicketType,
  TRANSACTION_COLUMNS,
} from '@ticketing/shared';
import pg from 'pg';
import { holdClaims, IDEMPOTENCY_SECRET_SETTING, unholdClaims } from '../../idempotency/postgres.ts';
import type { IdempotencyClaim } from '../../idempotency/types.ts';
import { newToken } from '../../plugins/auth.ts';
import {
  type Decision,
  describeEvent,
  EngineStore,
  openingEvents,
  reserveTickets,
  toTransaction,
} from '../engine-store.ts';
import { isSearch, LogSearches, type SearchedEvent, type SearchedLog } from '../log-search.ts';
import { ReplayProgress } from '../replay-progress.ts';
import {
  type Logger,
  type PerType,
  StorageDamagedError,
  StorageUnavailableError,
  silentLogger,
  type TicketStore,
  type TransactionFilter,
} from '../types.ts';
import { DEFAULT_TIMEOUTS, poolSettings, type Timeouts, withConnection } from './connection.ts';
import { migrate } from './migrations.ts';

export interface PostgresStoreOptions {
  connectionString: string;
  /** a schema of its own (created if missing); tests use one each */
  schema?: string;
  initialCapacity: PerType<number>;
  logger?: Logger;
  poolSize?: number;
  /** how old a summary may be when served to pollers; one database round trip per period at most */
  summaryMaxAgeMs?: number;
  /** when to give up on a stuck connection (tests shorten them) */
  timeouts?: Partial<Timeouts>;
  /** thrown instead of opening a new event on a database that holds none (the event is elsewhere) */
  refuseNewEvent?: Error;
  /** how often a long catch-up with the journal (at start, say) logs how far it has got */
  progressIntervalMs?: number;
}

/** The events table's columns: the transaction log's, in its order (its time is the column `at`), and the token hash. */
const EVENT_COLUMN_NAMES = [...TRANSACTION_COLUMNS.map((column) => (column === 'time' ? 'at' : column)), 'token_hash'];
const EVENT_COLUMNS = EVENT_COLUMN_NAMES.join(', ');
/**
 * The same columns as read, the time as the engine writes times ("2026-11-25T10:15:00.123Z"): formatted by the
 * database, rather than parsed into a Date for every row and formatted again here (most of a long catch-up).
 */
const EVENT_SELECTED = EVENT_COLUMN_NAMES.map((name) =>
  name === 'at' ? `to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at` : name,
).join(', ');

interface EventRow {
  seq: string;
  at: string;
  action: JournalEvent['action'];
  actor: JournalEvent['actor'];
  ticket_id: string;
  first_name: string;
  last_name: string;
  ticket_type: TicketType;
  status: JournalEvent['status'];
  capacity: number | null;
  token_hash: string;
}

/** A COMMIT that got no answer: the database may or may not have made the transaction. */
class CommitUnconfirmedError extends Error {
  constructor(
    /** the server process that ran the transaction */
    readonly backend: number,
    cause: unknown,
  ) {
    super(`the commit got no answer: ${(cause as Error).message}`, { cause });
  }
}

/** How long a transaction whose commit got no answer is given to end before its outcome is called unknown. */
const SETTLE_WAIT_MS = 5_000;

/** What a request whose change was not committed is told; `saved` undefined: nobody can tell whether it was. */
function commitFailure(error: unknown, saved: false | undefined): StorageUnavailableError {
  if (error instanceof StorageUnavailableError) return error;
  return saved === undefined
    ? new StorageUnavailableError(
        'The database did not confirm the change, so it may or may not have been saved. Check (for example, look the ticket up) before trying again.',
        { cause: error },
      )
    : new StorageUnavailableError('The database could not save the change; nothing was changed.', { cause: error });
}

/** For a request whose Idempotency-Key claim ran out and was taken by a retry: the retry answers instead. */
const claimTakenOver = () =>
  new DomainError(
    'IDEMPOTENCY_IN_FLIGHT',
    'A later attempt with this Idempotency-Key took over this request; nothing was changed by this one.',
  );

const STAFF_TOKEN_SETTING = 'staff_token';
/** Sets a setting ($1) to a value ($2), whether or not it had one. */
const PUT_SETTING =
  'insert into settings (name, value) values ($1, $2) on conflict (name) do update set value = excluded.value';
/** "salt:digest" of the staff token the latest server to start took, given or generated. */
const STAFF_TOKEN_DIGEST_SETTING = 'staff_token_digest';

/**
 * A staff token's digest, for telling two apart: scrypt, which is slow to guess through, as a chosen token
 * may be short and the database may be copied.
 */
async function staffTokenDigest(token: string, salt: string): Promise<string> {
  const key = await new Promise<Buffer>((resolve, reject) =>
    scrypt(token, salt, 32, (error, derived) => (error ? reject(error) : resolve(derived))),
  );
  return key.toString('hex');
}

const unreachable = (cause: unknown) =>
  new StorageUnavailableError('The database cannot be reached right now.', { cause });

/** Whether this session's database takes writes: not a standby in recovery, nor set read-only. */
export const WRITABLE_QUERY = `select not pg_is_in_recovery() and current_setting('transaction_read_only') = 'off' as writable`;

/** The event of a row, with its columns only (a row may carry more, such as the head's seq). */
const toEvent = (row: EventRow): JournalEvent => ({
  seq: Number(row.seq),
  at: row.at,
  action: row.action,
  actor: row.actor,
  ticket_id: row.ticket_id,
  first_name: row.first_name,
  last_name: row.last_name,
  ticket_type: row.ticket_type,
  status: row.status,
  capacity: row.capacity,
  token_hash: row.token_hash,
});

interface Pending {
  decide: Decision<unknown>;
  claim: IdempotencyClaim | undefined;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    options: schema ? `-c search_path=${schema}` : undefined,
    ...poolSettings({ ...DEFAULT_TIMEOUTS, ...options.timeouts }),
  });
  // An idle connection the database dropped must not take the server down.
  pool.on('error', (error) => (options.logger ?? silentLogger).warn(`PostgreSQL connection error: ${error.message}`));
  try {
    if (schema) await pool.query(`create schema if not exists ${schema}`);
    const applied = await migrate(pool, options.logger);
    if (applied.length > 0) (options.logger ?? silentLogger).info(`Database migrated to version ${applied.at(-1)}.`);
    const store = new PostgresStore(pool, options);
    await store.load();
    return store;
  } catch (error) {
    await pool.end().catch(() => {});
    if (error instanceof Error && /ECONNREFUSED|ENOTFOUND|password|does not exist|timeout/i.test(error.message)) {
      throw new StorageUnavailableError(`Cannot use the database at DATABASE_URL: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

export class PostgresStore extends EngineStore implements TicketStore {
  readonly kind = 'postgres';
  private engine = new TicketEngine();
  /** set when the replica may hold changes that never committed: it is rebuilt before next use */
  private stale = false;
  private tail: Promise<unknown> = Promise.resolve();
  private pending: Pending[] = [];
  private flushing = false;
  /** performance.now() when the last catch-up query started: it saw every commit before then */
  private caughtUpAt = Number.NEGATIVE_INFINITY;
  private summaryCache: { value: Summary; at: number } | undefined;
  private closed = false;
  private readonly logger: Logger;
  private readonly searches: LogSearches<number>;

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: PostgresStoreOptions,
  ) {
    super();
    this.logger = options.logger ?? silentLogger;
    this.searches = new LogSearches(eventTableLog(pool));
  }

  /** @internal creates the event on a new database, then builds the replica */
  async load(): Promise<void> {
    await this.transaction(async (client, headSeq) => {
      if (headSeq !== 0) return;
      if (this.options.refuseNewEvent) throw this.options.refuseNewEvent;
      const events = openingEvents(this.options.initialCapacity, new Date().toISOString());
      await insertEvents(client, events);
      for (const type of TICKET_TYPES) {
        await client.query('insert into seats (ticket_type, capacity, sold) values ($1, $2, 0)', [
          type,
          this.options.initialCapacity[type],
        ]);
      }
      await client.query('update event_head set last_seq = $1 where id = 1', [events.length]);
    });
    await this.exclusive(() => this.catchUp());
    this.logger.info(`PostgreSQL event: ${describeEvent(this.engine)}.`);
  }

  // ---- changes --------------------------------------------------------------------------------

  protected change<T>(decision: Decision<T>, claim?: IdempotencyClaim): Promise<T> {
    if (this.closed) return Promise.reject(new StorageUnavailableError('The server is shutting down.'));
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ decide: decision, claim, resolve: resolve as (value: unknown) => void, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0);
      await this.exclusive(() => this.commit(batch));
    }
    this.flushing = false;
  }

  /**
   * One transaction for a batch of commands, in three round trips while the head row is locked: lock
   * (catching up only if another server wrote since), append events + move seats + move the head in
   * one statement, commit. Each command's answer is sent only after the commit.
   */
  private async commit(batch: Pending[]): Promise<void> {
    const outcomes: { ok: boolean; value: unknown }[] = [];
    /** the batch's newest event, once decided */
    let newest: JournalEvent | undefined;
    try {
      // A replica to rebuild is rebuilt before the head is locked: a rebuild replays the whole journal, and
      // every other server's changes would wait for it.
      if (this.stale) await this.catchUp();
      await this.transaction(async (client, headSeq) => {
        if (headSeq !== this.engine.lastSeq || this.stale) await this.catchUp(client);
        if (this.engine.lastSeq !== headSeq) {
          throw new Error(`the journal's events end at ${this.engine.lastSeq} but its head says ${headSeq}`);
        }
        const before = seats(this.engine);
        const events: JournalEvent[] = [];
        const at = new Date().toISOString();
        this.stale = true; // until the commit succeeds, the replica may be ahead of the database
        const claims = batch.flatMap(({ claim }) => (claim ? [claim] : []));
        const held = await holdClaims(client, claims);
        // Claims of requests that changed nothing (refused, or a registration found again): a retry of those
        // may run again, so they must not stand as committed changes should the answer be lost.
        const unchanged: IdempotencyClaim[] = [];
        for (const { decide, claim } of batch) {
          if (claim && !held.has(claim.id)) {
            outcomes.push({ ok: false, value: claimTakenOver() });
            continue;
          }
          try {
            const { result, events: decided } = decide(this.engine, at);
            events.push(...decided);
            outcomes.push({ ok: true, value: result });
            if (claim && decided.length === 0) unchanged.push(claim);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            outcomes.push({ ok: false, value: error });
            if (claim) unchanged.push(claim);
          }
        }
        await unholdClaims(client, unchanged);
        newest = events.at(-1);
        if (newest) await appendEvents(client, events, before, seats(this.engine));
      });
    } catch (error) {
      const saved = error instanceof CommitUnconfirmedError ? await this.settleUnconfirmed(error, newest) : false;
      if (!saved) {
        this.logger.error(`Could not commit ${batch.length} change(s): ${(error as Error).message}`);
        for (const { reject } of batch) reject(commitFailure(error, saved));
        return;
      }
      this.logger.warn(`The database did not answer the commit of ${batch.length} change(s), but it had made it.`);
    }
    this.stale = false;
    this.refreshSummary();
    batch.forEach(({ resolve, reject }, i) => {
      const outcome = outcomes[i] as { ok: boolean; value: unknown };
      if (outcome.ok) resolve(outcome.value);
      else reject(outcome.value);
    });
  }

  // ---- reads ----------------------------------------------------------------------------------

  /** Answers from the replica once it holds every change committed before this call. */
  protected read<T>(query: (engine: TicketEngine) => T): Promise<T> {
    if (this.closed) return Promise.reject(new StorageUnavailableError('The server is shutting down.'));
    const arrived = performance.now();
    return this.exclusive(async () => {
      // A catch-up that started after this read arrived has seen everything it must see.
      if (this.stale || this.caughtUpAt < arrived) await this.catchUp();
      return query(this.engine);
    });
  }

  /** Polled by every open summary page: served from a copy at most summaryMaxAgeMs old. */
  async summary(): Promise<Summary> {
    return this.summaryAtOnce() ?? this.read((engine) => engine.summary());
  }

  summaryAtOnce(): Summary | undefined {
    const cached = this.summaryCache;
    const maxAge = this.options.summaryMaxAgeMs ?? 250;
    return cached && performance.now() - cached.at <= maxAge ? cached.value : undefined;
  }

  /**
   * The log, newest first: a page of the whole log by its seqs; a search from the events table, read once and
   * then as it grows (LogSearches), by this server.
   */
  async transactions(filter: TransactionFilter) {
    if (!isSearch(filter)) return this.logPage(filter);
    return this.searches.page(filter, await this.headSeq());
  }

  /**
   * A page of the whole log. Seqs have no gaps, so its size (up to a seq) is the head's seq, and the page is a
   * range of seqs: read by the index, however deep, where an offset would walk it from the newest event.
   */
  private async logPage(filter: TransactionFilter) {
    const total = Math.min(await this.headSeq(), filter.up_to_seq ?? Number.POSITIVE_INFINITY);
    const { oldest, newest } = logPageSeqs(total, filter);
    if (newest < oldest) return { items: [], total };
    const result = await this.query<EventRow>(
      `select ${EVENT_SELECTED} from events where seq between $1 and $2 order by seq desc`,
      [oldest, newest],
    );
    return { items: result.rows.map((row) => toTransaction(toEvent(row))), total };
  }

  journal(): AsyncGenerator<JournalEvent> {
    return readJournalRows(this.pool);
  }

  /** A setting shared by every server on this database, created by whichever asks first. */
  async sharedSetting(name: string, create: () => string): Promise<string> {
    await this.query('insert into settings (name, value) values ($1, $2) on conflict (name) do nothing', [
      name,
      create(),
    ]);
    return (await this.setting(name)) as string;
  }

  private async setting(name: string): Promise<string | undefined> {
    const { rows } = await this.query<{ value: string }>('select value from settings where name = $1', [name]);
    return rows[0]?.value;
  }

  async staffToken(configured: string | undefined): Promise<string> {
    const token = configured ?? (await this.sharedSetting(STAFF_TOKEN_SETTING, newToken));
    await this.noteStaffToken(token);
    return token;
  }

  /**
   * Servers of one event must take one staff token: behind a load balancer, staff signed in on one server
   * would otherwise be refused by another at random. Each start notes a digest of the token it took and
   * says so when the server that started before it took another.
   */
  private async noteStaffToken(token: string): Promise<void> {
    const previous = await this.setting(STAFF_TOKEN_DIGEST_SETTING);
    const [salt, digest] = previous?.split(':') ?? [];
    if (salt && digest === (await staffTokenDigest(token, salt))) return;
    const fresh = randomBytes(16).toString('hex');
    await this.query(PUT_SETTING, [STAFF_TOKEN_DIGEST_SETTING, `${fresh}:${await staffTokenDigest(token, fresh)}`]);
    if (previous) {
      this.logger.warn(
        'This server takes another staff token than the server that started before it on this database. While servers of the event run with different tokens, staff signed in on one are refused by another: give every server the same STAFF_TOKEN, or leave it unset on all of them to share the one kept in the database. (Changing the token on purpose, restart every server with the new one.)',
      );
    }
  }

  /** The staff token a server generated and keeps here (none when STAFF_TOKEN always gave it). */
  keptStaffToken(): Promise<string | undefined> {
    return this.setting(STAFF_TOKEN_SETTING);
  }

  // ---- health and shutdown --------------------------------------------------------------------

  async health() {
    if (this.closed) return { ready: false, detail: 'closed' };
    try {
      const { rows } = await this.query<{ writable: boolean }>(WRITABLE_QUERY);
      // A standby after a failover, or a database set read-only: reachable, but every change would fail.
      if (rows[0]?.writable !== true) return { ready: false, detail: 'the database is read-only' };
      return { ready: true };
    } catch (error) {
      return { ready: false, detail: `database unreachable: ${(error as Error).message}` };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.flushing) await this.tail.catch(() => {});
    await this.tail.catch(() => {});
    await this.pool.end();
  }

  /** @internal the pool, for the idempotency store that shares it */
  get connectionPool(): pg.Pool {
    return this.pool;
  }

  // ---- internals ------------------------------------------------------------------------------

  /** Runs one step at a time: the replica is never read while a change to it is undecided. */
  private exclusive<T>(step: () => Promise<T>): Promise<T> {
    const run = this.tail.then(step, step);
    this.tail = run.catch(() => {});
    return run;
  }

  /**
   * Whether a transaction whose COMMIT got no answer (a timeout, a lost connection) was made after all: its
   * server process is ended first, so that it cannot commit later, then the batch's newest event is looked for.
   * undefined when that cannot be told (the database cannot be reached, or the process would not end).
   */
  private async settleUnconfirmed(
    unconfirmed: CommitUnconfirmedError,
    newest: JournalEvent | undefined,
  ): Promise<boolean | undefined> {
    // A batch without events changed nothing that a retry could double: its answers stand either way.
    if (!newest) return true;
    try {
      const { backend } = unconfirmed;
      await this.pool.query('select pg_terminate_backend($1, $2)', [backend, SETTLE_WAIT_MS]);
      const running = await this.pool.query('select 1 from pg_stat_activity where pid = $1', [backend]);
      if (running.rowCount !== 0) return undefined;
      const found = await this.pool.query<{ saved: boolean }>(
        `select exists (select 1 from events where seq = $1 and at = $2 and action = $3 and ticket_id = $4) as saved`,
        [newest.seq, newest.at, newest.action, newest.ticket_id],
      );
      return found.rows[0]?.saved === true;
    } catch (error) {
      this.logger.warn(`Could not tell whether an unanswered commit was made: ${(error as Error).message}`);
      return undefined;
    }
  }

  /**
   * Applies the journal rows the replica lacks (all of them, when it must be rebuilt). Only a catch-up that
   * finished counts: one that failed leaves the replica marked as before, so the next read or change tries
   * again rather than answering from a replica that is behind (or, mid-rebuild, empty).
   */
  private async catchUp(client?: pg.PoolClient): Promise<void> {
    const started = performance.now();
    // A rebuild fills a new engine, which takes the replica's place only once it holds the whole journal.
    let engine = this.stale ? new TicketEngine() : this.engine;
    /** a long catch-up (a start, a rebuild) says how far it has got, over the events it was behind at first */
    let progress: ReplayProgress | undefined;
    for (let done = false; !done; ) {
      const page = await journalPage(client ?? this.pool, engine.lastSeq);
      if (!progress) {
        // A replica built from the start (at start-up): room at once for as many tickets as there are events.
        if (engine.lastSeq === 0) reserveTickets(engine, page.headSeq);
        const range = { from: engine.lastSeq, to: page.headSeq };
        progress = new ReplayProgress(this.logger, 'the events table', range, this.options.progressIntervalMs);
      }
      if (page.headSeq < engine.lastSeq) {
        // The database lost commits this replica saw (restored from a backup, or failed over to a standby that
        // lacked them). Deciding on top of them would write a gap into the journal: start again from what it holds.
        this.logger.warn(
          `The database's journal ends at event ${page.headSeq}, before this server's replica (${engine.lastSeq}): rebuilding the replica from the database.`,
        );
        engine = new TicketEngine();
        this.searches.clear();
        progress = undefined;
        continue;
      }
      for (const event of page.events) engine.apply(event);
      progress.update(engine.lastSeq, engine.lastSeq);
      done = page.events.length < JOURNAL_PAGE;
    }
    this.engine = engine;
    this.stale = false;
    this.caughtUpAt = started;
    if (!client) this.refreshSummary();
  }

  private refreshSummary(): void {
    this.summaryCache = { value: this.engine.summary(), at: performance.now() };
  }

  /** Runs work in a transaction that holds the journal head row, given the head's seq. */
  private transaction(work: (client: pg.PoolClient, headSeq: number) => Promise<void>): Promise<void> {
    return withConnection(
      this.pool,
      async (client) => {
        try {
          // Two statements in one round trip: the lock is taken as the transaction begins.
          const results = (await client.query(
            'begin; select last_seq, pg_backend_pid() as backend from event_head where id = 1 for update',
          )) as unknown as pg.QueryResult<{ last_seq: string; backend: number }>[];
          const head = results[1]?.rows[0];
          await work(client, Number(head?.last_seq));
          await client.query('commit').catch((error: unknown) => {
            // The database refused the commit (rolled back), or its answer never came: then it may have been made.
            throw error instanceof pg.DatabaseError ? error : new CommitUnconfirmedError(Number(head?.backend), error);
          });
        } catch (error) {
          // Rolled back here only when the database answered with the error, so answers a rollback too. After a
          // timeout or a lost connection, a rollback would wait behind the query that got no answer; the
          // connection is closed instead (withConnection), which ends the transaction just as well.
          if (error instanceof pg.DatabaseError) await client.query('rollback').catch(() => {});
          throw error;
        }
      },
      {
        logger: this.logger,
        connectFailed: (error) =>
          new StorageUnavailableError('The database cannot be reached; nothing was changed.', { cause: error }),
      },
    );
  }

  /** The seq of the newest event in the database. */
  private async headSeq(): Promise<number> {
    const head = await this.query<{ n: string }>('select last_seq as n from event_head where id = 1');
    return Number(head.rows[0]?.n ?? 0);
  }

  private query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    return queryOrUnreachable<R>(this.pool, text, values);
  }
}

/** A query whose failure to reach the database is said as such (StorageUnavailableError). */
async function queryOrUnreachable<R extends pg.QueryResultRow>(
  db: pg.Pool | pg.PoolClient,
  text: string,
  values?: unknown[],
): Promise<pg.QueryResult<R>> {
  try {
    return await db.query<R>(text, values);
  } catch (error) {
    throw unreachable(error);
  }
}

function seats(engine: TicketEngine): PerType<{ sold: number; capacity: number }> {
  const summary = engine.summary();
  return {
    VIP: { sold: summary.vip_sold, capacity: summary.vip_capacity },
    Regular: { sold: summary.regular_sold, capacity: summary.regular_capacity },
  };
}

/**
 * Appends events, moves the seat counts from `before` to `after` and advances the head, as one
 * statement. A seat row moves only from the counts this server expects; the check constraint refuses
 * any move past capacity, so the database itself guards against overselling.
 */
async function appendEvents(
  client: pg.PoolClient,
  events: JournalEvent[],
  before: PerType<{ sold: number; capacity: number }>,
  after: PerType<{ sold: number; capacity: number }>,
): Promise<void> {
  const moved = TICKET_TYPES.filter(
    (type) => after[type].sold !== before[type].sold || after[type].capacity !== before[type].capacity,
  );
  const { values, columns } = eventParameters(events);
  const next = values.length;
  const result = await client.query<{ seats_moved: string }>(
    `with appended as (
       insert into events (${EVENT_COLUMNS}) select * from unnest(${columns})
     ),
     moved as (
       update seats set sold = m.sold_after, capacity = m.capacity_after
       from unnest($${next + 1}::text[], $${next + 2}::integer[], $${next + 3}::integer[], $${next + 4}::integer[], $${next + 5}::integer[])
         as m(ticket_type, sold_after, capacity_after, sold_before, capacity_before)
       where seats.ticket_type = m.ticket_type and seats.sold = m.sold_before and seats.capacity = m.capacity_before
       returning 1
     ),
     head as (
       update event_head set last_seq = $${next + 6} where id = 1
     )
     select count(*) as seats_moved from moved`,
    [
      ...values,
      moved,
      moved.map((type) => after[type].sold),
      moved.map((type) => after[type].capacity),
      moved.map((type) => before[type].sold),
      moved.map((type) => before[type].capacity),
      (events.at(-1) as JournalEvent).seq,
    ],
  );
  if (Number(result.rows[0]?.seats_moved) !== moved.length) {
    throw new Error('the seat counts in the database disagree with the journal');
  }
}

/** The events as one array parameter per column, and the matching unnest() argument list. */
function eventParameters(events: JournalEvent[]): { values: unknown[][]; columns: string } {
  const column = <K extends keyof JournalEvent>(key: K) => events.map((event) => event[key]);
  const values = [
    column('seq'),
    column('at'),
    column('action'),
    column('actor'),
    column('ticket_id'),
    column('first_name'),
    column('last_name'),
    column('ticket_type'),
    column('status'),
    column('capacity'),
    column('token_hash'),
  ];
  const types = ['bigint', 'timestamptz', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'integer', 'text'];
  return { values, columns: types.map((type, i) => `$${i + 1}::${type}[]`).join(', ') };
}

async function insertEvents(client: pg.PoolClient, events: JournalEvent[]): Promise<void> {
  const { values, columns } = eventParameters(events);
  await client.query(`insert into events (${EVENT_COLUMNS}) select * from unnest(${columns})`, values);
}

/** Journal rows read per query. */
const JOURNAL_PAGE = 10_000;

/** The journal's events after `after`, in order, a page of rows at a time. */
async function* readJournalRows(db: pg.Pool | pg.PoolClient, after = 0): AsyncGenerator<JournalEvent> {
  for (let last = after; ; ) {
    const { events } = await journalPage(db, last);
    yield* events;
    if (events.length < JOURNAL_PAGE) return;
    last = (events.at(-1) as JournalEvent).seq;
  }
}

/**
 * Up to JOURNAL_PAGE events after `after`, in order, and the journal head's seq, both as one statement saw
 * them: in one round trip, a catch-up also learns whether the database still holds everything it applied.
 */
async function journalPage(
  db: pg.Pool | pg.PoolClient,
  after: number,
): Promise<{ headSeq: number; events: JournalEvent[] }> {
  const { rows } = await queryOrUnreachable<{ head_seq: string } & (EventRow | { [K in keyof EventRow]: null })>(
    db,
    `select head.last_seq as head_seq, page.*
         from event_head head
         left join lateral (
           select ${EVENT_SELECTED} from events where seq > $1 order by seq limit ${JOURNAL_PAGE}
         ) page on true
        where head.id = 1`,
    [after],
  );
  const events: JournalEvent[] = [];
  for (const row of rows) if (row.seq !== null) events.push(toEvent(row as EventRow));
  return { headSeq: Number(rows[0]?.head_seq ?? 0), events };
}

/**
 * The events table as a log search reads it (see LogSearches): up to a seq, after the last seq read, a page of
 * events at a time; each event found at its seq. Matching in the server rather than in SQL keeps one search for
 * both stores, and reads each event once: folding the names in SQL at every ask took PostgreSQL longer than its
 * statement timeout at a million events.
 */
function eventTableLog(db: pg.Pool): SearchedLog<number> {
  return {
    start: 0,
    name: 'The events table',
    reached: (seq) => seq,
    async read(after, end, visit) {
      let last = after;
      while (last < end) {
        // Only what a search looks at, a range of seqs at a time (seqs have no gaps).
        const { rows } = await queryOrUnreachable<Omit<SearchedEvent, 'seq'> & { seq: string }>(
          db,
          `select seq, ticket_id, first_name, last_name, ticket_type, status from events
            where seq > $1 and seq <= $2 order by seq`,
          [last, Math.min(end, last + JOURNAL_PAGE)],
        );
        if (rows.length === 0) break;
        for (const { seq, ticket_id, first_name, last_name, ticket_type, status } of rows) {
          last = Number(seq);
          visit({ seq: last, ticket_id, first_name, last_name, ticket_type, status }, last);
        }
      }
      return last;
    },
    async fetch(seqs) {
      const { rows } = await queryOrUnreachable<EventRow>(
        db,
        `select ${EVENT_SELECTED} from events where seq = any($1::bigint[])`,
        [seqs],
      );
      const bySeq = new Map(rows.map((row) => [Number(row.seq), toEvent(row)]));
      return seqs.map((seq) => {
        const event = bySeq.get(seq);
        if (!event) throw new StorageDamagedError(`The events table no longer holds event ${seq}.`);
        return event;
      });
    },
  };
}

/** How many journal events the database holds: 0 when it holds no event (or is not set up at all). */
export async function journalLength(connectionString: string): Promise<number> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const table = await client.query<{ name: string | null }>(`select to_regclass('event_head')::text as name`);
    if (!table.rows[0]?.name) return 0;
    const { rows } = await client.query<{ last_seq: string }>('select last_seq from event_head where id = 1');
    return Number(rows[0]?.last_seq ?? 0);
  } finally {
    await client.end();
  }
}

/**
 * Moves an event into an empty database: every journal event in one transaction, checked by replay.
 * Refuses a database that already holds an event.
 */
export async function importJournal(
  connectionString: string,
  events: AsyncIterable<JournalEvent>,
  onProgress: (count: number) => void = () => {},
  secrets: {
    /** the secret the event's keyed registrations were derived with (see sharedIdempotencySecret), if it has one */
    idempotencySecret?: Buffer;
    /** the staff token the event's servers generated, if they did, so the dashboard link keeps working */
    staffToken?: string;
  } = {},
): Promise<{ events: number; tickets: number }> {
  const pool = new pg.Pool({ connectionString, max: 1 });
  try {
    await migrate(pool);
    return await withConnection(pool, async (client) => {
      try {
        await client.query('begin');
        const head = await client.query<{ last_seq: string }>(
          'select last_seq from event_head where id = 1 for update',
        );
        const existing = Number(head.rows[0]?.last_seq);
        if (existing !== 0) {
          throw new Error(
            `The database already holds an event (${existing} journal events). Import into an empty database or schema: one a server has started on holds an event, even an empty one (drop the database and create it again, then import before starting a server on it).`,
          );
        }
        const engine = new TicketEngine();
        let batch: JournalEvent[] = [];
        const flush = async () => {
          if (batch.length === 0) return;
          await insertEvents(client, batch);
          batch = [];
          onProgress(engine.lastSeq);
        };
        for await (const event of events) {
          engine.apply(event);
          batch.push(event);
          if (batch.length === 5000) await flush();
        }
        await flush();
        for (const [type, { sold, capacity }] of Object.entries(seats(engine))) {
          await client.query('insert into seats (ticket_type, capacity, sold) values ($1, $2, $3)', [
            type,
            capacity,
            sold,
          ]);
        }
        await client.query('update event_head set last_seq = $1 where id = 1', [engine.lastSeq]);
        const settings = [
          [IDEMPOTENCY_SECRET_SETTING, secrets.idempotencySecret?.toString('hex')],
          [STAFF_TOKEN_SETTING, secrets.staffToken],
        ];
        for (const [name, value] of settings) {
          if (value === undefined) continue;
          await client.query(PUT_SETTING, [name, value]);
        }
        await client.query('commit');
        return { events: engine.lastSeq, tickets: engine.ticketCount };
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      }
    });
  } finally {
    await pool.end();
  }
}

/**
 * The seqs of a page of the whole log of `total` events (newest first, `offset` in): seqs have no gaps, so a page
 * is a range of them, known without reading the log. Past the log's end, oldest > newest.
 */
function logPageSeqs(total: number, { offset, limit }: TransactionFilter): { oldest: number; newest: number } {
  const newest = total - offset;
  return { oldest: Math.max(1, newest - limit + 1), newest };
}

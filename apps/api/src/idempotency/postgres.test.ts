import { describe, expect, it } from 'vitest';
import type { PostgresStore } from '../store/postgres/postgres-store.ts';
import { STAFF_TOKEN, serverPerTest } from '../testing/harness.ts';
import { postgresAvailable } from '../testing/stores.ts';
import { holdClaims, type PostgresIdempotencyStore } from './postgres.ts';

describe.skipIf(!postgresAvailable)('Idempotency-Key claims in PostgreSQL', () => {
  const server = serverPerTest({ kind: 'postgres' });
  const pool = () => (server().store as PostgresStore).connectionPool;
  const keys = () => server().app.idempotency as PostgresIdempotencyStore;
  /** As if the claim's server stopped long ago: its lease has run out. */
  const expireLeases = () => pool().query("update idempotency_keys set claimed_until = now() - interval '1 second'");
  const body = { first_name: 'Ann', last_name: 'Lee', ticket_type: 'VIP' };

  it('a claim whose attempt never committed is taken over after its lease, and can then no longer commit', async () => {
    const first = await keys().claim('scope-1', 'fingerprint-1');
    expect(first.state).toBe('new');
    expect((await keys().claim('scope-1', 'fingerprint-1')).state).toBe('in_flight');
    await expireLeases();
    expect((await keys().claim('scope-1', 'another body')).state).toBe('mismatch');
    const second = await keys().claim('scope-1', 'fingerprint-1');
    expect(second.state).toBe('new');
    if (first.state !== 'new' || second.state !== 'new') throw new Error('unreachable');
    expect(second.claim.id).not.toBe(first.claim.id);

    const client = await pool().connect();
    try {
      await client.query('begin');
      expect(await holdClaims(client, [first.claim])).toEqual(new Set());
      expect(await holdClaims(client, [second.claim])).toEqual(new Set([second.claim.id]));
      await client.query('rollback');
    } finally {
      client.release();
    }
  });

  it('an attempt overtaken while it waited gives way: the retry registers, once', async () => {
    const headers = { 'idempotency-key': 'overtaken-1' };
    // Another server's transaction holds the journal head, so the first attempt waits before committing.
    const blocker = await pool().connect();
    await blocker.query('begin; select last_seq from event_head where id = 1 for update');
    const first = server().http.request('POST', '/api/register', { body, headers });
    await waitFor(async () => (await pool().query('select 1 from idempotency_keys')).rowCount === 1);
    await expireLeases();
    const retry = server().http.request('POST', '/api/register', { body, headers });
    // The retry has taken the key over once its claim's lease lies ahead again.
    await waitFor(
      async () => (await pool().query('select 1 from idempotency_keys where claimed_until > now()')).rowCount === 1,
    );
    await blocker.query('rollback');
    blocker.release();

    const answers = await Promise.all([first, retry]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    expect(answers.find((answer) => answer.status === 409)?.body.code).toBe('IDEMPOTENCY_IN_FLIGHT');
    expect((await server().http.request('GET', '/summary_data')).body.vip_queue_length).toBe(1);
  });

  it('an attempt and the retry that took its key over, waiting in one batch, change things once', async () => {
    const store = server().store as PostgresStore;
    const ticket = (first_name: string) => ({
      first_name,
      last_name: 'Lee',
      ticket_type: 'VIP' as const,
      token_hash: '',
    });
    // Another server's transaction holds the journal head: a first change waits on it, and later ones wait
    // behind that, to go together in the next batch.
    const blocker = await pool().connect();
    const blockerPid = (await blocker.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid;
    await blocker.query('begin; select last_seq from event_head where id = 1 for update');
    const waiting = store.register(ticket('Bob'), { actor: 'attendee' });
    await waitFor(
      async () =>
        (await pool().query('select 1 from pg_stat_activity where $1 = any(pg_blocking_pids(pid))', [blockerPid]))
          .rowCount === 1,
    );
    const first = await keys().claim('scope-2', 'fingerprint-2');
    if (first.state !== 'new') throw new Error(`claim: ${first.state}`);
    const attempt = store.register(ticket('Ann'), { actor: 'attendee', claim: first.claim });
    await expireLeases();
    const second = await keys().claim('scope-2', 'fingerprint-2');
    if (second.state !== 'new') throw new Error(`retry's claim: ${second.state}`);
    const retry = store.register(ticket('Ann'), { actor: 'attendee', claim: second.claim });
    await blocker.query('rollback');
    blocker.release();

    await waiting;
    await expect(attempt).rejects.toMatchObject({ code: 'IDEMPOTENCY_IN_FLIGHT' });
    expect((await retry).ticket.first_name).toBe('Ann');
    expect((await store.summary()).vip_queue_length).toBe(2);
  });

  /** As if the server stopped between committing the change and keeping its answer. */
  const loseAnswers = () =>
    pool().query('update idempotency_keys set status = null, body = null, content_type = null, location = null');

  it('a retry after a change whose answer was lost says so, instead of making the change twice', async () => {
    await server().http.register('Ann', 'Lee', 'VIP');
    await server().http.register('Bob', 'Ray', 'VIP');
    const headers = { 'idempotency-key': 'lost-1' };
    const processNext = () => server().http.request('POST', '/api/process_next', { headers, token: STAFF_TOKEN });
    const first = await processNext();
    expect(first.body.processed.first_name).toBe('Ann');
    await loseAnswers();
    expect((await processNext()).status).toBe(409);
    await expireLeases();
    const retry = await processNext();
    expect(retry.status).toBe(409);
    expect(retry.body.code).toBe('IDEMPOTENCY_ANSWER_LOST');
    expect((await server().http.request('GET', '/summary_data')).body.vip_sold).toBe(1);
  });

  it('a registration whose answer was lost is found again by its retry, once the lost attempt gives way', async () => {
    const headers = { 'idempotency-key': 'lost-2' };
    const first = await server().http.request('POST', '/api/register', { body, headers });
    await loseAnswers();
    // Until its lease runs out the first attempt may still be answering.
    expect((await server().http.request('POST', '/api/register', { body, headers })).status).toBe(409);
    await expireLeases();
    const retry = await server().http.request('POST', '/api/register', { body, headers });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toMatchObject({ id: first.body.id, token: first.body.token });
    expect((await server().http.request('GET', '/summary_data')).body.vip_queue_length).toBe(1);
    // The answer is kept now: the next retry gets it at once.
    const again = await server().http.request('POST', '/api/register', { body, headers });
    expect(again.body).toEqual(retry.body);
  });

  it('a registration whose key the database no longer holds (it expired) is found again by its retry', async () => {
    const headers = { 'idempotency-key': 'expired-1' };
    const first = await server().http.request('POST', '/api/register', { body, headers });
    await pool().query('delete from idempotency_keys');
    const other = await server().http.request('POST', '/api/register', {
      body: { ...body, first_name: 'Bo' },
      headers,
    });
    expect(other.status).toBe(422);
    // The refusal did not become the key's answer: the registration's own retry still finds its ticket.
    const retry = await server().http.request('POST', '/api/register', { body, headers });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toMatchObject({ id: first.body.id, token: first.body.token });
    expect((await server().http.request('GET', '/summary_data')).body.vip_queue_length).toBe(1);
    // Finding the ticket changed nothing, so the key is not marked as a committed change: had the answer been
    // lost, a retry would find the ticket again rather than be told its answer was lost.
    const { rows } = await pool().query('select status, committed_at from idempotency_keys');
    expect(rows).toEqual([{ status: 201, committed_at: null }]);
  });

  it('a replayed registration carries its Location again', async () => {
    const headers = { 'idempotency-key': 'location-1' };
    const first = await server().http.request('POST', '/api/register', { body, headers });
    const retry = await server().http.request('POST', '/api/register', { body, headers });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('location')).toBe(`/api/tickets/${first.body.id}`);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

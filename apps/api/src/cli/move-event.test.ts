import { execFile } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { JOURNAL_HEADER } from '../store/csv/journal-codec.ts';
import { removeData, startServer, type TestServer, tempDir } from '../testing/harness.ts';
import { newSchemaName, TEST_DATABASE_URL, withDatabase } from '../testing/postgres.ts';
import { postgresAvailable } from '../testing/stores.ts';

const CLI = fileURLToPath(new URL('./move-event.ts', import.meta.url));
const run = promisify(execFile);
const cleanup: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function schemaUrl(schema: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

const moveEvent = (command: string, flag: string, dir: string, schema: string) =>
  run(process.execPath, ['--import', 'tsx', CLI, command, flag, dir], {
    env: { ...process.env, DATABASE_URL: schemaUrl(schema) },
  });

/** A new schema with nothing in it, removed after the test. */
async function emptySchema(): Promise<string> {
  const schema = newSchemaName();
  await withDatabase((db) => db.query(`create schema ${schema}`));
  cleanup.push(() => removeData('postgres', schema));
  return schema;
}

/** A new, empty data directory, removed after the test. */
async function sourceDir(): Promise<string> {
  const dir = await tempDir();
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe.skipIf(!postgresAvailable)('moving an event between the stores', () => {
  it('imports a data directory into PostgreSQL and exports it back, tickets, tokens and keys intact', async () => {
    const csv = await startServer({ kind: 'csv', initialCapacity: { VIP: 1, Regular: 2 } });
    const tickets = [];
    for (const [name, type] of [
      ['Ann', 'VIP'],
      ['Bob', 'VIP'],
      ['Cy', 'Regular'],
      ['=Dee', 'Regular'],
    ]) {
      tickets.push((await csv.http.register(name as string, 'Lee', type as string)).body);
    }
    await csv.http.staff('POST', '/api/process_next');
    await csv.http.staff('POST', '/api/process_next');
    await csv.http.staff('DELETE', '/api/cancel_ticket', { id: tickets[0].id });
    // A registration whose client will retry it, with its key, after the move.
    const keyed = { body: { first_name: 'Eve', last_name: 'Lee', ticket_type: 'Regular' } };
    const headers = { 'idempotency-key': '0b7e2c4e-8a65-4f7c-9d2e-3c1a5b6d7e8f' };
    const eve = (await csv.http.request('POST', '/api/register', { ...keyed, headers })).body;
    const retriedOn = async (server: TestServer) => {
      const retry = await server.http.request('POST', '/api/register', { ...keyed, headers });
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body).toMatchObject({ id: eve.id, token: eve.token });
    };
    const before = (await csv.http.request('GET', '/summary_data')).body;
    await csv.stop();
    cleanup.push(() => rm(csv.location, { recursive: true, force: true }));
    // The staff token a server generated (STAFF_TOKEN unset) moves with the event: the staff link keeps working.
    const generatedStaffToken = 'generated-staff-token-0123456789';
    await writeFile(join(csv.location, 'staff-token'), `${generatedStaffToken}\n`);

    const schema = await emptySchema();
    const imported = await moveEvent('import', '--from', csv.location, schema);
    // Written to a pipe: the result on a line of its own, without a terminal's progress line.
    expect(imported.stdout).toMatch(/^Imported 11 events \(5 tickets\) from .+ in [\d.]+ s\.\n$/);
    const kept = await withDatabase((db) =>
      db.query(`select value from ${schema}.settings where name = 'staff_token'`),
    );
    expect(kept.rows[0]?.value).toBe(generatedStaffToken);

    const pgServer: TestServer = await startServer({ kind: 'postgres', location: schema });
    cleanup.push(() => pgServer.stop());
    expect((await pgServer.http.request('GET', '/summary_data')).body).toEqual(before);
    // An owner's token from before the move still opens their ticket.
    const owner = await pgServer.http.request('GET', `/api/tickets/${tickets[3].id}`, { token: tickets[3].token });
    expect(owner.body).toMatchObject({ first_name: '=Dee', status: 'Queued' });
    await retriedOn(pgServer);
    // A second import into the same database is refused.
    await expect(moveEvent('import', '--from', csv.location, schema)).rejects.toThrow(/already holds an event/);
    await pgServer.stop();

    const back = join(await tempDir(), 'exported');
    cleanup.push(() => rm(back, { recursive: true, force: true }));
    const exported = await moveEvent('export', '--to', back, schema);
    expect(exported.stdout).toMatch(/Exported 11 events/);
    expect((await readFile(join(back, 'staff-token'), 'utf8')).trim()).toBe(generatedStaffToken);
    const again = await startServer({ kind: 'csv', location: back });
    cleanup.push(() => again.stop());
    expect((await again.http.request('GET', '/summary_data')).body).toEqual(before);
    await retriedOn(again);
    expect((await again.http.request('GET', '/summary_data')).body).toEqual(before);
  });

  it("says on stderr what opening the data directory changed, such as the original app's rows it adjusted", async () => {
    const from = await sourceDir();
    await writeFile(
      join(from, 'transactions.csv'),
      [
        'first_name,last_name,ticket_type,time,status',
        'Ann,Lee,VIP,2025-05-01 10:00:00,Confirmed',
        'Bob,Ray,Gold,2025-05-01 10:01:00,Confirmed',
        '',
      ].join('\r\n'),
    );
    await writeFile(join(from, 'availability.json'), '{"VIP": 2, "Regular": 4}');
    const schema = await emptySchema();

    const imported = await moveEvent('import', '--from', from, schema);
    expect(imported.stdout).toMatch(/^Imported \d+ events \(1 tickets\) from /);
    expect(imported.stderr).toMatch(/^Warning: Importing the original app's data: .*Gold/m);
    expect(imported.stderr).toMatch(/Imported the original app's data .* kept in /);
  });

  it('refuses to import a directory that holds no event, and writes nothing into it or the database', async () => {
    const schema = await emptySchema();
    for (const journal of [undefined, '', `${JOURNAL_HEADER}\n`]) {
      const from = await sourceDir();
      if (journal !== undefined) await writeFile(join(from, 'transactions.csv'), journal);
      const before = await readdir(from);
      await expect(moveEvent('import', '--from', from, schema)).rejects.toThrow(/holds no event to import/);
      expect(await readdir(from)).toEqual(before);
    }
    const tables = await withDatabase((db) =>
      db.query(`select count(*)::int as n from information_schema.tables where table_schema = $1`, [schema]),
    );
    expect(tables.rows[0]?.n).toBe(0);
  });

  it("imports the original app's data without a transactions.csv, as the server would start on it", async () => {
    const from = await sourceDir();
    await writeFile(
      join(from, 'queue.csv'),
      'first_name,last_name,ticket_type,time\nAnn,Lee,VIP,2025-05-01 10:00:00\n',
    );
    await writeFile(join(from, 'availability.json'), '{"VIP": 2, "Regular": 4}');
    const schema = await emptySchema();

    const imported = await moveEvent('import', '--from', from, schema);
    expect(imported.stdout).toMatch(/^Imported \d+ events \(1 tickets\) from /);
  });

  it('refuses to export a database that holds no event, and leaves it without one', async () => {
    const schema = await emptySchema();
    const to = join(await tempDir(), 'nothing');
    cleanup.push(() => rm(to, { recursive: true, force: true }));
    await expect(moveEvent('export', '--to', to, schema)).rejects.toThrow(/holds no event to export/);
    const tables = await withDatabase((db) =>
      db.query(`select count(*)::int as n from information_schema.tables where table_schema = $1`, [schema]),
    );
    expect(tables.rows[0]?.n).toBe(0);
  });
});

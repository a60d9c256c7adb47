import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChildServer, SERVER_ENTRY, spawnServer } from './testing/child-server.ts';
import { HttpClient, removeData, STAFF_TOKEN, type StoreKind, tempDir } from './testing/harness.ts';
import { newSchemaName, TEST_DATABASE_URL, withDatabase } from './testing/postgres.ts';
import { STORE_KINDS } from './testing/stores.ts';

const children: ChildServer[] = [];
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    child.process.kill('SIGKILL');
    await child.exited;
  }
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/**
 * Where a server of each store keeps the event: a new data directory, or a new schema of the test database. A
 * server on PostgreSQL gets an empty data directory too: it refuses to start beside an event in its data
 * directory, and the default, the checkout's data/, holds one once pnpm start has run in it.
 */
async function eventLocation(kind: StoreKind): Promise<Record<string, string>> {
  const dataDir = await tempDir('ticketing-shutdown-');
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  if (kind === 'csv') return { DATA_DIR: dataDir };
  const schema = newSchemaName();
  await withDatabase((client) => client.query(`create schema ${schema}`));
  cleanups.push(() => removeData('postgres', schema));
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { DATABASE_URL: url.toString(), DATA_DIR: dataDir };
}

async function start(location: Record<string, string>): Promise<ChildServer> {
  // At info every request and the shutdown itself are logged, so the server writes to its output to the end.
  const child = await spawnServer({ ...location, STAFF_TOKEN, LOG_LEVEL: 'info' });
  children.push(child);
  return child;
}

/** The exit code, or 'still running' if the server has not exited within the time a clean stop takes. */
function exitWithin(child: ChildServer, ms: number): Promise<number | null | 'still running'> {
  return Promise.race([
    child.exited,
    new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), ms).unref()),
  ]);
}

describe.each(STORE_KINDS)('SIGTERM (%s store)', (kind) => {
  it('finishes, exits with 0, and leaves the event to the next server', async () => {
    const location = await eventLocation(kind);
    const first = await start(location);
    const registered = await new HttpClient(first.url).register('Ada', 'Lovelace', 'VIP');
    expect(registered.status).toBe(201);

    first.process.kill('SIGTERM');
    expect(await exitWithin(first, 8000)).toBe(0);
    expect(first.output()).toContain('Stopped cleanly.');

    const second = await start(location);
    const again = await new HttpClient(second.url).request('GET', `/api/tickets/${registered.body.id}`, {
      token: STAFF_TOKEN,
    });
    expect(again.status).toBe(200);
    expect(again.body.first_name).toBe('Ada');
  });

  it('still stops when its standard output has been closed (its reader gone)', async () => {
    const child = await start(await eventLocation(kind));
    // The shutdown's own log lines are the first to meet the closed output.
    child.process.stdout?.destroy();
    child.process.kill('SIGTERM');
    expect(await exitWithin(child, 8000)).toBe(0);
  });

  it('starts and serves when its standard output is closed from the start, and stops', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', SERVER_ENTRY], {
      env: { ...process.env, ...(await eventLocation(kind)), STAFF_TOKEN, LOG_LEVEL: 'info', PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const server: ChildServer = { url: `http://127.0.0.1:${port}`, process: child, output: () => errors, exited };
    children.push(server);
    child.stdout.destroy();

    // Its banner and log lines meet the closed output; it answers all the same.
    const http = new HttpClient(server.url);
    let answer = await http.request('GET', '/summary_data').catch(() => undefined);
    for (let tries = 0; answer === undefined; tries++) {
      const code = await exitWithin(server, 100);
      if (code !== 'still running' || tries === 300) throw new Error(`the server did not start (${code}): ${errors}`);
      answer = await http.request('GET', '/summary_data').catch(() => undefined);
    }
    expect(answer.status).toBe(200);

    child.kill('SIGTERM');
    expect(await exitWithin(server, 8000)).toBe(0);
    expect(errors).not.toContain('EPIPE');
  });
});

/** A port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

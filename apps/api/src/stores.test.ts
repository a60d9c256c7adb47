import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { openCsvStore } from './store/csv/csv-store.ts';
import { eventInDataDir } from './store/csv/flask-import.ts';
import { JOURNAL_HEADER } from './store/csv/journal-codec.ts';
import { IDEMPOTENCY_SECRET_FILE } from './store/csv/kept-secrets.ts';
import { openPostgresStore } from './store/postgres/postgres-store.ts';
import { openStores } from './stores.ts';
import { removeData, tempDir } from './testing/harness.ts';
import { newSchemaName, TEST_DATABASE_URL, withDatabase } from './testing/postgres.ts';
import { postgresAvailable } from './testing/stores.ts';

const capacity = { VIP: 3, Regular: 5 };
const cleanUps: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0)) await cleanUp();
});

async function dataDir(): Promise<string> {
  const dir = await tempDir();
  cleanUps.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** What the server logs as it opens the stores (an embedded store unless `databaseUrl`). */
async function openLogged(dir: string, databaseUrl?: string) {
  const warnings: string[] = [];
  const logger = { info: () => {}, warn: (message: string) => void warnings.push(message), error: () => {} };
  const config = { ...loadConfig({ DATA_DIR: dir }), databaseUrl };
  const stores = await openStores(config, logger);
  await stores.store.close();
  return warnings;
}

async function registerOne(dir: string): Promise<void> {
  const store = await openCsvStore({ dataDir: dir, initialCapacity: capacity });
  await store.register(
    { first_name: 'Ann', last_name: 'Lee', ticket_type: 'VIP', token_hash: '' },
    { actor: 'attendee' },
  );
  await store.close();
}

describe('an event left in the data directory', () => {
  it('is told apart from a directory with none, or with an event where nothing happened yet', async () => {
    const dir = await dataDir();
    expect(await eventInDataDir(dir)).toBe('none');
    await (await openCsvStore({ dataDir: dir, initialCapacity: capacity })).close();
    expect(await eventInDataDir(dir)).toBe('opened');
    await registerOne(dir);
    expect(await eventInDataDir(dir)).toBe('under way');
    // A journal of only its header holds no event.
    const empty = await dataDir();
    await writeFile(join(empty, 'transactions.csv'), `${JOURNAL_HEADER}\n`);
    expect(await eventInDataDir(empty)).toBe('none');
  });

  it("counts the original app's files as an event, whatever its transactions.csv holds", async () => {
    const dir = await dataDir();
    // Nobody served yet: its transactions.csv has only a header, and the people are all in its queue.
    await writeFile(join(dir, 'transactions.csv'), 'first_name,last_name,ticket_type,time,status\n');
    await writeFile(join(dir, 'queue.csv'), 'first_name,last_name,ticket_type,time\nAnn,Lee,VIP,2025-05-01 10:00:00\n');
    expect(await eventInDataDir(dir)).toBe('original app');
    const seatsOnly = await dataDir();
    await writeFile(join(seatsOnly, 'availability.json'), '{"VIP": 3, "Regular": 5}');
    expect(await eventInDataDir(seatsOnly)).toBe('original app');
  });

  it('says so when the idempotency secret of an event under way is missing and made again', async () => {
    const dir = await dataDir();
    expect(await openLogged(dir)).toEqual([]);
    await registerOne(dir);
    expect(await openLogged(dir)).toEqual([]);
    await rm(join(dir, IDEMPOTENCY_SECRET_FILE));
    const [warning, ...more] = await openLogged(dir);
    expect(warning).toMatch(/idempotency-secret was missing, so a new one was made\. .*second ticket.*backup/);
    expect(more).toEqual([]);
    expect(await openLogged(dir)).toEqual([]);
  });

  it.skipIf(!postgresAvailable)(
    "keeps a server on an empty database from starting while its data directory holds the original app's event",
    async () => {
      const dir = await dataDir();
      await writeFile(join(dir, 'transactions.csv'), 'first_name,last_name,ticket_type,time,status\n');
      await writeFile(
        join(dir, 'queue.csv'),
        'first_name,last_name,ticket_type,time\nAnn,Lee,VIP,2025-05-01 10:00:00\n',
      );
      const schema = newSchemaName();
      cleanUps.push(() => removeData('postgres', schema));
      const url = new URL(TEST_DATABASE_URL);
      url.searchParams.set('options', `-c search_path=${schema}`);
      await withDatabase((db) => db.query(`create schema ${schema}`));
      await expect(openLogged(dir, url.toString())).rejects.toThrow(/holds one: .*pnpm event:import --from/);
    },
  );

  it.skipIf(!postgresAvailable)(
    'keeps a database without an event from opening a new one, and changes nothing',
    async () => {
      const schema = newSchemaName();
      cleanUps.push(() => removeData('postgres', schema));
      const refusal = new ConfigError('the event is elsewhere');
      const options = { connectionString: TEST_DATABASE_URL, schema, initialCapacity: capacity };
      await expect(openPostgresStore({ ...options, refuseNewEvent: refusal })).rejects.toBe(refusal);
      // Nothing was written: a server started without the refusal opens the event from its first line.
      const store = await openPostgresStore({ ...options, initialCapacity: { VIP: 7, Regular: 9 } });
      try {
        expect(await store.summary()).toMatchObject({ version: 2, vip_capacity: 7, regular_capacity: 9 });
      } finally {
        await store.close();
      }
      // On a database that holds an event, there is nothing to refuse.
      const again = await openPostgresStore({ ...options, refuseNewEvent: refusal });
      await again.close();
    },
  );
});

import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from './config.ts';
import { openCsvStore } from './store/csv/csv-store.ts';
import { eventInDataDir } from './store/csv/flask-import.ts';
import { openPostgresStore } from './store/postgres/postgres-store.ts';
import { removeData, tempDir } from './testing/harness.ts';
import { newSchemaName, TEST_DATABASE_URL } from './testing/postgres.ts';
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

describe('an event left in the data directory', () => {
  it('is told apart from a directory with none, or with an event where nothing happened yet', async () => {
    const dir = await dataDir();
    expect(await eventInDataDir(dir)).toBe(false);
    const store = await openCsvStore({ dataDir: dir, initialCapacity: capacity });
    expect(await eventInDataDir(dir)).toBe(false);
    await store.register(
      { first_name: 'Ann', last_name: 'Lee', ticket_type: 'VIP', token_hash: '' },
      { actor: 'attendee' },
    );
    await store.close();
    expect(await eventInDataDir(dir)).toBe(true);
  });

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

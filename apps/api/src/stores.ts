// Picks the store from the configuration: PostgreSQL when DATABASE_URL is set, else the data directory.

import { type Config, ConfigError } from './config.ts';
import { MemoryIdempotencyStore } from './idempotency/memory.ts';
import type { IdempotencyStore } from './idempotency/types.ts';
import { openCsvStore } from './store/csv/csv-store.ts';
import { eventInDataDir } from './store/csv/flask-import.ts';
import { idempotencySecret } from './store/csv/kept-secrets.ts';
import type { Logger, TicketStore } from './store/types.ts';

export interface Stores {
  store: TicketStore;
  idempotency: IdempotencyStore;
}

export async function openStores(config: Config, logger: Logger): Promise<Stores> {
  if (config.databaseUrl) {
    // The event in the data directory would be left behind by a new, empty one in the database.
    const refuseNewEvent = (await eventInDataDir(config.dataDir))
      ? new ConfigError(
          `DATABASE_URL names a database that holds no event yet, while ${config.dataDir} holds one: started, this server would open a new, empty event in the database. To move that event into the database, stop its server and run pnpm event:import --from ${config.dataDir} with this DATABASE_URL, then start. To start a new event in the database instead, move ${config.dataDir} away or set DATA_DIR to an empty directory.`,
        )
      : undefined;
    // Loaded only here, so a server on a data directory never loads the PostgreSQL driver.
    const [{ openPostgresStore }, { PostgresIdempotencyStore }] = await Promise.all([
      import('./store/postgres/postgres-store.ts'),
      import('./idempotency/postgres.ts'),
    ]);
    const store = await openPostgresStore({
      connectionString: config.databaseUrl,
      initialCapacity: config.initialCapacity,
      logger,
      refuseNewEvent,
    });
    return { store, idempotency: await PostgresIdempotencyStore.open(store) };
  }
  const store = await openCsvStore({ dataDir: config.dataDir, initialCapacity: config.initialCapacity, logger });
  return { store, idempotency: new MemoryIdempotencyStore(await idempotencySecret(config.dataDir)) };
}

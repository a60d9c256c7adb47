// Picks the store from the configuration: PostgreSQL when DATABASE_URL is set, else the data directory.

import type { Config } from './config.ts';
import { MemoryIdempotencyStore } from './idempotency/memory.ts';
import type { IdempotencyStore } from './idempotency/types.ts';
import { openCsvStore } from './store/csv/csv-store.ts';
import { idempotencySecret } from './store/csv/kept-secrets.ts';
import type { Logger, TicketStore } from './store/types.ts';

export interface Stores {
  store: TicketStore;
  idempotency: IdempotencyStore;
}

export async function openStores(config: Config, logger: Logger): Promise<Stores> {
  if (config.databaseUrl) {
    // Loaded only here, so a server on a data directory never loads the PostgreSQL driver.
    const [{ openPostgresStore }, { PostgresIdempotencyStore }] = await Promise.all([
      import('./store/postgres/postgres-store.ts'),
      import('./idempotency/postgres.ts'),
    ]);
    const store = await openPostgresStore({
      connectionString: config.databaseUrl,
      initialCapacity: config.initialCapacity,
      logger,
    });
    return { store, idempotency: await PostgresIdempotencyStore.open(store) };
  }
  const store = await openCsvStore({ dataDir: config.dataDir, initialCapacity: config.initialCapacity, logger });
  return { store, idempotency: new MemoryIdempotencyStore(await idempotencySecret(config.dataDir)) };
}

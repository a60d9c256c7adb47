// Picks the store from the configuration: PostgreSQL when DATABASE_URL is set, else the data directory.

import { join } from 'node:path';
import { type Config, ConfigError } from './config.ts';
import { MemoryIdempotencyStore } from './idempotency/memory.ts';
import type { IdempotencyStore } from './idempotency/types.ts';
import { openCsvStore } from './store/csv/csv-store.ts';
import { eventInDataDir } from './store/csv/flask-import.ts';
import { IDEMPOTENCY_SECRET_FILE, idempotencySecret, readIdempotencySecret } from './store/csv/kept-secrets.ts';
import type { Logger, TicketStore } from './store/types.ts';

export interface Stores {
  store: TicketStore;
  idempotency: IdempotencyStore;
}

export async function openStores(config: Config, logger: Logger): Promise<Stores> {
  if (config.databaseUrl) {
    // The event in the data directory would be left behind by a new, empty one in the database.
    const held = await heldEvent(config.dataDir);
    const refuseNewEvent =
      held === 'under way' || held === 'original app'
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
  // Only a missing secret needs the directory looked at: the store is about to look at it anyway, as it opens.
  const secretLost =
    (await readIdempotencySecret(config.dataDir)) === undefined && (await heldEvent(config.dataDir)) === 'under way';
  const store = await openCsvStore({ dataDir: config.dataDir, initialCapacity: config.initialCapacity, logger });
  if (secretLost) {
    // Made again, it derives other tickets from the same keys: a retry would register a second time.
    logger.warn(
      `${join(config.dataDir, IDEMPOTENCY_SECRET_FILE)} was missing, so a new one was made. A registration sent again with the Idempotency-Key it was first sent with now makes a second ticket instead of finding its first. If the file was lost, stop the server, put it back from a backup and start again.`,
    );
  }
  return { store, idempotency: new MemoryIdempotencyStore(await idempotencySecret(config.dataDir)) };
}

/**
 * The event in the data directory, looked at before a store opens (and may write) there. A directory no server
 * could start on holds no event to keep: the data directory store refuses it itself, and one with DATABASE_URL
 * does not run on it.
 */
function heldEvent(dataDir: string): ReturnType<typeof eventInDataDir> {
  return eventInDataDir(dataDir).catch(() => 'none' as const);
}

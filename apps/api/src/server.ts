// Starts the server: reads the configuration, opens the store, listens, and on SIGTERM / SIGINT
// finishes in-flight requests, flushes the store and releases the data directory before exiting.

import pino from 'pino';
import { buildApp } from './app.ts';
import { startupBanner } from './banner.ts';
import { CAPACITY_VARIABLE, type Config, ConfigError, loadConfig } from './config.ts';
import { DataDirLockedError } from './store/csv/lock.ts';
import { StorageDamagedError, StorageUnavailableError, type TicketStore } from './store/types.ts';
import { openStores } from './stores.ts';

const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  // Whatever reads the server's output may go away (a closed pipe): the server carries on serving, as its
  // logger does, rather than die of the banner's write.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  const config = loadConfig();
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  // Log lines are written as they are logged, as Node writes to a pipe or terminal on standard output itself.
  // pino's default writes in the background and, on exit, flushes what is left by retrying every 100 ms for as
  // long as the write fails: a server whose standard output was closed (its reader gone) then never exits on
  // SIGTERM. Written at once, a closed output fails at once, and pino stops logging to it rather than retrying.
  const logger = { level: config.logLevel, stream: pino.destination({ dest: 1, sync: true }) };
  // The store logs before the server (and its logger) exists: to the console until then, once either way.
  const log = (level: 'info' | 'warn' | 'error') => (message: string) => {
    if (app) app.log[level](message);
    else console[level](message);
  };
  const { store, idempotency } = await openStores(config, {
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
  });
  await warnOfIgnoredCapacities(config, store, log('warn'));
  const staffToken = await store.staffToken(config.staffToken);
  app = await buildApp({
    store,
    idempotency,
    staffToken,
    registerRateLimit: config.registerRateLimit,
    webDist: config.webDist,
    logger,
    trustProxy: config.trustProxy,
  });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app?.log.info(`${signal} received: finishing in-flight requests`);
    const force = setTimeout(() => {
      app?.log.error('Shutdown took too long; exiting.');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    try {
      await app?.close();
      await store.close();
      app?.log.info('Stopped cleanly.');
      process.exit(0);
    } catch (error) {
      app?.log.error({ err: error }, 'Error while stopping');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await store.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new ConfigError(
        `Port ${config.port} on ${config.host} is already in use: stop what uses it, or set PORT to another.`,
      );
    }
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  process.stdout.write(
    startupBanner({
      host: config.host,
      port,
      staffToken,
      staffTokenConfigured: config.staffToken !== undefined,
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      webBuilt: config.webDist !== undefined,
    }),
  );
}

/** VIP_CAPACITY / REGULAR_CAPACITY set for an event that already has other capacities do nothing: say so. */
async function warnOfIgnoredCapacities(config: Config, store: TicketStore, warn: (message: string) => void) {
  if (config.capacityGiven.length === 0) return;
  const summary = await store.summary();
  const current = { VIP: summary.vip_capacity, Regular: summary.regular_capacity };
  for (const type of config.capacityGiven) {
    if (current[type] === config.initialCapacity[type]) continue;
    warn(
      `${CAPACITY_VARIABLE[type]}=${config.initialCapacity[type]} is ignored: it sets up a new event, and this one already has ${current[type]} ${type} seats. Change them on the staff dashboard, or start a new event on an empty ${config.databaseUrl ? 'database' : 'DATA_DIR'}.`,
    );
  }
}

main().catch((error: unknown) => {
  const known =
    error instanceof ConfigError ||
    error instanceof StorageDamagedError ||
    error instanceof StorageUnavailableError ||
    error instanceof DataDirLockedError;
  process.stderr.write(`\nCannot start: ${(error as Error).message}\n\n`);
  if (!known) process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});

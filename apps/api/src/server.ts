// Starts the server: reads the configuration, opens the store, listens, and on SIGTERM / SIGINT
// finishes in-flight requests, flushes the store and releases the data directory before exiting.

import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { DataDirLockedError } from './store/csv/lock.ts';
import { StorageDamagedError, StorageUnavailableError } from './store/types.ts';
import { openStores } from './stores.ts';

const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfig();
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  const logger = { level: config.logLevel };
  const log = (level: 'info' | 'warn' | 'error') => (message: string) =>
    app?.log[level](message) ?? console[level](message);
  const { store, idempotency } = await openStores(config, {
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
  });
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
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const lines = [
    '',
    `  Event ticketing is running at ${base}`,
    `  Live sales:       ${base}/summary`,
    `  Staff dashboard:  ${base}/staff#token=${encodeURIComponent(staffToken)}`,
    config.databaseUrl
      ? `  Database:         ${redactPassword(config.databaseUrl)}`
      : `  Data directory:   ${config.dataDir}`,
    config.webDist ? '' : '  (the web client is not built: run pnpm build)',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function redactPassword(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

main().catch((error: unknown) => {
  const known =
    error instanceof ConfigError ||
    error instanceof StorageDamagedError ||
    error instanceof StorageUnavailableError ||
    error instanceof DataDirLockedError ||
    (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
  process.stderr.write(`\nCannot start: ${(error as Error).message}\n\n`);
  if (!known) process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});

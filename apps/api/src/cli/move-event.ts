// Moves an event between the two stores:
//   import: a data directory's journal  -> an empty PostgreSQL database (DATABASE_URL)
//   export: the PostgreSQL journal      -> a new data directory the embedded store can start on
// Ticket tokens keep working after a move: the journal carries their hashes. So do Idempotency-Keys of
// registrations, as the secret deriving their tokens and ids moves too, and a generated staff token, so the
// dashboard link stays the same. Stop the servers first.

import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sharedIdempotencySecret } from '../idempotency/postgres.ts';
import { openCsvStore, writeJournalFile } from '../store/csv/csv-store.ts';
import { eventInDataDir } from '../store/csv/flask-import.ts';
import { readJournal } from '../store/csv/journal-file.ts';
import {
  readIdempotencySecret,
  readStaffToken,
  writeIdempotencySecret,
  writeStaffToken,
} from '../store/csv/kept-secrets.ts';
import { importJournal, journalLength, openPostgresStore } from '../store/postgres/postgres-store.ts';
import type { Logger } from '../store/types.ts';

const USAGE = `Usage:
  DATABASE_URL=postgres://… pnpm event:import --from <data directory>
  DATABASE_URL=postgres://… pnpm event:export --to <new data directory>`;

/**
 * What the stores say while they open (a data directory converted from the original app's files and each row it
 * had to adjust, a torn last line repaired...), on stderr: stdout keeps the command's result alone.
 */
const logger: Logger = {
  info: (message) => console.error(message),
  warn: (message) => console.error(`Warning: ${message}`),
  error: (message) => console.error(`Error: ${message}`),
};

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { from: { type: 'string' }, to: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const command = positionals[0];
  const databaseUrl = process.env.DATABASE_URL;
  if (values.help || !command) return void console.log(USAGE);
  if (!databaseUrl) throw new Error(`DATABASE_URL is not set.\n${USAGE}`);

  if (command === 'import') {
    if (!values.from) throw new Error(`--from is required.\n${USAGE}`);
    const dataDir = resolve(values.from);
    // Checked first: opening the store on a directory without an event would start a new one there.
    if ((await eventInDataDir(dataDir)) === 'none') {
      throw new Error(
        `${dataDir} holds no event to import: neither a journal (transactions.csv) with events in it, nor the original app's files.`,
      );
    }
    // Opening the store checks the journal, repairs a torn tail and locks out a running server.
    const store = await openCsvStore({ dataDir, initialCapacity: { VIP: 0, Regular: 0 }, logger });
    try {
      const started = performance.now();
      // The secrets go along: a registration retried with its Idempotency-Key still finds its ticket, and the
      // staff link still signs in.
      const result = await importJournal(
        databaseUrl,
        readJournal(join(dataDir, 'transactions.csv')),
        // Progress rewrites one line of a terminal; into a file or a pipe, only the result is written.
        (count) => process.stdout.isTTY && process.stdout.write(`\r  ${count} events imported…`),
        { idempotencySecret: await readIdempotencySecret(dataDir), staffToken: await readStaffToken(dataDir) },
      );
      console.log(
        `${process.stdout.isTTY ? '\r\x1b[K' : ''}Imported ${result.events} events (${result.tickets} tickets) from ${dataDir} in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
      );
    } finally {
      await store.close();
    }
    return;
  }

  if (command === 'export') {
    if (!values.to) throw new Error(`--to is required.\n${USAGE}`);
    const dataDir = resolve(values.to);
    const journal = join(dataDir, 'transactions.csv');
    if (existsSync(journal)) throw new Error(`${journal} already exists; export into a new directory.`);
    // Opening the store on an empty database would start an event there: check DATABASE_URL names one first.
    if ((await journalLength(databaseUrl)) === 0) {
      throw new Error('The database at DATABASE_URL holds no event to export. Is DATABASE_URL the right one?');
    }
    await mkdir(dataDir, { recursive: true });
    const store = await openPostgresStore({
      connectionString: databaseUrl,
      initialCapacity: { VIP: 0, Regular: 0 },
      logger,
    });
    try {
      let count = 0;
      await writeJournalFile(
        journal,
        (async function* () {
          for await (const event of store.journal()) {
            count++;
            yield event;
          }
        })(),
        { overwrite: false },
      );
      await writeIdempotencySecret(dataDir, await sharedIdempotencySecret(store));
      const staffToken = await store.keptStaffToken();
      if (staffToken) await writeStaffToken(dataDir, staffToken);
      console.log(`Exported ${count} events to ${journal}. Start the server with DATA_DIR=${dataDir}.`);
    } finally {
      await store.close();
    }
    return;
  }
  throw new Error(`Unknown command "${command}".\n${USAGE}`);
}

main().catch((error: unknown) => {
  console.error(`\n${(error as Error).message}\n`);
  process.exit(1);
});

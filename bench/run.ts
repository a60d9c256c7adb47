// pnpm bench: runs the sections (HTTP throughput and durability, engine growth, startup recovery, log search,
// client cost), writes bench/RESULTS.md, prints the tables, and exits non-zero when any target is missed.
// Flags: --quick (shorter runs), --only http|growth|recovery|search|client|postgres. The PostgreSQL section uses
// BENCH_DATABASE_URL (default: the local test database).

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cleanUp } from './cleanup.ts';
import { runClient } from './client.ts';
import { runGrowth } from './growth.ts';
import { runHttp } from './http.ts';
import { runLogSearch } from './log-search.ts';
import { machineBusyShare, QUIET_BUSY_SHARE } from './machine-load.ts';
import { runPostgres } from './postgres.ts';
import { runRecovery } from './recovery.ts';
import { failedRows, renderConsole, renderMarkdown, type Table } from './report.ts';

const SECTIONS = ['http', 'growth', 'recovery', 'search', 'client', 'postgres'] as const;
type Section = (typeof SECTIONS)[number];

const RESULTS_FILE = fileURLToPath(new URL('./RESULTS.md', import.meta.url));

function settings(quick: boolean) {
  return {
    http: {
      connections: 50,
      warmupSeconds: quick ? 0.5 : 1,
      seconds: quick ? 2 : 5,
      rounds: quick ? 2 : 3,
      withInfoLogging: !quick,
      processNextLine: quick ? 100_000 : 200_000,
    },
    growth: { sizes: [10, 1_000, 100_000, 1_000_000], operations: quick ? 20_000 : 50_000 },
    recovery: { sizes: [10_000, 100_000, 1_000_000], starts: quick ? 1 : 3 },
    search: { events: quick ? 100_000 : 1_000_000, rounds: 5, registrationsPerRound: 100 },
    client: { loads: 5 },
    postgres: {
      databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
      connections: 50,
      warmupSeconds: quick ? 0.5 : 1,
      seconds: quick ? 2 : 5,
      processCounts: [1, 2, 4],
      prefilled: quick ? 20_000 : 60_000,
      startEvents: quick ? 100_000 : 1_000_000,
      starts: quick ? 1 : 3,
    },
  };
}

class UsageError extends Error {}

function parseFlags(): { quick: boolean; sections: Section[]; flags: string[] } {
  const flags = process.argv.slice(2).filter((arg) => arg !== '--');
  let values: { quick?: boolean; only?: string };
  try {
    ({ values } = parseArgs({ args: flags, options: { quick: { type: 'boolean' }, only: { type: 'string' } } }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const only = values.only;
  if (only !== undefined && !(SECTIONS as readonly string[]).includes(only)) {
    throw new UsageError(`--only takes one of ${SECTIONS.join(', ')}, not "${only}"`);
  }
  return { quick: values.quick ?? false, sections: only ? [only as Section] : [...SECTIONS], flags };
}

async function main(): Promise<number> {
  const { quick, sections, flags } = parseFlags();
  const config = settings(quick);
  // Sampled before anything of the run starts: with other work on the cores, every figure would be slower.
  const busyBefore = await machineBusyShare();
  if (busyBefore !== undefined && busyBefore > QUIET_BUSY_SHARE) {
    process.stderr.write(
      `bench: the machine is not quiet: ${Math.round(busyBefore * 100)}% of its CPU time was busy in the last second, before the run started. Every figure will be slower than the machine is; top shows what else runs. RESULTS.md will say so.\n`,
    );
  }
  const startedAt = new Date();
  const tables: Table[] = [];
  for (const section of sections) {
    const sectionStart = performance.now();
    process.stdout.write(`bench: ${section}…\n`);
    try {
      if (section === 'http') tables.push(...(await runHttp(config.http)));
      else if (section === 'growth') tables.push(...(await runGrowth(config.growth)));
      else if (section === 'recovery') tables.push(...(await runRecovery(config.recovery)));
      else if (section === 'search') tables.push(...(await runLogSearch(config.search)));
      else if (section === 'postgres') tables.push(...(await runPostgres(config.postgres)));
      else tables.push(...(await runClient(config.client)));
    } catch (error) {
      // A section that cannot run is a missed target, reported like one; the other sections still run.
      process.stderr.write(`bench: ${section} failed: ${(error as Error).stack}\n`);
      tables.push({
        title: `${section}: could not run`,
        columns: ['section', 'error'],
        rows: [{ cells: [section, (error as Error).message.split('\n')[0] ?? ''], target: 'runs', pass: false }],
        notes: [],
      });
    }
    process.stdout.write(`bench: ${section} took ${((performance.now() - sectionStart) / 1000).toFixed(0)} s\n`);
  }
  const durationSeconds = (Date.now() - startedAt.getTime()) / 1000;
  writeFileSync(RESULTS_FILE, renderMarkdown(tables, { date: startedAt, flags, durationSeconds, busyBefore }));
  process.stdout.write(`\n${renderConsole(tables)}\nWritten to ${RESULTS_FILE}\n`);
  const failed = failedRows(tables);
  if (failed.length > 0) process.stdout.write(`\n${failed.length} target(s) missed.\n`);
  return failed.length > 0 ? 1 : 0;
}

main()
  .then((code) => {
    cleanUp();
    process.exit(code);
  })
  .catch((error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`bench: ${error.message}\nusage: pnpm bench [--quick] [--only ${SECTIONS.join('|')}]\n`);
    } else {
      process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
    }
    cleanUp();
    process.exit(2);
  });

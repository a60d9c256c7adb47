// The PostgreSQL store under load: register and process_next throughput with 1, 2 and 4 API processes
// on one database, next to the embedded store measured the same way in the same run. The load is spread
// evenly over the processes (one autocannon per process, the connections shared out).

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { readJournal } from '../apps/api/src/store/csv/journal-file.ts';
import { importJournal } from '../apps/api/src/store/postgres/postgres-store.ts';
import { type ProductServer, startProduct, timeProductStart } from './children.ts';
import { makeTempDir, removeTempDir } from './cleanup.ts';
import { processNextSpec, registerSpec } from './http.ts';
import { JournalTemplate } from './journal.ts';
import { type LoadResult, measure, type RequestSpec } from './load.ts';
import { formatBytes, formatMs, formatNumber, formatPowerOfTen, median, plural } from './numbers.ts';
import type { Row, Table } from './report.ts';

export interface PostgresOptions {
  databaseUrl: string;
  connections: number;
  warmupSeconds: number;
  seconds: number;
  processCounts: number[];
  /** people in line before a process_next run */
  prefilled: number;
  /** the journal a server is started on, to time its start */
  startEvents: number;
  /** starts timed; the median is reported */
  starts: number;
}

type Store = 'embedded' | 'postgres';

interface Setup {
  servers: ProductServer[];
  close: () => Promise<void>;
}

function schemaUrl(databaseUrl: string, schema: string): string {
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

/** A fresh schema, holding a journal when given one (imported as pnpm event:import does); `drop` removes it. */
async function freshSchema(
  options: PostgresOptions,
  journal?: JournalTemplate,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: options.databaseUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const url = schemaUrl(options.databaseUrl, schema);
  if (journal) await importJournal(url, readJournal(await journal.path()));
  return {
    url,
    drop: async () => {
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    },
  };
}

/** N servers on a fresh schema (or one embedded server), optionally with a queue already in line. */
async function setUp(options: PostgresOptions, store: Store, count: number, line?: JournalTemplate): Promise<Setup> {
  if (store === 'embedded') {
    const dataDir = line ? await line.dataDir() : undefined;
    const server = await startProduct(dataDir ? { dataDir } : {});
    return {
      servers: [server],
      close: async () => {
        await server.stop();
        if (dataDir) removeTempDir(dataDir);
      },
    };
  }
  const { url, drop } = await freshSchema(options, line);
  const staffToken = randomBytes(24).toString('base64url');
  const servers = await Promise.all(
    Array.from({ length: count }, () => startProduct({ env: { DATABASE_URL: url }, staffToken })),
  );
  return {
    servers,
    close: async () => {
      await Promise.all(servers.map((server) => server.stop()));
      await drop();
    },
  };
}

/** Loads every server at once with its share of the connections; sums the rates. */
async function measureAll(
  servers: ProductServer[],
  spec: (server: ProductServer) => RequestSpec,
  options: PostgresOptions,
  maxRequests?: number,
): Promise<LoadResult> {
  const share = Math.max(1, Math.floor(options.connections / servers.length));
  const results = await Promise.all(
    servers.map((server) =>
      measure(server, spec(server), {
        connections: share,
        warmupSeconds: options.warmupSeconds,
        seconds: options.seconds,
        maxRequests: maxRequests === undefined ? undefined : Math.floor(maxRequests / servers.length),
      }),
    ),
  );
  const mains = results.map((result) => result.main);
  return {
    requests: mains.reduce((sum, run) => sum + run.requests, 0),
    seconds: median(mains.map((run) => run.seconds)),
    requestsPerSecond: mains.reduce((sum, run) => sum + run.requestsPerSecond, 0),
    p50Ms: median(mains.map((run) => run.p50Ms)),
    p99Ms: Math.max(...mains.map((run) => run.p99Ms)),
    statuses: {},
    non2xx: mains.reduce((sum, run) => sum + run.non2xx, 0),
    errors: mains.reduce((sum, run) => sum + run.errors, 0),
  };
}

export async function runPostgres(options: PostgresOptions): Promise<Table[]> {
  const workspace = makeTempDir('pg-bench');
  try {
    return [
      ...(await measureStores(
        options,
        new JournalTemplate(workspace, 'line', { events: options.prefilled + 2, kind: 'queued' }),
      )),
      await measureStart(
        options,
        new JournalTemplate(workspace, 'sale', { events: options.startEvents, kind: 'sale' }),
      ),
    ];
  } finally {
    removeTempDir(workspace);
  }
}

/** How long one server takes to start on a database holding a long journal: it reads the whole events table. */
async function measureStart(options: PostgresOptions, journal: JournalTemplate): Promise<Table> {
  const { url, drop } = await freshSchema(options, journal);
  const times: number[] = [];
  let maxRssBytes = 0;
  try {
    for (let i = 0; i < options.starts; i++) {
      const started = await timeProductStart({ env: { DATABASE_URL: url } });
      times.push(started.startMs);
      maxRssBytes = Math.max(maxRssBytes, started.maxRssBytes);
    }
  } finally {
    await drop();
  }
  const events = formatPowerOfTen(options.startEvents);
  const seconds = `${formatNumber(median(times) / 1000, 2)} s`;
  process.stdout.write(`  PostgreSQL start on ${events} events: ${seconds}\n`);
  return {
    title: 'PostgreSQL store: start-up on a long journal',
    columns: ['journal events', 'time to listening', 'peak RSS'],
    rows: [{ cells: [events, seconds, formatBytes(maxRssBytes)], target: '' }],
    notes: [
      `The journal of the embedded store's ${events}-event recovery (a busy on-sale), imported with pnpm event:import's code path; one server started on it ${plural(options.starts, 'time')} (the median; the largest peak RSS). The server reads the whole events table into memory before it listens, as the embedded store replays its journal; PostgreSQL runs on the same machine.`,
    ],
  };
}

async function measureStores(options: PostgresOptions, prefilled: JournalTemplate): Promise<Table[]> {
  const rows: Row[] = [];
  const cases: { store: Store; count: number }[] = [
    { store: 'embedded', count: 1 },
    ...options.processCounts.map((count) => ({ store: 'postgres' as const, count })),
  ];
  for (const { store, count } of cases) {
    const label =
      store === 'embedded' ? 'embedded (CSV), 1 process' : `PostgreSQL, ${count} process${count > 1 ? 'es' : ''}`;
    const register = await setUp(options, store, count);
    let registered: LoadResult;
    try {
      registered = await measureAll(register.servers, () => registerSpec(), options);
    } finally {
      await register.close();
    }
    const line = await setUp(options, store, count, prefilled);
    let processed: LoadResult;
    try {
      processed = await measureAll(
        line.servers,
        (server) => processNextSpec(server.staffToken),
        options,
        options.prefilled,
      );
    } finally {
      await line.close();
    }
    process.stdout.write(
      `  ${label}: register ${formatNumber(registered.requestsPerSecond)} req/s, process_next ${formatNumber(processed.requestsPerSecond)} req/s\n`,
    );
    rows.push({
      cells: [
        label,
        formatNumber(registered.requestsPerSecond),
        formatMs(registered.p99Ms),
        formatNumber(processed.requestsPerSecond),
        formatMs(processed.p99Ms),
        formatNumber(registered.non2xx + registered.errors + processed.non2xx + processed.errors),
      ],
      target: '',
    });
  }
  return [
    {
      title: `PostgreSQL store: throughput with several API processes on one database (${options.connections} connections in all)`,
      columns: ['store', 'register req/s', 'register p99', 'process_next req/s', 'process_next p99', 'failed answers'],
      rows,
      notes: [
        'Every process gets an equal share of the connections; req/s is the sum over processes. Each row starts on a fresh database schema (or data directory).',
        `process_next: ${formatNumber(options.prefilled)} people already in line, imported with pnpm event:import's code path.`,
        'All processes, PostgreSQL and the load generator share this machine, so more processes add contention as well as capacity.',
      ],
    },
  ];
}

// Throughput of the product's hot routes as a share of what a bare Fastify route does on the same machine in
// the same run, and a check that every registration acknowledged under that load is in the journal.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ProductServer, type Server, startBareFastify, startProduct } from './children.ts';
import { makeTempDir, removeTempDir } from './cleanup.ts';
import { diskTable } from './disk.ts';
import { JOURNAL_FILE, JournalTemplate } from './journal.ts';
import { type LoadResult, type Measured, measure, type RequestSpec, type ServerCpu } from './load.ts';
import { formatMs, formatNumber, median } from './numbers.ts';
import type { Row, Table } from './report.ts';

export interface HttpOptions {
  connections: number;
  warmupSeconds: number;
  seconds: number;
  /** baseline/target pairs per route */
  rounds: number;
  /** also measure registration once with request logging on (LOG_LEVEL=info) */
  withInfoLogging: boolean;
  /** people in line when a process_next run starts */
  processNextLine: number;
}

interface Target {
  name: string;
  /** the status every answer should have; any other answer (or error) fails the row */
  status: string;
  /** rounds for this route, when not options.rounds */
  rounds?: number;
  /** the smallest acceptable share of the bare route's req/s; undefined when only reported */
  minRatio?: number;
  maxP99Ms?: number;
  /** one measured run against the product */
  run(options: HttpOptions): Promise<Measured>;
}

interface Round {
  /** the mean of the bare route's rate just before and just after the target run */
  baselineRps: number;
  target: LoadResult;
  serverCpu: ServerCpu | undefined;
}

interface RegistrationCount {
  load: string;
  logLevel: string;
  acknowledged: number;
  journaled: number;
  non2xx: number;
  errors: number;
}

const BARE_ROUTE: RequestSpec = { method: 'GET', path: '/' };
const REGISTER = 'POST /api/register (durable)';
const PROCESS_NEXT = 'POST /api/process_next';
const REFERENCE_POST = 'reference: bare Fastify POST of a registration';
const REFERENCE_PROCESS = 'reference: bare Fastify POST of a process_next';

export async function runHttp(options: HttpOptions): Promise<Table[]> {
  const counts: RegistrationCount[] = [];
  const workspace = makeTempDir('http');
  const bare = await startBareFastify();
  try {
    // Every round starts its own server (a fresh copy of these journals), so no route is measured on a
    // server that sat idle, or was loaded, through the routes before it.
    const line = new JournalTemplate(workspace, 'line', { events: options.processNextLine + 2, kind: 'queued' });
    const sale = new JournalTemplate(workspace, 'sale', { events: 10_000, kind: 'sale' });

    const targets: Target[] = [
      {
        name: REGISTER,
        status: '201',
        minRatio: 0.7,
        maxP99Ms: 10,
        run: (opts) => registerRun(opts, 'warn', counts),
      },
      {
        name: PROCESS_NEXT,
        status: '200',
        minRatio: 0.6,
        run: (opts) => processNextRun(opts, line),
      },
      {
        name: 'GET /summary_data (200)',
        status: '200',
        run: (opts) => summaryRun(opts, sale, false),
      },
      {
        name: 'GET /summary_data (304)',
        status: '304',
        minRatio: 0.9,
        run: (opts) => summaryRun(opts, sale, true),
      },
    ];
    // Not the product: the bare server answering requests of the same shapes with no work, the most any
    // registration or process_next route could reach here.
    targets.push(
      { name: REFERENCE_POST, status: '201', run: (opts) => measure(bare, registerSpec('/register'), opts) },
      {
        name: REFERENCE_PROCESS,
        status: '200',
        run: (opts) => measure(bare, processNextSpec('reference-token', '/process_next'), opts),
      },
    );
    if (options.withInfoLogging) {
      targets.push({
        name: 'POST /api/register, LOG_LEVEL=info',
        status: '201',
        rounds: 1,
        run: (opts) => registerRun(opts, 'info', counts),
      });
    }

    const rows: Row[] = [];
    /** each target's median ratio to the bare GET, to set the product's routes against the references */
    const medianRatio = new Map<string, number>();
    /** each target's median req/s */
    const medianRate = new Map<string, number>();
    const baselineRuns: Measured[] = [];
    const bareRun = async () => {
      const measured = await measure(bare, BARE_ROUTE, options);
      baselineRuns.push(measured);
      return measured.main.requestsPerSecond;
    };
    for (const target of targets) {
      // Baseline, target, baseline, target, ..., baseline: each target run is compared with the mean of
      // the baseline runs just before and just after it, so that a drift in between cancels.
      const rounds: Round[] = [];
      let before = await bareRun();
      for (let i = 0; i < (target.rounds ?? options.rounds); i++) {
        const measured = await target.run(options);
        const after = await bareRun();
        rounds.push({ baselineRps: (before + after) / 2, target: measured.main, serverCpu: measured.serverCpu });
        process.stdout.write(
          `  ${target.name}: round ${i + 1}: ${formatNumber(measured.main.requestsPerSecond)} req/s, bare ${formatNumber(before)} and ${formatNumber(after)} req/s\n`,
        );
        before = after;
      }
      rows.push(throughputRow(target, rounds));
      medianRatio.set(target.name, median(roundRatios(rounds)));
      medianRate.set(target.name, median(rounds.map((round) => round.target.requestsPerSecond)));
    }
    rows.push({
      cells: [
        'bare Fastify GET / (baseline)',
        formatNumber(median(baselineRuns.map((run) => run.main.requestsPerSecond))),
        '1.00',
        '',
        '',
        '',
        ...serverCpuCells(baselineRuns.map((run) => run.serverCpu)),
        '',
        `${baselineRuns.length} runs`,
      ],
      target: '',
    });

    return [
      {
        title: `HTTP throughput against a bare Fastify route (${options.connections} connections)`,
        columns: [
          'route',
          'req/s',
          'ratio',
          'ratios per round',
          'p50',
          'p99',
          'server CPU per request',
          'server busy',
          'other answers',
          'rounds',
        ],
        rows,
        notes: [
          `Runs alternate bare, product, bare, product, ..., bare; each ${options.warmupSeconds} s warm-up + about ${options.seconds} s measured. A round's ratio divides the product's req/s by the mean of the bare runs around it; req/s, ratio, p50 and p99 are medians over rounds.`,
          "register: a fresh data directory per round, 64 different names in turn, one VIP in four; every answer is fsync-ed to the journal first. Request bodies are built once, as for the GET routes: a body built per request (autocannon's setupRequest) cost the load generator, on the same cores, about as much again as the server.",
          `${REFERENCE_POST}: the bare server's POST /register, with the product's request and answer schemas and no work at all: what Fastify alone spends on a registration's request and answer, so the most any registration route could reach here. ${REFERENCE_PROCESS}: the same for process_next's request (a bearer token, no body) and answer.`,
          `process_next: a fresh data directory per round whose journal already has ${formatNumber(options.processNextLine)} people in line; a run never sends more calls than people in line, so every call serves someone.`,
          'summary: a fresh server per round on a journal of 10^4 events (a sale under way); the 304 run sends If-None-Match with the current ETag.',
          sameShapeNote(medianRatio),
          baselineSwingNote(baselineRuns.map((run) => run.main.requestsPerSecond)),
          latencyNote(options.connections, medianRate),
          "server CPU per request: the CPU time (user and system, from /proc) of the server's main thread during the measured run, divided by the answers; server busy: that CPU time as a share of the run's wall time. Node runs all of a request's JavaScript on that thread, so this is what a route costs the server, apart from the load generator on the same cores: a route whose server is busy well below 100% was held back by the load generator or by waiting for the disk, not by its own work. Medians over rounds.",
        ],
      },
      lossTable(counts),
      await diskTable(options.connections, () => measure(bare, BARE_ROUTE, options)),
    ];
  } finally {
    await bare.stop();
    removeTempDir(workspace);
  }
}

/** How far the bare GET's own runs spread in this run: how much the machine swung while the rounds ran. */
function baselineSwingNote(rates: readonly number[]): string {
  const slowest = Math.min(...rates);
  const fastest = Math.max(...rates);
  return `The bare GET's ${rates.length} runs answered ${formatNumber(slowest)} to ${formatNumber(fastest)} req/s (the slowest ${formatNumber((100 * slowest) / fastest)}% of the fastest): the machine's own swing during this run. A round's ratio is taken against the bare runs just before and after it, so a swing between rounds cancels, but one within a round moves its ratio.`;
}

/**
 * The product's routes as a share of the bare route that takes the same request and gives the same answer: the
 * quotient of their ratios to the bare GET, each measured against the GET runs around it, so that a machine
 * slower or faster while one of them ran does not count.
 */
function sameShapeNote(medianRatio: Map<string, number>): string {
  const share = (route: string, reference: string) =>
    formatNumber((medianRatio.get(route) ?? Number.NaN) / (medianRatio.get(reference) ?? Number.NaN), 2);
  return `Against the bare route of the same request and answer rather than the GET (the quotient of the two ratios): POST /api/register ${share(REGISTER, REFERENCE_POST)} of the bare Fastify POST of a registration, POST /api/process_next ${share(PROCESS_NEXT, REFERENCE_PROCESS)} of the bare Fastify POST of a process_next.`;
}

/**
 * Why a p99 follows the rate: each connection sends its next request only once answered, so by Little's law the
 * mean latency is the connections over the rate, before any tail.
 */
function latencyNote(connections: number, medianRate: Map<string, number>): string {
  const mean = (route: string) => formatMs((1000 * connections) / (medianRate.get(route) ?? Number.NaN));
  return `Latency and rate go together here: each of the ${connections} connections sends its next request only when the last is answered, so the mean latency is ${connections} over the req/s (Little's law), before any tail. POST /api/register: ${mean(REGISTER)} on average; the bare Fastify POST of a registration: ${mean(REFERENCE_POST)}.`;
}

/** Each round's ratio: the target's req/s over the mean of the bare runs around it. */
function roundRatios(rounds: Round[]): number[] {
  return rounds.map((round) => round.target.requestsPerSecond / round.baselineRps);
}

function throughputRow(target: Target, rounds: Round[]): Row {
  const ratios = roundRatios(rounds);
  const ratio = median(ratios);
  const p99 = median(rounds.map((round) => round.target.p99Ms));
  // Answers of another status than expected, and errors: a fast 503 is not throughput.
  const unexpected = rounds.reduce((sum, { target: run }) => {
    const expected = run.statuses[target.status] ?? 0;
    return sum + run.requests - expected + run.errors;
  }, 0);
  const conditions: string[] = [];
  let pass: boolean | undefined;
  if (target.minRatio !== undefined) {
    conditions.push(`ratio ≥ ${target.minRatio}`);
    pass = ratio >= target.minRatio;
  }
  if (target.maxP99Ms !== undefined) {
    conditions.push(`p99 < ${target.maxP99Ms} ms`);
    pass = (pass ?? true) && p99 < target.maxP99Ms;
  }
  // Every row, a reference too, must get only the answer it measures: a route answering errors (a bare route
  // whose canned answer no longer fits the product's schema) would make every ratio against it meaningless.
  conditions.push(`only ${target.status}`);
  pass = (pass ?? true) && unexpected === 0;
  return {
    cells: [
      target.name,
      formatNumber(median(rounds.map((round) => round.target.requestsPerSecond))),
      formatNumber(ratio, 2, target.minRatio),
      ratios.map((value) => formatNumber(value, 2)).join(', '),
      formatMs(median(rounds.map((round) => round.target.p50Ms))),
      formatMs(p99, target.maxP99Ms),
      ...serverCpuCells(rounds.map((round) => round.serverCpu)),
      formatNumber(unexpected),
      String(rounds.length),
    ],
    target: conditions.join(', '),
    pass,
  };
}

/** Median CPU µs per request and busy share over runs; dashes where /proc could not be read. */
function serverCpuCells(runs: readonly (ServerCpu | undefined)[]): [string, string] {
  const known = runs.filter((run) => run !== undefined);
  if (known.length === 0) return ['–', '–'];
  return [
    `${formatNumber(median(known.map((run) => run.microsecondsPerRequest)), 1)} µs`,
    `${formatNumber(100 * median(known.map((run) => run.busy)))}%`,
  ];
}

function lossTable(counts: RegistrationCount[]): Table {
  return {
    title: 'Nothing lost at speed: registrations acknowledged vs. journaled',
    columns: ['register load', '201 answers seen', '"registered" lines in journal', 'non-2xx', 'errors'],
    rows: counts.map((count) => ({
      cells: [
        count.load,
        formatNumber(count.acknowledged),
        formatNumber(count.journaled),
        formatNumber(count.non2xx),
        formatNumber(count.errors),
      ],
      target: 'equal',
      pass: count.acknowledged === count.journaled,
    })),
    notes: [
      'Answers of the warm-up and the measured run together; the journal is counted after the server stopped on SIGTERM.',
    ],
  };
}

// ---- the routes' requests and set-ups -------------------------------------------------------------

/** How many different registrations a load cycles through. */
const REGISTRATION_BODIES = 64;

/**
 * Registrations, one VIP in four, cycling through a few dozen names: two people of the same name are two
 * tickets, so the journal grows by one registration per request all the same.
 */
export function registerSpec(path = '/api/register'): RequestSpec {
  return {
    method: 'POST',
    path,
    bodies: Array.from({ length: REGISTRATION_BODIES }, (_, n) =>
      JSON.stringify({
        first_name: `Bench${n}`,
        last_name: `Runner-${process.pid}`,
        ticket_type: n % 4 === 0 ? 'VIP' : 'Regular',
      }),
    ),
  };
}

export function processNextSpec(staffToken: string, path = '/api/process_next'): RequestSpec {
  return { method: 'POST', path, headers: { authorization: `Bearer ${staffToken}` } };
}

/** The summary; with an ETag, the conditional request a polling page sends. */
export function summarySpec(etag?: string): RequestSpec {
  return { method: 'GET', path: '/summary_data', headers: etag ? { 'if-none-match': etag } : {} };
}

async function registerRun(options: HttpOptions, logLevel: string, counts: RegistrationCount[]): Promise<Measured> {
  const dataDir = makeTempDir('register');
  try {
    const server = await startProduct({ dataDir, logLevel });
    let measured: Measured;
    try {
      measured = await measure(server, registerSpec(), options);
    } finally {
      await stopCleanly(server);
    }
    const round = counts.filter((count) => count.logLevel === logLevel).length + 1;
    counts.push({
      load: logLevel === 'warn' ? `round ${round}` : `LOG_LEVEL=${logLevel}`,
      logLevel,
      acknowledged: measured.allStatuses['201'] ?? 0,
      journaled: countRegistered(join(dataDir, JOURNAL_FILE)),
      non2xx: measured.allNon2xx,
      errors: measured.allErrors,
    });
    return measured;
  } finally {
    removeTempDir(dataDir);
  }
}

/** Lines of the journal whose action is "registered". */
function countRegistered(journalPath: string): number {
  let count = 0;
  for (const line of readFileSync(journalPath, 'utf8').split('\n')) {
    if (line.split(',', 3)[2] === 'registered') count++;
  }
  return count;
}

/** Starts a server on a fresh copy of the template, runs `use` against it, and stops it cleanly. */
async function withServerOn<T>(template: JournalTemplate, use: (server: ProductServer) => Promise<T>): Promise<T> {
  const dataDir = await template.dataDir();
  try {
    const server = await startProduct({ dataDir });
    try {
      return await use(server);
    } finally {
      await stopCleanly(server);
    }
  } finally {
    removeTempDir(dataDir);
  }
}

async function processNextRun(options: HttpOptions, line: JournalTemplate): Promise<Measured> {
  // Two capacity_set events, then the registrations.
  const queued = line.shape.events - 2;
  return withServerOn(line, async (server) => {
    // One person served per call: never send more calls than there are people in line.
    const measured = await measure(server, processNextSpec(server.staffToken), {
      ...options,
      maxRequests: queued - 1,
    });
    const left = (await summaryOf(server)).queue_length;
    const served = measured.allStatuses['200'] ?? 0;
    if (left !== queued - served) {
      throw new Error(`process_next: ${served} answered 200 but the line went from ${queued} to ${left}`);
    }
    return measured;
  });
}

/** The summary of a running sale, plain or (conditional) with the ETag a polling page sends. */
function summaryRun(options: HttpOptions, sale: JournalTemplate, conditional: boolean): Promise<Measured> {
  return withServerOn(sale, async (server) =>
    measure(server, summarySpec(conditional ? await currentEtag(server) : undefined), options),
  );
}

async function summaryOf(server: Server): Promise<{ queue_length: number }> {
  const response = await fetch(`${server.url}/summary_data`);
  if (!response.ok) throw new Error(`GET /summary_data answered ${response.status}`);
  return (await response.json()) as { queue_length: number };
}

export async function currentEtag(server: Server): Promise<string> {
  const response = await fetch(`${server.url}/summary_data`);
  const etag = response.headers.get('etag');
  if (!response.ok || !etag) throw new Error(`GET /summary_data answered ${response.status} without an ETag`);
  return etag;
}

async function stopCleanly(server: Server): Promise<void> {
  const stopped = await server.stop();
  if (stopped.code !== 0) {
    throw new Error(`the server did not stop cleanly (code ${stopped.code}, ${stopped.signal}):\n${server.output()}`);
  }
}

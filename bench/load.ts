// HTTP load with autocannon's programmatic API. Every autocannon run is a fixed number of requests that all
// get their answer before it ends, so "answers seen" is exact: a run stopped by a timer drops the requests
// in flight, which the server still carries out. Timed measurements are a series of such runs.

import autocannon from 'autocannon';
import { mainThreadCpuSeconds } from './cpu-time.ts';
import { percentile } from './numbers.ts';

export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  /**
   * JSON bodies, sent in turn. They are built once: autocannon rebuilds a request that is set up per call
   * (its setupRequest), which costs the load generator, on the same two cores, more than some routes cost.
   */
  bodies?: readonly string[];
}

export interface LoadResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** answers by status code */
  statuses: Record<string, number>;
  non2xx: number;
  /** connection errors and timeouts */
  errors: number;
}

export interface MeasureOptions {
  connections: number;
  warmupSeconds: number;
  seconds: number;
  /** never send more than this many requests in total, warm-up included (e.g. the queue's length) */
  maxRequests?: number;
}

/** What the server's main thread spent during the measured run (see cpu-time.ts). */
export interface ServerCpu {
  /** CPU time per answered request */
  microsecondsPerRequest: number;
  /** share of the run's wall time the thread was on a CPU: near 1, the server is the limit */
  busy: number;
}

export interface Measured {
  /** the measured run */
  main: LoadResult;
  /** undefined where the server's CPU time cannot be read */
  serverCpu: ServerCpu | undefined;
  /** every answer, warm-up included, by status code */
  allStatuses: Record<string, number>;
  allNon2xx: number;
  allErrors: number;
}

/** Runs are cut into chunks of about this long, each sized from the rate of the chunk before. */
const CHUNK_SECONDS = 1;
const FIRST_CHUNK_PER_CONNECTION = 20;
/** A run gives up after this many connection errors or timeouts (a server that died, say) instead of stalling. */
const BAILOUT_ERRORS = 200;

/**
 * Warms up for about warmupSeconds, then measures for about `seconds`. Both are sent in chunks of a fixed
 * number of requests (sized from the previous chunk's rate), so every request is answered before a run
 * ends. Only the measured chunks are reported; the answers of all chunks are counted.
 */
export async function measure(
  server: { url: string; pid: number },
  spec: RequestSpec,
  options: MeasureOptions,
): Promise<Measured> {
  const { url, pid } = server;
  const budget = { left: options.maxRequests ?? Number.POSITIVE_INFINITY };
  const warmup = await chunked(url, spec, options.connections, options.warmupSeconds, undefined, budget);
  const cpuBefore = mainThreadCpuSeconds(pid);
  const startedAt = performance.now();
  const main = await chunked(url, spec, options.connections, options.seconds, warmup.at(-1), budget);
  const wallSeconds = (performance.now() - startedAt) / 1000;
  const cpuAfter = mainThreadCpuSeconds(pid);
  if (main.length === 0) throw new Error(`no requests left to measure ${spec.method} ${spec.path}`);
  const all = [...warmup, ...main];
  const measured = combine(main);
  return {
    main: measured,
    serverCpu:
      cpuBefore === undefined || cpuAfter === undefined || measured.requests === 0
        ? undefined
        : {
            microsecondsPerRequest: ((cpuAfter - cpuBefore) * 1e6) / measured.requests,
            busy: (cpuAfter - cpuBefore) / wallSeconds,
          },
    allStatuses: sumStatuses(all),
    allNon2xx: all.reduce((sum, run) => sum + run.non2xx, 0),
    allErrors: all.reduce((sum, run) => sum + run.errors, 0),
  };
}

async function chunked(
  url: string,
  spec: RequestSpec,
  connections: number,
  seconds: number,
  previous: Chunk | undefined,
  budget: { left: number },
): Promise<Chunk[]> {
  const chunks: Chunk[] = [];
  let last = previous;
  let elapsed = 0;
  while (elapsed < seconds) {
    const wanted = last
      ? last.requestsPerSecond * Math.min(CHUNK_SECONDS, seconds - elapsed)
      : connections * FIRST_CHUNK_PER_CONNECTION;
    const amount = Math.floor(Math.min(Math.max(wanted, connections), budget.left));
    if (amount < connections) break;
    last = await load(url, spec, connections, amount);
    if (last.requests === 0) {
      throw new Error(`${spec.method} ${url}${spec.path}: no answers (${last.errors} connection errors or timeouts)`);
    }
    budget.left -= amount;
    chunks.push(last);
    elapsed += last.seconds;
  }
  return chunks;
}

interface Chunk extends LoadResult {
  latencies: number[];
}

function combine(chunks: Chunk[]): LoadResult {
  const latencies = chunks.flatMap((chunk) => chunk.latencies);
  const requests = chunks.reduce((sum, chunk) => sum + chunk.requests, 0);
  const seconds = chunks.reduce((sum, chunk) => sum + chunk.seconds, 0);
  return {
    requests,
    seconds,
    requestsPerSecond: seconds > 0 ? requests / seconds : 0,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    statuses: sumStatuses(chunks),
    non2xx: chunks.reduce((sum, chunk) => sum + chunk.non2xx, 0),
    errors: chunks.reduce((sum, chunk) => sum + chunk.errors, 0),
  };
}

function sumStatuses(runs: LoadResult[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const run of runs) {
    for (const [status, count] of Object.entries(run.statuses)) total[status] = (total[status] ?? 0) + count;
  }
  return total;
}

/** One autocannon run of exactly `amount` requests over `connections` connections; all are answered. */
function load(url: string, spec: RequestSpec, connections: number, amount: number): Promise<Chunk> {
  const latencies: number[] = [];
  let lastAnswerAt = 0;
  const { method, path, bodies } = spec;
  const requests: autocannon.Request[] = bodies
    ? bodies.map((body) => ({ method, path, headers: { ...spec.headers, 'content-type': 'application/json' }, body }))
    : [{ method, path, headers: { ...spec.headers } }];
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const instance = autocannon(
      { url, connections, amount, requests, sampleInt: 20, timeout: 10, bailout: BAILOUT_ERRORS },
      (error, result) => {
        if (error) return reject(error);
        const seconds = (lastAnswerAt - startedAt) / 1000;
        const statuses: Record<string, number> = {};
        for (const [status, stats] of Object.entries(result.statusCodeStats ?? {})) statuses[status] = stats.count ?? 0;
        const answered = latencies.length;
        resolve({
          requests: answered,
          seconds,
          requestsPerSecond: seconds > 0 ? answered / seconds : 0,
          p50Ms: percentile(latencies, 0.5),
          p99Ms: percentile(latencies, 0.99),
          statuses,
          non2xx: result.non2xx,
          errors: result.errors,
          latencies,
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latencies.push(responseTime);
      lastAnswerAt = performance.now();
    });
  });
}

// The disk under the journal: how long the server's own durable append takes, one batch at a time, on an idle
// machine and while its cores serve an HTTP load. A durable route is bounded by it: every answer waits for its
// batch's append, and with one append in flight a batch holds the requests that arrived while the one before
// it was written, so an answer's latency is the rest of one append and then the whole of its own.

import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { makeTempDir, removeTempDir, trackChild } from './cleanup.ts';
import { formatMs, formatNumber, percentile } from './numbers.ts';
import type { Row, Table } from './report.ts';

const APPEND_TIMER = fileURLToPath(new URL('./append-timer.ts', import.meta.url));
const IDLE_APPENDS = 400;
/** About 14 journal lines: a batch's size under the bench's register and process_next loads. */
const BATCH_BYTES = 2_048;

/**
 * The disk's table. `load` runs the bare route's HTTP load; appends are timed all through it, so they wait for
 * the cores as the server's thread pool does under a durable route's load.
 */
export async function diskTable(connections: number, load: () => Promise<unknown>): Promise<Table> {
  const idle = await timeAppends(IDLE_APPENDS);
  const loaded = await timeAppends(load);
  const row = (what: string, latencies: number[]): Row => ({
    cells: [
      what,
      formatNumber(latencies.length),
      formatMs(percentile(latencies, 0.5)),
      formatMs(percentile(latencies, 0.9)),
      formatMs(percentile(latencies, 0.99)),
      formatNumber(1000 / percentile(latencies, 0.5)),
    ],
    target: '',
  });
  return {
    title: 'The disk under the journal: durable appends, one at a time',
    columns: ['machine', 'appends', 'p50', 'p90', 'p99', 'appends/s at p50'],
    rows: [row('idle', idle), row(`serving the bare GET / to ${connections} connections`, loaded)],
    notes: [
      `Each append is ${formatNumber(BATCH_BYTES)} B, written as the server writes its journal (one write with O_DSYNC), in the system's temp directory (where the bench's data directories are), by a process of its own.`,
      `Every durable answer waits for the append of its batch, and a batch holds the requests decided while the append before it was in flight: with ${connections} connections, at most about half of them share one append, however little the server does per request. An answer waits for the rest of the append in flight and then for its own, so a durable route's p99 is above the p99 of one append on the loaded machine.`,
    ],
  };
}

/** Latencies (ms) of appends timed in a child process: `appends` of them, or as many as fit while `during` runs. */
async function timeAppends(during: number | (() => Promise<unknown>)): Promise<number[]> {
  const dir = makeTempDir('disk');
  const appends = typeof during === 'number' ? String(during) : 'Infinity';
  const child = fork(APPEND_TIMER, [dir, String(BATCH_BYTES), appends], { stdio: 'inherit' });
  trackChild(child);
  try {
    const latencies = answer(child);
    // Awaited below; meanwhile a child that died must not count as a rejection nobody handles.
    latencies.catch(() => {});
    if (typeof during === 'function') {
      try {
        await during();
      } finally {
        // Also when the load failed: the child stops, and its exit is awaited below.
        if (child.connected) child.send('stop');
      }
    }
    return await latencies;
  } finally {
    await exited(child);
    removeTempDir(dir);
  }
}

function answer(child: ChildProcess): Promise<number[]> {
  return new Promise((resolve, reject) => {
    child.once('message', (latencies) => resolve(latencies as number[]));
    child.once('exit', (code, signal) => reject(new Error(`${APPEND_TIMER} exited (code ${code}, signal ${signal})`)));
  });
}

async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
}

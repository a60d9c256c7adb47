// The disk under the journal: how long the server's own durable append takes, one batch at a time. A durable
// route's throughput is bounded by it: every answer waits for its batch's append, and with one append in
// flight a batch can only hold the requests that arrived while the one before it was written.

import { join } from 'node:path';
import { openJournalIO } from '../apps/api/src/store/csv/journal-file.ts';
import { makeTempDir, removeTempDir } from './cleanup.ts';
import { formatMs, formatNumber, percentile } from './numbers.ts';
import type { Table } from './report.ts';

const APPENDS = 400;
/** About 14 journal lines: a batch's size under the bench's register and process_next loads. */
const BATCH_BYTES = 2_048;

export async function diskTable(connections: number): Promise<Table> {
  const dir = makeTempDir('disk');
  const io = await openJournalIO(join(dir, 'appends.csv'));
  const latencies: number[] = [];
  const batch = `${'x'.repeat(BATCH_BYTES - 1)}\n`;
  try {
    for (let i = 0; i < APPENDS; i++) {
      const startedAt = performance.now();
      await io.appendDurably(batch);
      latencies.push(performance.now() - startedAt);
    }
  } finally {
    await io.close();
    removeTempDir(dir);
  }
  const p50 = percentile(latencies, 0.5);
  return {
    title: 'The disk under the journal: durable appends, one at a time',
    columns: ['append', 'p50', 'p90', 'p99', 'appends/s at p50'],
    rows: [
      {
        cells: [
          `${formatNumber(BATCH_BYTES)} B, the server's own write (O_DSYNC)`,
          formatMs(p50),
          formatMs(percentile(latencies, 0.9)),
          formatMs(percentile(latencies, 0.99)),
          formatNumber(1000 / p50),
        ],
        target: '',
      },
    ],
    notes: [
      `${APPENDS} appends on an idle machine, in the system's temp directory (where the bench's data directories are). Under load an append takes longer: the disk is shared with the load's own writes and the CPU with the server and the load generator.`,
      `Every durable answer waits for the append of its batch, and a batch holds the requests decided while the append before it was in flight: with ${connections} connections, at most about half of them share one append, however little the server does per request.`,
    ],
  };
}

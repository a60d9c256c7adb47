// A child process that times the journal's durable appends, one at a time: the bench's own process may be
// running a load meanwhile, and its event loop's delays must not count as the disk's. Appends until it has
// done `appends` of them or is sent 'stop', then sends the latencies (ms) and exits.
//
//   fork('bench/append-timer.ts', [dir, batchBytes, appends])

import { join } from 'node:path';
import { openJournalIO } from '../apps/api/src/store/csv/journal-file.ts';

const [dir = '', batchBytes = '2048', appends = 'Infinity'] = process.argv.slice(2);
const most = Number(appends);
let stopped = false;
process.once('message', () => {
  stopped = true;
});

const io = await openJournalIO(join(dir, 'appends.csv'));
const batch = `${'x'.repeat(Number(batchBytes) - 1)}\n`;
const latencies: number[] = [];
try {
  while (!stopped && latencies.length < most) {
    const startedAt = performance.now();
    await io.appendDurably(batch);
    latencies.push(performance.now() - startedAt);
  }
} finally {
  await io.close();
}
process.send?.(latencies, () => process.disconnect());

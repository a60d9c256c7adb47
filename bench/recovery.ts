// How long the server takes to start on a long journal, and how much memory replaying it needs: a journal
// of each size is generated, then the built server is started on it under /usr/bin/time -v.

import { statSync } from 'node:fs';
import { join } from 'node:path';
import { hasGnuTime, startBareReplay, timeProductStart } from './children.ts';
import { makeTempDir, removeTempDir } from './cleanup.ts';
import { JOURNAL_FILE, writeJournal } from './journal.ts';
import { formatBytes, formatNumber, formatPowerOfTen, median } from './numbers.ts';
import type { Row, Table } from './report.ts';

export interface RecoveryOptions {
  sizes: number[];
  /** server starts per journal; the median time and the largest RSS are reported */
  starts: number;
}

const TARGET_EVENTS = 1_000_000;
const MAX_START_MS = 3000;
const MAX_RSS_BYTES = 300 * 1024 * 1024;
const QUEUE_FILE = 'queue.csv';

interface Recovered {
  events: number;
  tickets: number;
  journalBytes: number;
  queueBytes: number;
  queueLength: number;
  startMs: number;
  /** the reference's time to listening on the same journal (see bare-replay.mjs) */
  referenceMs: number;
  maxRssBytes: number;
}

export async function runRecovery(options: RecoveryOptions): Promise<Table[]> {
  if (!hasGnuTime()) {
    throw new Error('/usr/bin/time is missing (it measures peak RSS): apt-get install -y time');
  }
  const results: Recovered[] = [];
  for (const events of options.sizes) results.push(await recover(events, options.starts));

  const rows: Row[] = results.flatMap((result) => {
    const judged = result.events === TARGET_EVENTS;
    return [
      {
        cells: [
          formatPowerOfTen(result.events),
          formatNumber(result.tickets),
          'time to listening',
          `${formatNumber(result.startMs / 1000, 2, judged ? MAX_START_MS / 1000 : undefined)} s`,
        ],
        target: judged ? `< ${MAX_START_MS / 1000} s` : '',
        pass: judged ? result.startMs < MAX_START_MS : undefined,
      },
      {
        cells: [
          formatPowerOfTen(result.events),
          '',
          'reference: reading its lines, then listening',
          `${formatNumber(result.referenceMs / 1000, 2)} s (the restart: ${formatNumber(result.startMs / result.referenceMs, 1)}×)`,
        ],
        target: '',
      },
      {
        cells: [
          formatPowerOfTen(result.events),
          formatNumber(result.tickets),
          'peak RSS',
          formatBytes(result.maxRssBytes, judged ? MAX_RSS_BYTES : undefined),
        ],
        target: judged ? `< ${formatBytes(MAX_RSS_BYTES)}` : '',
        pass: judged ? result.maxRssBytes < MAX_RSS_BYTES : undefined,
      },
    ];
  });
  const largest = results.at(-1) as Recovered;
  const perMillion = (bytes: number) => formatBytes((bytes * 1_000_000) / largest.events);
  return [
    {
      title: 'Startup recovery: replaying the journal',
      columns: ['journal events', 'tickets', 'measure', 'value'],
      rows,
      notes: [
        'Journals of a busy on-sale: per 10 events about 6 registrations, 3 served (confirmed, or sold out to the waitlist) and 1 cancellation.',
        `Time from spawning the server to its "running at" line (median of ${options.starts}); peak RSS is the largest of those starts.`,
        'The reference, started in turn with the server (reference, server, reference, ...), is what any server replaying the journal pays before it listens, measured in the same run: Node starts, loads Fastify with one route, reads the journal through once finding its line breaks, and listens (bench/bare-replay.mjs). The restart is set against it as the HTTP routes are against the bare route: by how fast the machine was in this run, not on another day.',
      ],
    },
    {
      title: `Data files per 10^6 events (from the ${formatPowerOfTen(largest.events)}-event journal)`,
      columns: ['file', 'size', 'per event'],
      rows: [
        {
          cells: [
            JOURNAL_FILE,
            perMillion(largest.journalBytes),
            `${Math.round(largest.journalBytes / largest.events)} B`,
          ],
          target: '',
        },
        {
          cells: [
            `${QUEUE_FILE} (${formatNumber(largest.queueLength)} queued)`,
            perMillion(largest.queueBytes),
            `${Math.round(largest.queueBytes / Math.max(1, largest.queueLength))} B per queued ticket`,
          ],
          target: '',
        },
      ],
      notes: [],
    },
  ];
}

async function recover(events: number, starts: number): Promise<Recovered> {
  const dataDir = makeTempDir('recovery');
  try {
    const journal = await writeJournal(dataDir, { events, kind: 'sale' });
    const times: number[] = [];
    const referenceTimes: number[] = [];
    let maxRssBytes = 0;
    for (let i = 0; i < starts; i++) {
      const reference = await startBareReplay(journal.path);
      referenceTimes.push(reference.startMs);
      await reference.stop();
      const started = await timeProductStart({ dataDir });
      times.push(started.startMs);
      maxRssBytes = Math.max(maxRssBytes, started.maxRssBytes);
    }
    return {
      events,
      tickets: journal.tickets,
      journalBytes: statSync(journal.path).size,
      queueBytes: statSync(join(dataDir, QUEUE_FILE)).size,
      queueLength: journal.queueLength,
      startMs: median(times),
      referenceMs: median(referenceTimes),
      maxRssBytes,
    };
  } finally {
    removeTempDir(dataDir);
  }
}

// queue.csv and availability.json: views of the live state for people and spreadsheets, replaced
// atomically shortly after changes. They are never read back as truth: on start the journal wins.

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { TicketEngine } from '@ticketing/shared';
import { encodeRecords } from '../../lib/csv-cells.ts';
import { writeFileAtomic } from './atomic-file.ts';

export const QUEUE_FILE = 'queue.csv';
export const AVAILABILITY_FILE = 'availability.json';
export const QUEUE_HEADER = 'position,id,first_name,last_name,ticket_type,time';
/** How availabilityJson's output begins: a copy cut short by a power cut is still known as ours by it. */
export const AVAILABILITY_START = '{\n  "VIP": ';

// Small enough that encoding one chunk never holds up requests for more than a millisecond or two.
const ROWS_PER_CHUNK = 1000;

export function availabilityJson(engine: TicketEngine): string {
  const summary = engine.summary();
  return `${JSON.stringify(
    {
      // The original app's two keys, kept so its readers still work: seats left per type.
      VIP: summary.vip_remaining,
      Regular: summary.regular_remaining,
      capacity: { VIP: summary.vip_capacity, Regular: summary.regular_capacity },
      sold: { VIP: summary.vip_sold, Regular: summary.regular_sold },
      queued: { VIP: summary.vip_queue_length, Regular: summary.regular_queue_length },
      waitlisted: { VIP: summary.vip_waitlist_length, Regular: summary.regular_waitlist_length },
      journal_seq: engine.lastSeq,
      updated_at: summary.updated_at,
    },
    null,
    2,
  )}\n`;
}

/** The queue as CSV, VIP first; produced in chunks so a long queue never blocks requests for long. */
async function* queueCsv(engine: TicketEngine): AsyncGenerator<string> {
  // The order as it is now; what the file shows of a queued ticket (id, name, type, time) never changes.
  const line = engine.frozenLine();
  yield `${QUEUE_HEADER}\n`;
  for (let start = 0; start < line.size; start += ROWS_PER_CHUNK) {
    if (start > 0) await yieldToEventLoop();
    const rows = line
      .records(start, start + ROWS_PER_CHUNK)
      .map((t, i) => [start + i + 1, t.id, t.first_name, t.last_name, t.ticket_type, t.created_at]);
    yield encodeRecords(rows);
  }
}

/**
 * Replaces both files atomically, without fsync: the journal alone is made durable, and these are rebuilt
 * from it at every start. Each fsync here would also make the journal's next durable write wait while the
 * disk flushes a queue.csv of megabytes: without them, process_next answered about a quarter more
 * requests a second with 10^5 people in line (bench/, same machine, alternating runs).
 */
export async function writeSnapshots(dir: string, engine: TicketEngine): Promise<void> {
  await writeFileAtomic(`${dir}/${AVAILABILITY_FILE}`, availabilityJson(engine), { durable: false });
  await writeFileAtomic(`${dir}/${QUEUE_FILE}`, queueCsv(engine), { durable: false });
}

/**
 * Rewrites the snapshots soon after a change without ever running two writes at once. The pause
 * between writes grows with how long a write takes, so a huge queue costs a bounded share of time.
 */
export class SnapshotScheduler {
  private dirty = false;
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastDurationMs = 0;
  private stopped = false;

  constructor(
    private readonly write: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
    private readonly minIntervalMs = 100,
  ) {}

  /** Something changed: the files are rewritten soon, or no sooner than `notBeforeMs` from now. */
  markDirty(notBeforeMs = 0): void {
    this.dirty = true;
    if (!this.timer && !this.running) this.schedule(notBeforeMs);
  }

  /** Writes once more if asked and anything changed since the last write; schedules nothing after. */
  async close(writeLast = true): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.running) await this.running;
    if (writeLast && this.dirty) await this.run();
  }

  private schedule(notBeforeMs = 0): void {
    if (this.stopped) return;
    // Waiting nine times as long as the last write took caps snapshots at a tenth of the time.
    const delay = Math.max(this.minIntervalMs, this.lastDurationMs * 9, notBeforeMs);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delay);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    this.dirty = false;
    const started = performance.now();
    this.running = this.write().catch(this.onError);
    await this.running;
    this.running = undefined;
    this.lastDurationMs = performance.now() - started;
    if (this.dirty && !this.timer) this.schedule();
  }
}

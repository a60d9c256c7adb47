// queue.csv and availability.json: views of the live state for people and spreadsheets, replaced
// atomically shortly after changes. They are never read back as truth: on start the journal wins.

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { type FrozenLine, RowBytes, TICKET_TYPES, type TicketEngine, type TicketType } from '@ticketing/shared';
import { CsvBytes } from '../../lib/csv-bytes.ts';
import { writeFileAtomic } from './atomic-file.ts';

export const QUEUE_FILE = 'queue.csv';
export const AVAILABILITY_FILE = 'availability.json';
export const QUEUE_HEADER = 'position,id,first_name,last_name,ticket_type,time';
/** How availabilityJson's output begins: a copy cut short by a power cut is still known as ours by it. */
export const AVAILABILITY_START = '{\n  "VIP": ';

// Small enough that writing one chunk never holds up requests for more than a millisecond or two.
const ROWS_PER_CHUNK = 2_000;

// Plain Uint8Arrays, as the table's bytes are (not Buffers): the writer then reads one kind of array only.
const TYPE_BYTES = Object.fromEntries(TICKET_TYPES.map((type) => [type, new TextEncoder().encode(type)])) as Record<
  TicketType,
  Uint8Array
>;

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

/**
 * The queue as CSV, VIP first; produced in chunks so a long queue never blocks requests for long. Written from
 * the table's bytes, with no string or record made per ticket: half a microsecond a row or less, where making
 * each ticket's record and encoding its cells took twice as long and left garbage behind.
 */
async function* queueCsv(engine: TicketEngine, busy: BusyTime): AsyncGenerator<Buffer> {
  // The order as it is now; what the file shows of a queued ticket (id, name, type, time) never changes.
  const line = busy.time(() => engine.frozenLine());
  const csv = new CsvBytes();
  const row = new RowBytes();
  yield Buffer.from(`${QUEUE_HEADER}\n`);
  for (let start = 0; start < line.size; start += ROWS_PER_CHUNK) {
    if (start > 0) await yieldToEventLoop();
    yield* busy.time(() => {
      writeRows(line, start, Math.min(start + ROWS_PER_CHUNK, line.size), csv, row);
      return csv.take();
    });
  }
}

/** The time spent in the calls it timed: what a write cost this thread, apart from waiting and other work between. */
class BusyTime {
  ms = 0;

  time<T>(work: () => T): T {
    const started = performance.now();
    try {
      return work();
    } finally {
      this.ms += performance.now() - started;
    }
  }
}

/** The line's places [from, to) as CSV records. (Not in the generator: V8 makes a plain function's loop faster.) */
function writeRows(line: FrozenLine, from: number, to: number, csv: CsvBytes, row: RowBytes): void {
  for (let place = from; place < to; place++) {
    line.readBytes(place, row);
    const { bytes, texts } = row;
    csv.wholeNumber(place + 1);
    csv.text(row.id, 0, row.idLength);
    csv.text(bytes, texts[0] as number, texts[1] as number);
    csv.text(bytes, texts[2] as number, texts[3] as number);
    const type = TYPE_BYTES[row.ticket_type];
    csv.text(type, 0, type.length);
    csv.text(bytes, texts[4] as number, texts[5] as number);
    csv.endRecord();
  }
}

/**
 * Replaces both files atomically, without fsync: the journal alone is made durable, and these are rebuilt
 * from it at every start. Each fsync here would also make the journal's next durable write wait while the
 * disk flushes a queue.csv of megabytes: without them, process_next answered about a quarter more
 * requests a second with 10^5 people in line (bench/, same machine, alternating runs).
 * Resolves to the milliseconds this thread spent making their content: the writing runs on other threads, and
 * requests are answered between the queue's chunks.
 */
export async function writeSnapshots(dir: string, engine: TicketEngine): Promise<number> {
  const busy = new BusyTime();
  const availability = busy.time(() => availabilityJson(engine));
  await writeFileAtomic(`${dir}/${AVAILABILITY_FILE}`, availability, { durable: false });
  await writeFileAtomic(`${dir}/${QUEUE_FILE}`, queueCsv(engine, busy), { durable: false });
  return busy.ms;
}

/**
 * Rewrites the snapshots soon after a change without ever running two writes at once. The pause between writes
 * grows with how long the last one kept this thread busy, so a huge queue costs a bounded share of its time.
 */
export class SnapshotScheduler {
  private dirty = false;
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastCostMs = 0;
  private stopped = false;

  constructor(
    /** writes the snapshots; resolves to the milliseconds of this thread's time that took */
    private readonly write: () => Promise<number>,
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
    // Waiting nineteen times as long as the last write cost caps snapshots at a twentieth of the time.
    const delay = Math.max(this.minIntervalMs, this.lastCostMs * 19, notBeforeMs);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delay);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    this.dirty = false;
    const started = performance.now();
    this.running = this.write().then(
      (costMs) => {
        this.lastCostMs = costMs;
      },
      (error: unknown) => {
        // A write that failed (a full disk, say): the pause before the next follows all the time it took.
        this.lastCostMs = performance.now() - started;
        this.onError(error);
      },
    );
    await this.running;
    this.running = undefined;
    if (this.dirty && !this.timer) this.schedule();
  }
}

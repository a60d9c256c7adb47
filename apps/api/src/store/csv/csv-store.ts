// The embedded store: the engine in memory, the journal on disk. Changes are decided by the engine
// synchronously (so they are serialised by construction), appended to transactions.csv with group
// commit, and answered only once their lines are fsync'd.

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { type FileHandle, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InconsistentEventError, type JournalEvent, TICKET_TYPES, TicketEngine } from '@ticketing/shared';
import {
  type Decision,
  describeEvent,
  EngineStore,
  newTicketId,
  openingEvents,
  reserveTickets,
  toTransaction,
} from '../engine-store.ts';
import { isSearch, LogSearches } from '../log-search.ts';
import { ReplayProgress } from '../replay-progress.ts';
import {
  type Logger,
  type PerType,
  StorageDamagedError,
  StorageUnavailableError,
  silentLogger,
  type TicketStore,
  type TransactionFilter,
} from '../types.ts';
import { fileStamp, removeInterruptedWrites, writeFileAtomic } from './atomic-file.ts';
import { commitFlaskImport, inspectDataDir, readFlaskDataDir, resumeInterruptedImport } from './flask-import.ts';
import {
  decodeEvent,
  encodeEvents,
  JOURNAL_HEADER,
  LineDamagedError,
  SHORTEST_OWNED_REGISTRATION_BYTES,
} from './journal-codec.ts';
import {
  chunkDecoder,
  type JournalIO,
  JournalWriter,
  journalEventAt,
  journalFileLog,
  type LineChunk,
  type LineStart,
  lineCount,
  lineDamage,
  NOT_WRITABLE,
  openJournalIO,
  readJournal,
  readJournalChunks,
  readJournalChunksOnWorker,
  WORKER_READ_BYTES,
} from './journal-file.ts';
import { IDEMPOTENCY_SECRET_FILE, resolveStaffToken, STAFF_TOKEN_FILE } from './kept-secrets.ts';
import { type DataDirLock, lockDataDir } from './lock.ts';
import { AVAILABILITY_FILE, QUEUE_FILE, SnapshotScheduler, writeSnapshots } from './snapshots.ts';

export const JOURNAL_FILE = 'transactions.csv';
/** The data directory's files that are written whole (writeFileAtomic): a new journal, the snapshots, the secrets. */
const ATOMICALLY_WRITTEN = [JOURNAL_FILE, QUEUE_FILE, AVAILABILITY_FILE, STAFF_TOKEN_FILE, IDEMPOTENCY_SECRET_FILE];
/** How many of the newest events the transaction log serves from memory. */
const RECENT_EVENTS = 5000;
/** How long after opening the data directory its snapshots are first rewritten. */
const STARTUP_SNAPSHOT_DELAY_MS = 1000;

export interface CsvStoreOptions {
  dataDir: string;
  /** capacities of a new event (used only when the data directory has no journal yet) */
  initialCapacity: PerType<number>;
  logger?: Logger;
  now?: () => Date;
  /** opens the journal for appending; tests pass one that fails on demand */
  openJournal?: (path: string) => Promise<JournalIO>;
  /** shortest pause between two rewrites of queue.csv / availability.json */
  snapshotIntervalMs?: number;
  /** how many of the newest events the transaction log serves from memory */
  recentEvents?: number;
  /** a replay or a search that reads this many bytes of the journal or more reads them on a worker thread */
  workerReadBytes?: number;
  /** how often a long replay at start logs how far it has got */
  progressIntervalMs?: number;
}

/** Opens (creating, importing or recovering as needed) the data directory and locks it. */
export async function openCsvStore(options: CsvStoreOptions): Promise<CsvStore> {
  const dir = resolve(options.dataDir);
  try {
    await mkdir(dir, { recursive: true });
    // Before the lock, so another server may be probing too: a name of its own (two containers can both be pid 1).
    const probe = join(dir, `.write-test-${process.pid}-${randomBytes(6).toString('hex')}`);
    await (await open(probe, 'w')).close();
    await rm(probe);
  } catch (error) {
    throw new StorageUnavailableError(
      `The data directory ${dir} cannot be created or written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Set DATA_DIR to a writable directory.`,
      { cause: error },
    );
  }
  const lock = await lockDataDir(dir);
  try {
    const store = new CsvStore(dir, lock, options);
    await store.load();
    return store;
  } catch (error) {
    await lock.release();
    throw error;
  }
}

export class CsvStore extends EngineStore implements TicketStore {
  readonly kind = 'csv';
  private engine = new TicketEngine();
  private writer!: JournalWriter;
  /** the writer whose failure memory was rebuilt after, and the journal's size then */
  private rebuilt: { after: JournalWriter; bytes: number } | undefined;
  private readonly rebuild = new Attempts(() => this.rebuildFromJournal());
  private readonly reopen = new Attempts(() => this.reopenJournal());
  private readonly journalPath: string;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly snapshots: SnapshotScheduler;
  private readonly searches: LogSearches<LineStart>;
  private recent: RecentEvents;
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly lock: DataDirLock,
    private readonly options: CsvStoreOptions,
  ) {
    super();
    this.recent = new RecentEvents(options.recentEvents ?? RECENT_EVENTS);
    this.journalPath = join(dir, JOURNAL_FILE);
    this.searches = new LogSearches(journalFileLog(this.journalPath, options.workerReadBytes));
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? (() => new Date());
    this.snapshots = new SnapshotScheduler(
      () => writeSnapshots(this.dir, this.engine),
      (error) => this.logger.error(`Could not rewrite queue.csv / availability.json: ${(error as Error).message}`),
      options.snapshotIntervalMs,
    );
  }

  // ---- start-up -------------------------------------------------------------------------------

  /** @internal called once by openCsvStore */
  async load(): Promise<void> {
    await this.removeLeftoverTemporaryFiles();
    await this.createOrImportJournal();
    let { engine, bytes, recent } = await this.replayJournal();
    if (engine.lastSeq === 0) {
      // A journal with no event (only its header, as an earlier version could leave after a crash during the
      // first start): start the event afresh, unless the snapshots show there was one.
      await this.refuseIfJournalLost();
      await this.writeNewJournal(this.newEventEvents());
      ({ engine, bytes, recent } = await this.replayJournal());
    }
    this.engine = engine;
    this.recent = recent;
    this.writer = await this.newWriter(bytes);
    // A change's lines are written together, but a crash can tear the last of them off: a cancellation kept
    // without its promotion would leave a seat for the next in the queue while the waitlist waits.
    const promoted = await this.change((current, at) => current.fillFreeSeats(at));
    if (promoted > 0) {
      this.logger.warn(`Gave ${promoted} free seat(s) to the waitlist: the journal's last change was cut short.`);
    }
    // queue.csv and availability.json may be missing or behind the journal: rebuild them soon after the
    // start, but not while the server is still getting ready to listen (a long queue takes a while).
    this.snapshots.markDirty(STARTUP_SNAPSHOT_DELAY_MS);
    this.logger.info(`Data directory ${this.dir}: ${describeEvent(engine)}.`);
  }

  /**
   * Removes the temporary files of snapshot (or journal) writes that a crash cut short: each is as large as
   * queue.csv. Safe only now that the lock is held, so no other server is writing one.
   */
  private async removeLeftoverTemporaryFiles(): Promise<void> {
    const removed = await removeInterruptedWrites(this.dir, ATOMICALLY_WRITTEN);
    if (removed.length > 0) {
      this.logger.info(
        `Removed ${removed.length} temporary file(s) left by writes a crash cut short: ${removed.join(', ')}.`,
      );
    }
  }

  /**
   * Leaves a journal in place: the one there, one imported from the original app's files, or a new event's.
   * Refuses to start a new event over files that neither this server nor the original app wrote, and keeps
   * aside a snapshot file beside the journal that this server did not write (see inspectDataDir).
   */
  private async createOrImportJournal(): Promise<void> {
    const resumed = await resumeInterruptedImport(this.dir, this.now());
    if (resumed) this.logger.warn(resumed);
    const contents = await inspectDataDir(this.dir);
    if (contents.kind === 'journal') {
      const stamp = fileStamp(this.now());
      for (const path of contents.foreign) {
        await rename(path, `${path}.replaced-${stamp}`);
        this.logger.warn(
          `${path} was not written by this server; it is kept as ${path}.replaced-${stamp} and rebuilt from the journal.`,
        );
      }
      return;
    }
    if (contents.kind === 'flask') {
      const now = this.now();
      const { events, warnings } = await readFlaskDataDir(this.dir, {
        now,
        newId: newTicketId,
        fallbackCapacity: this.options.initialCapacity,
      });
      // Logged before anything on disk changes, so a crash during the import cannot lose them.
      for (const warning of warnings) this.logger.warn(`Importing the original app's data: ${warning}`);
      const keptIn = await commitFlaskImport(this.dir, events, {
        now,
        writeJournal: (path, lines) => writeJournalFile(path, lines, { overwrite: false }),
      });
      this.logger.info(`Imported the original app's data (${events.length} events); its files are kept in ${keptIn}.`);
      return;
    }
    await this.refuseIfJournalLost();
    await this.writeNewJournal(this.newEventEvents());
  }

  /** The events that open a new event: its capacities. */
  private newEventEvents(): JournalEvent[] {
    return openingEvents(this.options.initialCapacity, this.now().toISOString());
  }

  /** availability.json that counts events while the journal is gone means the journal was lost. */
  private async refuseIfJournalLost(): Promise<void> {
    const refuse = (evidence: string) =>
      new StorageDamagedError(
        `${this.journalPath} is missing or empty, but ${evidence}. Restore the journal from a backup; the server will not start an empty event over a lost one.`,
      );
    const availability = join(this.dir, AVAILABILITY_FILE);
    const seq = await readFile(availability, 'utf8')
      .then((text) => Number(JSON.parse(text).journal_seq))
      .catch(() => 0);
    if (seq > TICKET_TYPES.length) throw refuse(`${availability} describes ${seq} events`);
    const queue = join(this.dir, QUEUE_FILE);
    const queued = await readFile(queue, 'utf8')
      .then((text) => text.split('\n').filter((line) => line.trim() !== '').length - 1)
      .catch(() => 0);
    if (queued > 0) throw refuse(`${queue} lists ${queued} people in line`);
  }

  /** Replaces a missing, empty or eventless journal (never one with events: see its callers) with a new one. */
  private async writeNewJournal(events: JournalEvent[]): Promise<void> {
    await writeJournalFile(this.journalPath, events, { overwrite: true });
  }

  /** Rebuilds the engine from the journal; repairs a torn last line; refuses any other damage. */
  private async replayJournal(): Promise<{ engine: TicketEngine; bytes: number; recent: RecentEvents }> {
    const engine = new TicketEngine();
    const recent = new RecentEvents(this.options.recentEvents ?? RECENT_EVENTS);
    const { size } = await stat(this.journalPath);
    reserveTickets(engine, Math.ceil(size / SHORTEST_OWNED_REGISTRATION_BYTES));
    // A long journal is read, and its checksums checked, on another thread while this one replays it.
    const onWorker = size >= (this.options.workerReadBytes ?? WORKER_READ_BYTES);
    // The newest chunks of lines, decoded again at the end for the in-memory log. Holding every event until
    // it is old enough to drop would make the garbage collector copy a good share of a million of them.
    const newest: LineChunk[] = [];
    let newestLines = 0;
    let lines = 1; // the header
    const chunks = onWorker ? readJournalChunksOnWorker(this.journalPath) : readJournalChunks(this.journalPath);
    const range = { from: 0, to: size };
    const progress = new ReplayProgress(this.logger, this.journalPath, range, this.options.progressIntervalMs);
    try {
      for (let next = await chunks.next(); ; next = await chunks.next()) {
        if (next.done) {
          const { tornTail, end } = next.value;
          for (const chunk of newest) {
            for (let i = 0; i < lineCount(chunk); i++) recent.add(journalEventAt(chunk, i, this.journalPath));
          }
          const bytes = tornTail.length > 0 ? await this.settleTail(engine, recent, tornTail, end, lines + 1) : end;
          return { engine, bytes, recent };
        }
        const chunk = next.value;
        lines = chunk.firstLine + lineCount(chunk) - 1;
        // Events to apply at once, not to keep: the recent log decodes its own copies at the end.
        const decoder = chunkDecoder(chunk);
        for (let i = 0; i < lineCount(chunk); i++) {
          try {
            engine.apply(journalEventAt(chunk, i, this.journalPath, decoder));
          } catch (error) {
            if (!(error instanceof InconsistentEventError)) throw error;
            throw lineDamage(this.journalPath, chunk.firstLine + i, error.message);
          }
        }
        progress.update(chunk.offset + (chunk.starts.at(-1) as number), engine.lastSeq);
        newest.push(chunk);
        newestLines += lineCount(chunk);
        // Enough chunks to hold recent.capacity lines, and no more.
        while (newest.length > 1 && newestLines - lineCount(newest[0] as LineChunk) >= recent.capacity) {
          newestLines -= lineCount(newest.shift() as LineChunk);
        }
      }
    } catch (error) {
      if (!(error instanceof StorageDamagedError)) throw error;
      throw new StorageDamagedError(
        `${error.message} The server will not start until it is repaired or restored from a backup.`,
      );
    }
  }

  /**
   * Settles what follows the journal's last line break (line `line`), returning the journal's length after.
   * A whole event with only its line break missing (an editor that drops the last one, or a crash between
   * the two) is kept and its line ended. The start of a line a crash interrupted is cut off: it was never
   * acknowledged, as answers wait for whole lines. More than any crash leaves is damage, and refused.
   */
  private async settleTail(
    engine: TicketEngine,
    recent: RecentEvents,
    tail: Buffer,
    end: number,
    line: number,
  ): Promise<number> {
    const event = wholeEvent(tail);
    if (event) {
      try {
        engine.apply(event);
      } catch (error) {
        if (error instanceof InconsistentEventError) throw lineDamage(this.journalPath, line, error.message);
        throw error;
      }
      await appendDurably(this.journalPath, '\n');
      recent.add(event);
      this.logger.warn(
        `${this.journalPath} line ${line} (event ${event.seq}) had no line break after it; the event is whole, so it is kept, and the line break was added.`,
      );
      return end + tail.length + 1;
    }
    if (tail.length > TORN_TAIL_MAX) {
      throw new StorageDamagedError(
        `${this.journalPath} ends in ${tail.length} bytes that are not a journal line (from line ${line}), more than a crash part way through a write leaves: the file was damaged or written by another program.`,
      );
    }
    await truncateDurably(this.journalPath, end);
    const text = tail.toString('utf8');
    // The zeros a power cut can leave are said in words: quoted, each would be six characters of "\u0000".
    const shown = /^\0+$/.test(text) ? 'zero bytes only' : JSON.stringify(text.slice(0, 200));
    this.logger.warn(
      `Repaired ${this.journalPath}: removed an incomplete last line left by a crash (${tail.length} bytes, never acknowledged): ${shown}`,
    );
    return end;
  }

  private async newWriter(bytes: number): Promise<JournalWriter> {
    return this.writerOn(await this.openJournalIO(), bytes);
  }

  private openJournalIO(): Promise<JournalIO> {
    return (this.options.openJournal ?? openJournalIO)(this.journalPath);
  }

  private writerOn(io: JournalIO, bytes: number): JournalWriter {
    return new JournalWriter(io, {
      durable: { seq: this.engine.lastSeq, bytes },
      onDurable: () => {
        this.snapshots.markDirty();
      },
      cutBack: (durableBytes) => truncateDurably(this.journalPath, durableBytes),
    });
  }

  // ---- changes --------------------------------------------------------------------------------

  /** Decides a change on the engine, then waits until its events are durable. */
  protected async change<T>(decision: Decision<T>): Promise<T> {
    if (this.closed || this.writer.failed) await this.ensureWritable();
    const { result, events } = decision(this.engine, this.now().toISOString());
    const last = events.at(-1);
    if (last) {
      await this.writer.append(encodeEvents(events), last.seq);
      for (const event of events) this.recent.add(event);
    } else await this.writer.waitFor(this.engine.lastSeq);
    return result;
  }

  /** Answers from memory, but only with state whose journal lines are already on disk. */
  protected async read<T>(query: (engine: TicketEngine) => T): Promise<T> {
    // The common case, nothing failed and nothing waiting for the disk, answers without a detour.
    if (this.readableAtOnce()) return query(this.engine);
    await this.ensureReadable();
    const result = query(this.engine);
    await this.writer.waitFor(this.engine.lastSeq);
    return result;
  }

  // ---- reads ----------------------------------------------------------------------------------

  summary() {
    return this.read((engine) => engine.summary());
  }

  summaryAtOnce() {
    return this.readableAtOnce() ? this.engine.summary() : undefined;
  }

  /** Every change in memory is on disk, and none was refused since: a read needs no detour. */
  private readableAtOnce(): boolean {
    return !this.closed && this.memoryIsDurable() && this.engine.lastSeq <= this.writer.durableSeq;
  }

  /** Memory holds no change the journal refused: none failed, or memory was rebuilt from the journal since. */
  private memoryIsDurable(): boolean {
    return !this.writer.failed || this.rebuilt?.after === this.writer;
  }

  staffToken(configured: string | undefined): Promise<string> {
    return resolveStaffToken(configured, this.dir);
  }

  /**
   * The log, newest first: its newest pages from memory; searches, and pages of the whole log beyond those, from
   * the journal on disk (it is the log), read once and then as it grows (LogSearches).
   */
  async transactions(filter: TransactionFilter) {
    await this.ensureReadable();
    const unfiltered = !isSearch(filter);
    // Events after up_to_seq are left out, as if the log had stopped there.
    const newer = filter.up_to_seq === undefined ? 0 : Math.max(0, this.recent.lastSeq - filter.up_to_seq);
    if (unfiltered && newer + filter.offset + filter.limit <= this.recent.size) {
      // The dashboard's live view: the newest pages, from memory. Seqs have no gaps, so the newest is the count.
      const items = this.recent.newestFirst(newer + filter.offset, filter.limit).map(toTransaction);
      return { items, total: this.recent.lastSeq - newer };
    }
    return this.searches.page(filter, this.writer.durableBytes);
  }

  journal(): AsyncGenerator<JournalEvent> {
    return readJournal(this.journalPath, this.writer.durableBytes);
  }

  // ---- health and shutdown --------------------------------------------------------------------

  async health() {
    if (this.closed) return { ready: false, detail: 'closed' };
    // A probe may be the only caller while a balancer keeps requests away: it tries the recovery too.
    if (this.writer.failed) await this.ensureWritable().catch(() => {});
    const failure = this.writer.failed;
    return failure
      ? { ready: false, detail: `journal not writable: ${(failure as NodeJS.ErrnoException).code ?? failure.message}` }
      : { ready: true };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writer.close();
    // Lines of a failed write were refused: if the writer could not cut them off, they must not come back.
    if (this.writer.failed) await truncateDurably(this.journalPath, this.writer.durableBytes).catch(() => {});
    // Changes the journal refused must not reach the snapshots either.
    await this.snapshots.close(this.memoryIsDurable());
    await this.lock.release();
  }

  /** Before a read: memory must hold only what the journal holds. */
  private async ensureReadable(): Promise<void> {
    if (this.closed) throw new StorageUnavailableError('The server is shutting down.');
    if (!this.memoryIsDurable()) await this.rebuild.run();
  }

  /** Before a change: memory as the journal has it, and a journal that takes writes. */
  private async ensureWritable(): Promise<void> {
    await this.ensureReadable();
    if (this.writer.failed) await this.reopen.run();
  }

  /**
   * After a failed write memory holds changes that never reached the disk. Cuts the journal back to its last
   * durable byte (a write can fail half-done) and rebuilds memory from it, once: reads need nothing more, so
   * the summary and tickets are still served while the disk is full. Changes wait for reopenJournal.
   */
  private async rebuildFromJournal(): Promise<void> {
    const failed = this.writer;
    try {
      await failed.close().catch(() => {});
      await truncateDurably(this.journalPath, failed.durableBytes);
      const { engine, bytes, recent } = await this.replayJournal();
      this.engine = engine;
      this.recent = recent;
      this.rebuilt = { after: failed, bytes };
      this.searches.clear();
      this.snapshots.markDirty();
      this.logger.warn(
        `State rebuilt from ${engine.lastSeq} durable events; changes are refused until the journal can be written.`,
      );
    } catch (error) {
      this.logger.error(`Could not rebuild the state from the journal: ${(error as Error).message}`);
      throw new StorageUnavailableError(NOT_WRITABLE, { cause: error });
    }
  }

  /** Once memory matches the journal: opens the journal again if its disk takes a real write. */
  private async reopenJournal(): Promise<void> {
    const bytes = (this.rebuilt as { bytes: number }).bytes;
    try {
      const io = await this.openJournalIO();
      await io.probe().catch(async (error) => {
        await io.close().catch(() => {});
        throw error;
      });
      this.writer = this.writerOn(io, bytes);
      this.logger.warn(`Journal writable again at ${this.engine.lastSeq} durable events.`);
    } catch (error) {
      this.logger.error(`Journal still not writable: ${(error as Error).message}`);
      throw new StorageUnavailableError(NOT_WRITABLE, { cause: error });
    }
  }
}

/**
 * One attempt at a time, shared by every caller that needs it meanwhile. After an attempt fails, callers are
 * refused for a second rather than each trying again, so a failing disk is not hammered by every request.
 */
class Attempts {
  private running: Promise<void> | undefined;
  private failedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly attempt: () => Promise<void>) {}

  run(): Promise<void> {
    if (this.running) return this.running;
    if (Date.now() - this.failedAt < 1000) return Promise.reject(new StorageUnavailableError(NOT_WRITABLE));
    this.running = this.attempt()
      .catch((error: unknown) => {
        this.failedAt = Date.now();
        throw error;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}

/**
 * The most that can follow the journal's last line break after a crash: the rest of the write it interrupted,
 * a batch of lines (or the zeros a file system can leave in its place). One batch holds the changes that
 * arrived during one fsync, a few hundred kilobytes at the most; anything longer is damage.
 */
const TORN_TAIL_MAX = 16 * 1024 * 1024;

/** The event in `bytes` when they are one whole journal line without its line break; else undefined. */
function wholeEvent(bytes: Buffer): JournalEvent | undefined {
  try {
    return decodeEvent(bytes);
  } catch (error) {
    if (error instanceof LineDamagedError) return undefined;
    throw error;
  }
}

/** Changes a file through a handle opened with `flags`, and waits until the change is on disk. */
async function changeDurably(path: string, flags: 'a' | 'r+', change: (handle: FileHandle) => Promise<unknown>) {
  const handle = await open(path, flags);
  try {
    await change(handle);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const appendDurably = (path: string, text: string) => changeDurably(path, 'a', (handle) => handle.write(text));

/** Cuts a file back to `bytes` and waits until the cut is on disk. */
const truncateDurably = (path: string, bytes: number) => changeDurably(path, 'r+', (handle) => handle.truncate(bytes));

/**
 * Writes a complete journal file (header and events) and makes it durable. It appears whole or not at all (a
 * temporary file, fsync'd, then renamed): a crash part way must not leave a journal cut short, which the next
 * start would take for a whole one with a torn last line. Unless `overwrite`, an existing file is an error;
 * checked before writing, which is enough as long as nothing else writes that path meanwhile (the callers
 * hold the data directory's lock, or write into a new directory).
 */
export async function writeJournalFile(
  path: string,
  events: Iterable<JournalEvent> | AsyncIterable<JournalEvent>,
  options: { overwrite: boolean },
): Promise<void> {
  if (!options.overwrite && existsSync(path)) throw new Error(`${path} already exists.`);
  const text = async function* () {
    yield `${JOURNAL_HEADER}\n`;
    let batch: JournalEvent[] = [];
    for await (const event of events) {
      batch.push(event);
      if (batch.length === 5000) {
        yield encodeEvents(batch);
        batch = [];
      }
    }
    yield encodeEvents(batch);
  };
  await writeFileAtomic(path, text(), { durable: true });
}

/** The newest journal events, kept in memory so the log's first pages never read the file. */
class RecentEvents {
  private readonly events: JournalEvent[] = [];

  constructor(readonly capacity: number) {}

  add(event: JournalEvent): void {
    this.events.push(event);
    if (this.events.length > this.capacity * 2) this.events.splice(0, this.events.length - this.capacity);
  }

  get size(): number {
    return Math.min(this.events.length, this.capacity);
  }

  /** seq of the newest event held, 0 when none */
  get lastSeq(): number {
    return this.events.at(-1)?.seq ?? 0;
  }

  newestFirst(offset: number, limit: number): JournalEvent[] {
    const end = this.events.length - offset;
    return this.events.slice(Math.max(0, end - limit), Math.max(0, end)).reverse();
  }
}

// Appending to the journal with group commit, and reading it back line by line.

import { once } from 'node:events';
import { constants, createReadStream } from 'node:fs';
import { type FileHandle, open, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { JournalEvent } from '@ticketing/shared';
import type { SearchedLog } from '../log-search.ts';
import { StorageDamagedError, StorageUnavailableError } from '../types.ts';
import {
  CELL_BOUNDS_PER_LINE,
  CHECKSUM_MISMATCH,
  ChunkDecoder,
  decodeEvent,
  JOURNAL_HEADER,
  LineDamagedError,
} from './journal-codec.ts';
import { type CheckedLineChunk, readCheckedLineChunksOnWorker, type WorkerReadOptions } from './worker-line-reader.ts';

/** The file operations the journal needs; tests substitute ones that fail. */
export interface JournalIO {
  /** appends and returns once the data is on stable storage */
  appendDurably(data: string): Promise<void>;
  /**
   * Checks, without touching the journal, that its disk takes durable writes again after a failure. An
   * fsync with nothing to write succeeds on a full disk, so this writes (and removes) a file of its own.
   */
  probe(): Promise<void>;
  close(): Promise<void>;
}

/** What a request is told when the journal cannot be written. */
export const NOT_WRITABLE = 'The ticket journal cannot be written; nothing was changed.';
/** What the requests of a write are told when it failed part-way and what it wrote could not be cut off. */
export const MAYBE_WRITTEN =
  'The ticket journal could not be written, and part of this change may be on disk, so it may or may not have been saved. Check (for example, look the ticket up) before trying again.';

/** What the probe writes: room for a good many batches of journal lines. */
const PROBE_BYTES = 64 * 1024;

export async function openJournalIO(path: string): Promise<JournalIO> {
  // O_DSYNC makes each write return only once its data is durable: one system call (and one trip to
  // the thread pool) per batch instead of a write followed by an fdatasync.
  const { O_WRONLY, O_APPEND, O_CREAT, O_DSYNC } = constants;
  const handle = await open(path, O_WRONLY | O_APPEND | O_CREAT | O_DSYNC, 0o644);
  // Named as writeFileAtomic names its temporary files, so one a crash leaves behind is removed at start.
  const probePath = join(dirname(path), `.${basename(path)}-probe.${process.pid}.tmp`);
  return {
    appendDurably: (data) => writeAll(handle, Buffer.from(data, 'utf8')),
    probe: async () => {
      const probe = await open(probePath, O_WRONLY | O_CREAT | O_DSYNC, 0o600);
      try {
        await writeAll(probe, Buffer.alloc(PROBE_BYTES));
      } finally {
        await probe.close();
        await rm(probePath, { force: true });
      }
    },
    close: () => handle.close(),
  };
}

async function writeAll(handle: FileHandle, buffer: Buffer): Promise<void> {
  for (let written = 0; written < buffer.length; ) {
    written += (await handle.write(buffer, written, buffer.length - written)).bytesWritten;
  }
}

interface Batch {
  text: string[];
  lastSeq: number;
  done: Promise<void>;
  resolve: () => void;
  reject: (error: Error) => void;
}

function newBatch(): Batch {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A batch nobody awaited must not crash the process when it fails.
  done.catch(() => {});
  return { text: [], lastSeq: 0, done, resolve, reject };
}

/**
 * Group commit: lines appended while a write+fsync is in flight wait for the next one, so a thousand
 * concurrent requests cost a handful of fsyncs, and none is acknowledged before its line is on disk.
 * After a failed write the writer refuses everything until the owner recovers with a new writer.
 */
export class JournalWriter {
  private next = newBatch();
  private inflight: Batch | undefined;
  private flushing = false;
  /** the running flush loop, if any */
  private flushed: Promise<void> = Promise.resolve();
  private failure: Error | undefined;

  private durable: { seq: number; bytes: number };

  constructor(
    private readonly io: JournalIO,
    private readonly options: {
      /** the journal's last durable event and its size in bytes */
      durable: { seq: number; bytes: number };
      onDurable: (seq: number) => void;
      /**
       * Cuts the file back to its durable bytes after a failed write. A write can fail part-way (a full
       * disk), leaving whole lines whose requests are refused: they must not come back at the next start.
       */
      cutBack: (durableBytes: number) => Promise<void>;
    },
  ) {
    this.durable = options.durable;
  }

  get durableSeq(): number {
    return this.durable.seq;
  }

  get durableBytes(): number {
    return this.durable.bytes;
  }

  get failed(): Error | undefined {
    return this.failure;
  }

  /** Resolves once these lines (and all before them) are on disk. */
  append(text: string, lastSeq: number): Promise<void> {
    if (this.failure) return Promise.reject(this.unavailable());
    this.next.text.push(text);
    this.next.lastSeq = lastSeq;
    const { done } = this.next;
    if (!this.flushing) this.flushed = this.flush();
    return done;
  }

  /** Resolves once everything up to seq is on disk (immediately if it already is). */
  async waitFor(seq: number): Promise<void> {
    if (seq <= this.durable.seq) return;
    if (this.failure) throw this.unavailable();
    await (this.inflight && seq <= this.inflight.lastSeq ? this.inflight.done : this.next.done);
  }

  async close(): Promise<void> {
    await this.flushed;
    await this.io.close();
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.next.text.length > 0 && !this.failure) {
      const batch = this.next;
      this.inflight = batch;
      this.next = newBatch();
      const text = batch.text.join('');
      try {
        await this.io.appendDurably(text);
      } catch (error) {
        this.failure = error as Error;
        // The owner recovers (cutting back again) when this fails too; meanwhile every request is refused.
        const cut = await this.options.cutBack(this.durable.bytes).then(
          () => true,
          () => false,
        );
        // Not cut off, lines of this batch may be read at the next start: its requests cannot be told "nothing
        // was changed".
        batch.reject(cut ? this.unavailable() : new StorageUnavailableError(MAYBE_WRITTEN, { cause: error }));
        // Later lines were decided on top of these, so they fail with them; they were never written.
        this.next.reject(this.unavailable());
        break;
      } finally {
        this.inflight = undefined;
      }
      this.durable = { seq: batch.lastSeq, bytes: this.durable.bytes + Buffer.byteLength(text) };
      this.options.onDurable(batch.lastSeq);
      batch.resolve();
    }
    this.flushing = false;
  }

  private unavailable(): StorageUnavailableError {
    return new StorageUnavailableError(NOT_WRITABLE, {
      cause: this.failure,
    });
  }
}

/** Whole lines of a file, as bytes. */
export interface LineChunk {
  bytes: Buffer;
  /** where in the file bytes[0] is */
  offset: number;
  /** line i of the chunk runs from starts[i] up to its line break at starts[i + 1] - 1 */
  starts: number[];
  /** 1-based number in the file of the chunk's first line */
  firstLine: number;
  /** where its lines' cells are, when the worker found them (and checked the lines' checksums): see CELL_BOUNDS_PER_LINE */
  cells?: Int32Array;
}

/** The start of a line of a file: its byte offset and its 1-based number. */
export interface LineStart {
  offset: number;
  line: number;
}

export const FILE_START: LineStart = { offset: 0, line: 1 };

/**
 * From this many bytes on (about 10^5 lines), the journal is read, its checksums checked and its lines cut into
 * cells on a worker thread while this one decodes them: starting the thread costs a few tens of milliseconds,
 * and its work (about 1 µs a line) is then taken off this thread, onto another core.
 */
export const WORKER_READ_BYTES = 16 * 1024 * 1024;

/**
 * Reads complete lines up to `limit` bytes into the file, a chunk of them at a time (a million-line journal is
 * read without a string or a promise per line), from the start of the file or of a line further on. Whatever
 * follows the last line break is returned separately as the torn tail: the start of a line a crash
 * interrupted. `end` is where the last complete line ends in the file.
 */
export async function* readLineChunks(
  path: string,
  { limit = Number.POSITIVE_INFINITY, from = FILE_START, readBytes = 1 << 20 } = {},
): AsyncGenerator<LineChunk, { tornTail: Buffer; end: number }> {
  if (limit <= from.offset) return { tornTail: Buffer.alloc(0), end: from.offset };
  const stream = createReadStream(path, {
    highWaterMark: readBytes,
    start: from.offset,
    end: limit === Infinity ? undefined : limit - 1,
  });
  // The bytes read since the last line break, which hold none: each read is searched once, and joined to
  // these only when it ends a line, so a long stretch without a line break costs no more than its length.
  let carry: Buffer[] = [];
  let carried = 0;
  let end = from.offset; // where the complete lines read so far end in the file
  let lines = from.line - 1;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const first = chunk.indexOf(10);
      if (first === -1) {
        carry.push(chunk);
        carried += chunk.length;
        continue;
      }
      const bytes = carried > 0 ? Buffer.concat([...carry, chunk]) : chunk;
      const starts = [0];
      for (let nl = carried + first; nl !== -1; nl = bytes.indexOf(10, nl + 1)) starts.push(nl + 1);
      const whole = starts.at(-1) as number;
      carry = whole < bytes.length ? [bytes.subarray(whole)] : [];
      carried = bytes.length - whole;
      // Counted before the chunk is handed out: its reader may take lines off it (the journal's header).
      const count = starts.length - 1;
      yield { bytes, offset: end, starts, firstLine: lines + 1 };
      lines += count;
      end += whole;
    }
  } finally {
    if (!stream.destroyed) {
      stream.destroy();
      await once(stream, 'close').catch(() => {});
    }
  }
  return { tornTail: Buffer.concat(carry), end };
}

/**
 * The event lines of a journal file up to `limit` bytes, a chunk at a time, after checking its header; from the
 * start, or from the start of a line further on. Returns what follows the last complete line (the torn tail a
 * crash can leave) and where that line ended.
 */
export function readJournalChunks(
  path: string,
  { limit, from }: { limit?: number; from?: LineStart } = {},
): AsyncGenerator<LineChunk, { tornTail: Buffer; end: number }> {
  return journalChunks(path, readLineChunks(path, { limit, from }));
}

/**
 * readJournalChunks on a worker thread that also checks every line's checksum and finds its cells (see
 * worker-line-reader.ts): a line whose checksum does not match throws StorageDamagedError once the lines
 * before it are handed out, as decoding it would. For a long read: see WORKER_READ_BYTES.
 */
export function readJournalChunksOnWorker(
  path: string,
  { from = FILE_START, ...options }: Partial<WorkerReadOptions> = {},
): AsyncGenerator<LineChunk, { tornTail: Buffer; end: number }> {
  return journalChunks(path, readCheckedLineChunksOnWorker(path, { from, ...options }));
}

async function* journalChunks(
  path: string,
  chunks: AsyncGenerator<CheckedLineChunk, { tornTail: Buffer; end: number }>,
): AsyncGenerator<LineChunk, { tornTail: Buffer; end: number }> {
  try {
    for (let next = await chunks.next(); ; next = await chunks.next()) {
      if (next.done) return next.value;
      const { damagedLine, ...chunk } = next.value;
      if (chunk.firstLine === 1) {
        const header = chunk.bytes.toString('utf8', 0, (chunk.starts[1] as number) - 1).replace(/^\uFEFF/, '');
        if (header === `${JOURNAL_HEADER}\r`) {
          // What saving the file from a spreadsheet or a Windows editor does; the checksums then fail too.
          throw new StorageDamagedError(
            `${path} has Windows line endings (CRLF): it was saved by another program. The server writes and reads it with LF line breaks only; restore it from a backup, or convert it back (for example with dos2unix).`,
          );
        }
        if (header !== JOURNAL_HEADER) {
          throw new StorageDamagedError(`${path} line 1: the header is not "${JOURNAL_HEADER}".`);
        }
        chunk.starts.shift();
        yield { ...chunk, firstLine: 2, cells: chunk.cells?.subarray(CELL_BOUNDS_PER_LINE) };
      } else {
        yield chunk;
      }
      if (damagedLine !== undefined) throw lineDamage(path, damagedLine, CHECKSUM_MISMATCH);
    }
  } finally {
    // A reader that stops early leaves no file open and no thread reading.
    await chunks.return({ tornTail: Buffer.alloc(0), end: 0 });
  }
}

/** How many lines a chunk holds. */
export function lineCount(chunk: LineChunk): number {
  return chunk.starts.length - 1;
}

/**
 * A decoder for a chunk's lines. A chunk read on the worker comes with its lines' cells, and its lines' checksums
 * were checked there: they are not checked again.
 */
export function chunkDecoder(chunk: LineChunk): ChunkDecoder {
  return new ChunkDecoder(chunk.bytes, chunk.starts, chunk.cells === undefined, chunk.cells);
}

/**
 * The event on line i of a chunk; StorageDamagedError names the line when it is damaged. With a decoder for
 * the chunk, lines must be read in order, and the event is only good for applying at once.
 */
export function journalEventAt(chunk: LineChunk, i: number, path: string, decoder?: ChunkDecoder): JournalEvent {
  try {
    if (decoder) return decoder.event(i);
    return decodeEvent(chunk.bytes, chunk.starts[i] as number, (chunk.starts[i + 1] as number) - 1);
  } catch (error) {
    if (!(error instanceof LineDamagedError)) throw error;
    throw lineDamage(path, chunk.firstLine + i, error.message);
  }
}

export function lineDamage(path: string, line: number, what: string): StorageDamagedError {
  return new StorageDamagedError(`${path} line ${line} is damaged: ${what}.`);
}

/** The events of a journal file up to `limit` bytes; stops with StorageDamagedError on a damaged line. */
export async function* readJournal(path: string, limit?: number): AsyncGenerator<JournalEvent> {
  for await (const chunk of readJournalChunks(path, { limit })) {
    for (let i = 0; i < lineCount(chunk); i++) yield journalEventAt(chunk, i, path);
  }
}

/** A journal line's length is not kept: a search's page reads this much at a line's start, and more if it is longer. */
const LINE_READ_BYTES = 1024;

/**
 * The journal file as a log search reads it (see LogSearches): up to a number of bytes into the file, from the
 * start of a line; each event found at the byte its line starts at.
 */
export function journalFileLog(path: string, workerReadBytes = WORKER_READ_BYTES): SearchedLog<LineStart> {
  return {
    start: FILE_START,
    name: path,
    reached: (next) => next.offset,
    async read(from, end, visit) {
      let next = from;
      const onWorker = end - from.offset >= workerReadBytes;
      const chunks = (onWorker ? readJournalChunksOnWorker : readJournalChunks)(path, { limit: end, from });
      for await (const chunk of chunks) {
        // Events only looked at, not kept: the decoder's are cheaper, and good for as long as this loop holds them.
        const decoder = chunkDecoder(chunk);
        const lines = lineCount(chunk);
        for (let i = 0; i < lines; i++) {
          visit(journalEventAt(chunk, i, path, decoder), chunk.offset + (chunk.starts[i] as number));
        }
        next = { offset: chunk.offset + (chunk.starts[lines] as number), line: chunk.firstLine + lines };
      }
      return next;
    },
    async fetch(starts) {
      const file = await open(path, 'r');
      try {
        const events: JournalEvent[] = [];
        for (const start of starts) {
          try {
            let line: Buffer | undefined;
            for (let size = LINE_READ_BYTES; line === undefined; size *= 4) line = await readLineAt(file, start, size);
            events.push(decodeEvent(line));
          } catch (error) {
            if (!(error instanceof LineDamagedError)) throw error;
            // It was whole when the search read it: the file was changed while the server ran.
            throw new StorageDamagedError(`${path} at byte ${start} is damaged: ${error.message}.`);
          }
        }
        return events;
      } finally {
        await file.close();
      }
    },
  };
}

/** The line starting at `start`, without its line break; undefined when it is longer than `size` bytes. */
async function readLineAt(file: FileHandle, start: number, size: number): Promise<Buffer | undefined> {
  const buffer = Buffer.allocUnsafe(size);
  const { bytesRead } = await file.read(buffer, 0, size, start);
  const end = buffer.subarray(0, bytesRead).indexOf(10);
  if (end !== -1) return buffer.subarray(0, end);
  if (bytesRead < size) throw new LineDamagedError('the file ends before its line break');
  return undefined;
}

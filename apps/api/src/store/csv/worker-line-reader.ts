// Reads a long stretch of the journal on a worker thread while the main thread decodes it (a replay at start, a
// first search of the log): the worker reads the file, finds its lines, checks each line's checksum and cuts it
// into cells, and hands each chunk of lines over (moved, not copied) to the main thread, which is left only the
// decoding of events and what it does with them. The other core takes that share of the work.

import { on } from 'node:events';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { CELLS_NOT_FOUND, FIELDS } from './journal-codec.ts';
import type { LineChunk, LineStart } from './journal-file.ts';

/**
 * A chunk of lines read on the worker. A line whose checksum does not match ends the chunk and the reading:
 * its reader is to stop there.
 */
export interface CheckedLineChunk extends LineChunk {
  /** 1-based number of the line after the chunk's last, when that line's checksum did not match */
  damagedLine?: number;
}

/** What the worker posts: a chunk of lines, or the end of the file. */
type WorkerMessage =
  | {
      chunk: {
        bytes: Uint8Array;
        offset: number;
        starts: number[];
        firstLine: number;
        damagedLine?: number;
        cells: Int32Array;
      };
    }
  | { done: { tornTail: Uint8Array; end: number } };

/**
 * The worker's whole program. It is plain JavaScript run from this text (not a module of ours), so it runs
 * the same from the TypeScript sources, in tests and in the built server; it uses nothing but Node itself.
 * Line 1 (the header) has no checksum; what follows the last line break is a torn line the reader deals with.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { closeSync, openSync, readSync } = require('node:fs');
const { crc32 } = require('node:zlib');

const { path, from, limit, readBytes, ahead, fields } = workerData;
/** how many chunks the main thread has taken so far: it counts them up */
const taken = new Int32Array(workerData.taken);

/** The value of the checksum's 8 hex digits at bytes[at], or -1 when one is not a hex digit. */
function checkValue(bytes, at) {
  let value = 0;
  for (let k = at; k < at + 8; k++) {
    const byte = bytes[k] | 0x20; // lower case
    const digit = byte >= 0x30 && byte <= 0x39 ? byte - 0x30 : byte >= 0x61 && byte <= 0x66 ? byte - 0x57 : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

function intact(bytes, start, end) {
  const split = end - 9;
  return split >= start && bytes[split] === 44 && crc32(bytes.subarray(start, split)) === checkValue(bytes, split + 1);
}

/**
 * The bounds of each line's cells (see CELL_BOUNDS_PER_LINE in journal-codec.ts): found here, they are not
 * searched for again on the main thread. A line the decoder is to split itself is marked, not judged.
 */
function cellBounds(bytes, starts) {
  const lines = starts.length - 1;
  const cells = new Int32Array(lines * (fields + 1));
  for (let i = 0; i < lines; i++) {
    const at = i * (fields + 1);
    const start = starts[i];
    const split = starts[i + 1] - 10; // the checksum's comma
    let commas = 0;
    let all = 0;
    let k = start;
    for (; k < split; k++) {
      const byte = bytes[k];
      all |= byte;
      if (byte === 34 || (byte === 44 && ++commas === fields)) break;
      if (byte === 44) cells[at + commas] = k + 1;
    }
    cells[at] = k === split && commas === fields - 1 && all < 0x80 ? start : ${CELLS_NOT_FOUND};
    cells[at + fields] = split + 1;
  }
  return cells;
}

/** Blocks while \`ahead\` of the chunks sent are not taken yet: what is read ahead of the replay stays bounded. */
function waitForRoom(sent) {
  for (let seen = Atomics.load(taken, 0); sent - seen >= ahead; seen = Atomics.load(taken, 0)) {
    Atomics.wait(taken, 0, seen);
  }
}

function readChunks() {
  const fd = openSync(path, 'r');
  try {
    let carry = Buffer.alloc(0); // the start of a line a read cut, read again in front of the next read
    let offset = from.offset; // where carry starts in the file
    let line = from.line; // the number of the line carry starts
    let sent = 0; // chunks posted
    for (;;) {
      // A buffer of its own for each chunk, as it is handed over; at least twice the carry, so that a long
      // stretch without a line break is copied a bounded number of times over.
      const position = offset + carry.length;
      const size = Math.min(Math.max(readBytes, carry.length), limit - position);
      if (size <= 0) return { tornTail: carry, end: offset };
      const buffer = Buffer.allocUnsafeSlow(carry.length + size);
      carry.copy(buffer);
      const read = readSync(fd, buffer, carry.length, size, position);
      if (read === 0) return { tornTail: carry, end: offset };
      const bytes = buffer.subarray(0, carry.length + read);
      const starts = [0];
      for (let nl = bytes.indexOf(10, carry.length); nl !== -1; nl = bytes.indexOf(10, nl + 1)) starts.push(nl + 1);
      let damagedLine;
      for (let i = 0; i < starts.length - 1; i++) {
        if (line + i > 1 && !intact(bytes, starts[i], starts[i + 1] - 1)) {
          damagedLine = line + i;
          starts.length = i + 1;
          break;
        }
      }
      const whole = starts[starts.length - 1];
      carry = Buffer.from(bytes.subarray(whole)); // a copy: the buffer is about to be handed over
      if (whole === 0 && damagedLine === undefined) continue;
      const cells = cellBounds(bytes, starts);
      waitForRoom(sent++);
      parentPort.postMessage({ chunk: { bytes, offset, starts, firstLine: line, damagedLine, cells } }, [
        buffer.buffer,
        cells.buffer,
      ]);
      if (damagedLine !== undefined) return undefined;
      offset += whole;
      line += starts.length - 1;
    }
  } finally {
    closeSync(fd);
  }
}

const done = readChunks();
if (done) parentPort.postMessage({ done });
`;

/** Where and how a worker reads: see readLineChunks, which reads the same on the thread that asks. */
export interface WorkerReadOptions {
  from: LineStart;
  limit?: number;
  readBytes?: number;
  /** the most chunks read and not yet taken by the reader */
  ahead?: number;
}

/**
 * readLineChunks on a worker thread, which also checks each line's checksum (but line 1's, the header) and
 * finds its cells.
 */
export async function* readCheckedLineChunksOnWorker(
  path: string,
  { from, limit = Number.POSITIVE_INFINITY, readBytes = 1 << 20, ahead = 4 }: WorkerReadOptions,
): AsyncGenerator<CheckedLineChunk, { tornTail: Buffer; end: number }> {
  const taken = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { path, from, limit, readBytes, ahead, fields: FIELDS, taken: taken.buffer },
  });
  try {
    for await (const [message] of on(worker, 'message', { close: ['exit'] }) as AsyncIterable<[WorkerMessage]>) {
      if ('done' in message) return { tornTail: asBuffer(message.done.tornTail), end: message.done.end };
      Atomics.add(taken, 0, 1);
      Atomics.notify(taken, 0);
      const { bytes, damagedLine, ...lines } = message.chunk;
      yield { ...lines, bytes: asBuffer(bytes), ...(damagedLine === undefined ? {} : { damagedLine }) };
      if (damagedLine !== undefined) throw new Error(`${path} was not read past its damaged line ${damagedLine}`);
      // The next chunk is often here already, and taking it would not give the event loop a turn: requests
      // would wait for the whole read (a first search of a long log held up every request for most of a second).
      await yieldToEventLoop();
    }
    throw new Error(`the thread reading ${path} stopped before it was done`);
  } finally {
    // A reader that stopped early may leave the thread reading: whatever it fails at now is of no use to anyone,
    // and an 'error' event nobody listens to would end the process.
    worker.on('error', () => {});
    await worker.terminate();
  }
}

/** A Buffer over the same memory (what the worker posted arrives as a plain Uint8Array). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

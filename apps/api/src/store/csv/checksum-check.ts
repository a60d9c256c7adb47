// Checks the checksum of every journal line on a worker thread, while the main thread replays the same lines:
// the other core takes that part of a long start-up.

import { Worker } from 'node:worker_threads';

export interface ChecksumReport {
  /** 1-based line number of the first complete line whose checksum does not match, if any */
  damagedLine?: number;
}

/**
 * The worker's whole program. It is plain JavaScript run from this text (not a module of ours), so it runs
 * the same from the TypeScript sources, in tests and in the built server; it uses nothing but Node itself.
 * Line 1 (the header) has no checksum; what follows the last line break is a torn line the replay deals with.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { closeSync, openSync, readSync } = require('node:fs');
const { crc32 } = require('node:zlib');

const CHECK = /^[0-9a-fA-F]{8}$/;

function intact(bytes, start, end) {
  const split = end - 9;
  if (split < start || bytes[split] !== 44) return false;
  const check = bytes.toString('latin1', split + 1, end);
  return CHECK.test(check) && crc32(bytes.subarray(start, split)) === parseInt(check, 16);
}

function firstDamagedLine(path) {
  const fd = openSync(path, 'r');
  try {
    let buffer = Buffer.alloc(1 << 20);
    let kept = 0;
    let line = 0;
    for (;;) {
      if (kept === buffer.length) buffer = Buffer.concat([buffer, Buffer.alloc(buffer.length)]);
      const read = readSync(fd, buffer, kept, buffer.length - kept, null);
      const view = buffer.subarray(0, kept + read);
      let start = 0;
      for (let nl = view.indexOf(10); nl !== -1; nl = view.indexOf(10, start)) {
        line++;
        if (line > 1 && !intact(view, start, nl)) return line;
        start = nl + 1;
      }
      if (read === 0) return undefined;
      buffer.copy(buffer, 0, start, view.length);
      kept = view.length - start;
    }
  } finally {
    closeSync(fd);
  }
}

parentPort.postMessage({ damagedLine: firstDamagedLine(workerData.path) });
`;

/** Starts checking the journal at `path`; resolves with what the check found. */
export function checkChecksums(path: string): Promise<ChecksumReport> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path } });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the journal checksum check stopped early (exit code ${code})`)));
  });
}

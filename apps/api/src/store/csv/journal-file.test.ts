import { readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/harness.ts';
import { StorageUnavailableError } from '../types.ts';
import { type JournalIO, JournalWriter, openJournalIO, readLineChunks } from './journal-file.ts';

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A journal whose writes wait until released, to see what the writer does meanwhile. */
async function gatedJournal(path: string) {
  const io = await openJournalIO(path);
  const writes: string[] = [];
  let release: () => void = () => {};
  let gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const gated: JournalIO = {
    appendDurably: async (data) => {
      writes.push(data);
      await gate;
      await io.appendDurably(data);
    },
    probe: () => io.probe(),
    close: () => io.close(),
  };
  return {
    io: gated,
    writes,
    open: () => {
      release();
      gate = Promise.resolve();
    },
  };
}

/** A new journal's writer that cuts the file back after a failed write. */
function writerOptions(path: string) {
  return { durable: { seq: 0, bytes: 0 }, onDurable: () => {}, cutBack: (bytes: number) => truncate(path, bytes) };
}

describe('JournalWriter', () => {
  it('groups lines that arrive during a write into the next write, acknowledging each only when written', async () => {
    const path = join(dir, 'journal.csv');
    const journal = await gatedJournal(path);
    const writer = new JournalWriter(journal.io, writerOptions(path));
    const acknowledged: number[] = [];
    const first = writer.append('a\n', 1).then(() => acknowledged.push(1));
    const rest = [2, 3, 4].map((seq) => writer.append(`${seq}\n`, seq).then(() => acknowledged.push(seq)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(acknowledged).toEqual([]);
    journal.open();
    await Promise.all([first, ...rest]);
    expect(acknowledged).toEqual([1, 2, 3, 4]);
    expect(journal.writes).toEqual(['a\n', '2\n3\n4\n']);
    expect(writer.durableSeq).toBe(4);
    await writer.close();
    expect(await readFile(path, 'utf8')).toBe('a\n2\n3\n4\n');
  });

  it('closes after the write in flight, without waiting for lines that never came', async () => {
    const path = join(dir, 'journal.csv');
    const journal = await gatedJournal(path);
    const writer = new JournalWriter(journal.io, writerOptions(path));
    const written = writer.append('a\n', 1);
    const closed = writer.close();
    journal.open();
    await written;
    await closed;
    expect(writer.durableSeq).toBe(1);
  });

  it('after a write that failed part-way, cuts the file back to its durable lines and refuses the rest', async () => {
    const path = join(dir, 'journal.csv');
    const io = await openJournalIO(path);
    let failing = false;
    const halfWriting: JournalIO = {
      ...io,
      appendDurably: async (data) => {
        if (!failing) return io.appendDurably(data);
        await io.appendDurably(data.slice(0, 2));
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      },
    };
    const writer = new JournalWriter(halfWriting, writerOptions(path));
    await writer.append('a\n', 1);
    failing = true;
    await expect(writer.append('b\nc\n', 3)).rejects.toThrow(StorageUnavailableError);
    await expect(writer.append('d\n', 4)).rejects.toThrow(StorageUnavailableError);
    await writer.close();
    expect(await readFile(path, 'utf8')).toBe('a\n');
    expect(writer.durableSeq).toBe(1);
  });
});

describe('JournalWriter, when the cut after a failed write fails too', () => {
  it("tells that write's requests their change may have been saved, and the later ones that nothing was", async () => {
    const path = join(dir, 'journal.csv');
    const io = await openJournalIO(path);
    const halfWriting: JournalIO = {
      ...io,
      appendDurably: async (data) => {
        await io.appendDurably(data.slice(0, 2));
        throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
      },
    };
    const cutBack = async () => {
      throw Object.assign(new Error('EIO: i/o error, ftruncate'), { code: 'EIO' });
    };
    const writer = new JournalWriter(halfWriting, { ...writerOptions(path), cutBack });
    const written = writer.append('a\nb\n', 2);
    const later = writer.append('c\n', 3);
    await expect(written).rejects.toThrow(/part of this change may be on disk, so it may or may not have been saved/);
    await expect(later).rejects.toThrow(/^The ticket journal cannot be written; nothing was changed\.$/);
    await writer.close();
  });
});

describe('readLineChunks', () => {
  async function readAll(path: string, options: Parameters<typeof readLineChunks>[1] = {}) {
    const lines: string[] = [];
    const numbers: number[] = [];
    /** where each line starts in the file */
    const offsets: number[] = [];
    const chunks = readLineChunks(path, options);
    for (let next = await chunks.next(); ; next = await chunks.next()) {
      if (next.done) return { lines, numbers, offsets, tornTail: next.value.tornTail.toString(), end: next.value.end };
      const { bytes, offset, starts, firstLine } = next.value;
      for (let i = 0; i < starts.length - 1; i++) {
        lines.push(bytes.toString('utf8', starts[i], (starts[i + 1] as number) - 1));
        numbers.push(firstLine + i);
        offsets.push(offset + (starts[i] as number));
      }
    }
  }

  it('returns whole lines across read boundaries, numbered, with the torn tail apart', async () => {
    const path = join(dir, 'lines.csv');
    await writeFile(path, 'first\nsecond line\n\nZoë 李\nthe last, torn');
    for (const readBytes of [3, 7, 1 << 20]) {
      expect(await readAll(path, { readBytes })).toEqual({
        lines: ['first', 'second line', '', 'Zoë 李'],
        numbers: [1, 2, 3, 4],
        offsets: [0, 6, 18, 19],
        tornTail: 'the last, torn',
        end: Buffer.byteLength('first\nsecond line\n\nZoë 李\n'),
      });
    }
  });

  it('joins a line that spans many reads, and a tail that does', async () => {
    const path = join(dir, 'lines.csv');
    const long = 'x'.repeat(1000);
    await writeFile(path, `a\n${long}\nb\n${long}`);
    expect(await readAll(path, { readBytes: 7 })).toEqual({
      lines: ['a', long, 'b'],
      numbers: [1, 2, 3],
      offsets: [0, 2, 3 + long.length],
      tornTail: long,
      end: 2 + long.length + 1 + 2,
    });
  });

  it('stops at the byte limit', async () => {
    const path = join(dir, 'lines.csv');
    await writeFile(path, 'a\nb\nc\n');
    expect(await readAll(path, { limit: 5, readBytes: 2 })).toEqual({
      lines: ['a', 'b'],
      numbers: [1, 2],
      offsets: [0, 2],
      tornTail: 'c',
      end: 4,
    });
  });

  it('starts at a line further on, numbering and placing lines as in the whole file', async () => {
    const path = join(dir, 'lines.csv');
    await writeFile(path, 'a\nZoë\nc\nd');
    const from = { offset: 2, line: 2 };
    for (const readBytes of [1, 3, 1 << 20]) {
      expect(await readAll(path, { from, readBytes })).toEqual({
        lines: ['Zoë', 'c'],
        numbers: [2, 3],
        offsets: [2, 7],
        tornTail: 'd',
        end: 9,
      });
    }
    expect(await readAll(path, { from, limit: 7 })).toEqual({
      lines: ['Zoë'],
      numbers: [2],
      offsets: [2],
      tornTail: '',
      end: 7,
    });
    // Nothing to read: at or past the limit.
    expect(await readAll(path, { from: { offset: 7, line: 3 }, limit: 7 })).toEqual({
      lines: [],
      numbers: [],
      offsets: [],
      tornTail: '',
      end: 7,
    });
  });
});

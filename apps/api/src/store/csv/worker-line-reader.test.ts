import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JournalEvent } from '@ticketing/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/harness.ts';
import { CAPACITY_SET_FIELDS, sampleEvent, withChecksum } from '../../testing/journal-lines.ts';
import { StorageDamagedError } from '../types.ts';
import { CELL_BOUNDS_PER_LINE, CELLS_NOT_FOUND, ChunkDecoder, encodeEvents, JOURNAL_HEADER } from './journal-codec.ts';
import { FILE_START, type LineChunk, lineCount, readJournalChunksOnWorker, readLineChunks } from './journal-file.ts';
import { readCheckedLineChunksOnWorker } from './worker-line-reader.ts';

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const event = (seq: number, fields: Partial<JournalEvent> = {}) => sampleEvent({ seq, ...fields });

/** Every line of the chunks as text, with its number and where it starts in the file, and how the reading ended. */
async function readAll(chunks: AsyncGenerator<LineChunk, { tornTail: Buffer; end: number }>) {
  const lines: { text: string; line: number; offset: number }[] = [];
  for (let next = await chunks.next(); ; next = await chunks.next()) {
    if (next.done) return { lines, tornTail: next.value.tornTail.toString(), end: next.value.end };
    const { bytes, offset, starts, firstLine } = next.value;
    for (let i = 0; i < lineCount(next.value); i++) {
      const start = starts[i] as number;
      const text = bytes.toString('utf8', start, (starts[i + 1] as number) - 1);
      lines.push({ text, line: firstLine + i, offset: offset + start });
    }
  }
}

describe('reading a journal on a worker thread', () => {
  it('hands out the lines, numbers, places, torn tail and end the main thread reads, from where it reads', async () => {
    const path = join(dir, 'lines.csv');
    const lines = [
      'header',
      withChecksum('1'),
      withChecksum('Zoë 李'),
      withChecksum(`longer than a read: ${'x'.repeat(300)}`),
    ];
    lines.push(withChecksum(''), withChecksum('2'), 'torn');
    await writeFile(path, lines.join('\n'));
    const third = Buffer.byteLength(`${lines.slice(0, 2).join('\n')}\n`);
    const ranges = [{}, { from: { offset: third, line: 3 } }, { limit: third + 5 }, { limit: third - 1 }];
    for (const range of ranges) {
      const expected = await readAll(readLineChunks(path, range));
      for (const readBytes of [7, 64, 1 << 20]) {
        for (const ahead of [1, 4]) {
          const options = { from: FILE_START, ...range, readBytes, ahead };
          expect(await readAll(readCheckedLineChunksOnWorker(path, options)), JSON.stringify(options)).toEqual(
            expected,
          );
        }
      }
    }
    expect((await readAll(readLineChunks(path))).lines).toHaveLength(6);
  });

  it('finds the cells of plain lines for the decoder, and leaves it the others, which decode the same', async () => {
    const events = [
      event(1),
      event(2, { first_name: 'Zoë', last_name: '李' }),
      event(3, { first_name: 'Smith, Jr.', last_name: 'said "hi"' }),
      event(4, { action: 'confirmed', status: 'Confirmed', token_hash: '' }),
      event(5, { ...CAPACITY_SET_FIELDS, capacity: 40, token_hash: '' }),
    ];
    const path = join(dir, 'journal.csv');
    await writeFile(path, `${JOURNAL_HEADER}\n${encodeEvents(events)}${withChecksum('6,too,few,cells')}\n`);
    const chunks = readJournalChunksOnWorker(path);
    const first = await chunks.next();
    await chunks.return({ tornTail: Buffer.alloc(0), end: 0 });
    if (first.done) throw new Error('no lines');
    const { bytes, starts, cells } = first.value;
    if (!cells) throw new Error('no cells found');

    const start = starts[0] as number;
    const plainLine = bytes.toString('latin1', start, (starts[1] as number) - 10);
    const afterCommas = [...plainLine.matchAll(/,/g)].map((comma) => start + (comma.index as number) + 1);
    expect([...cells.subarray(0, CELL_BOUNDS_PER_LINE)]).toEqual([start, ...afterCommas, start + plainLine.length + 1]);
    // Not ASCII, quoted, and (at the end) the wrong number of cells: the decoder splits these itself.
    const marks = Array.from({ length: 6 }, (_, i) => cells[i * CELL_BOUNDS_PER_LINE] === CELLS_NOT_FOUND);
    expect(marks).toEqual([false, true, true, false, false, true]);

    const withCells = new ChunkDecoder(bytes, starts, false, cells);
    const alone = new ChunkDecoder(bytes, starts);
    for (let i = 0; i < events.length; i++) expect(withCells.event(i)).toEqual(alone.event(i));
    expect(() => withCells.event(events.length)).toThrow('expected 11 values, found 4');
    expect(() => alone.event(events.length)).toThrow('expected 11 values, found 4');
  });

  it('stops at the first line whose checksum does not match, after handing out the lines before it', async () => {
    const path = join(dir, 'journal.csv');
    const lines = Array.from({ length: 40 }, (_, i) => withChecksum(`line ${i + 2}`));
    lines[29] = (lines[29] as string).replace('line', 'lime');
    lines[34] = (lines[34] as string).replace('line', 'lime');
    await writeFile(path, `${JOURNAL_HEADER}\n${lines.join('\n')}\n`);
    // In one chunk, and in chunks of a line or two, so the damaged line also starts one.
    for (const readBytes of [1 << 20, 20, 33]) {
      const read: number[] = [];
      const reading = (async () => {
        for await (const chunk of readJournalChunksOnWorker(path, { readBytes })) {
          for (let i = 0; i < lineCount(chunk); i++) read.push(chunk.firstLine + i);
        }
      })();
      await expect(reading).rejects.toThrow(StorageDamagedError);
      await expect(reading).rejects.toThrow(`${path} line 31 is damaged: its checksum does not match its content`);
      expect(read).toEqual(Array.from({ length: 29 }, (_, i) => i + 2));
    }
  });

  it('gives the event loop a turn after each chunk, even when the next one is there already', async () => {
    const path = join(dir, 'lines.csv');
    await writeFile(path, `header\n${Array.from({ length: 12 }, (_, i) => withChecksum(`line ${i}`)).join('\n')}\n`);
    const chunks = readCheckedLineChunksOnWorker(path, { from: FILE_START, readBytes: 20, ahead: 4 });
    await chunks.next();
    // Meanwhile the thread reads four chunks ahead, and they are waiting here when asked for.
    await new Promise((resolve) => setTimeout(resolve, 200));
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const turnsAt: number[] = [];
    for (let i = 0; i < 4; i++) {
      await chunks.next();
      turnsAt.push(turns);
    }
    ticking = false;
    await chunks.return({ tornTail: Buffer.alloc(0), end: 0 });
    for (let i = 1; i < turnsAt.length; i++) expect(turnsAt[i]).toBeGreaterThan(turnsAt[i - 1] as number);
  });

  it('says so when the file cannot be read', async () => {
    await expect(
      readAll(readCheckedLineChunksOnWorker(join(dir, 'missing.csv'), { from: FILE_START })),
    ).rejects.toThrow(/ENOENT/);
  });
});

import { appendFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkInvariants, startServer, type TestServer, tempDir } from '../../testing/harness.ts';
import { sampleEvent } from '../../testing/journal-lines.ts';
import { openingEvents } from '../engine-store.ts';
import { StorageDamagedError, StorageUnavailableError } from '../types.ts';
import { openCsvStore, writeJournalFile } from './csv-store.ts';
import { type JournalIO, openJournalIO } from './journal-file.ts';
import { DataDirLockedError } from './lock.ts';

const capacity = { VIP: 3, Regular: 5 };
let dataDir: string;
let server: TestServer | undefined;

beforeEach(async () => {
  dataDir = await tempDir();
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

async function fillAndStop(count = 3): Promise<string[]> {
  const first = await startServer({ location: dataDir });
  const ids = [];
  for (let i = 0; i < count; i++)
    ids.push((await first.http.register(`P${i}`, 'Lee', i % 2 ? 'VIP' : 'Regular')).body.id);
  await first.http.staff('POST', '/api/process_next');
  await first.stop();
  return ids;
}

const journal = () => join(dataDir, 'transactions.csv');

/** availability.json once it reflects journal event `seq` (snapshots are written shortly after changes; the first
 * one a second after the start, later under a loaded test run). */
async function waitForSnapshot(seq: number, timeoutMs = 10_000): Promise<{ journal_seq: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await readFile(join(dataDir, 'availability.json'), 'utf8').catch(() => '{}');
    const availability = JSON.parse(text);
    if (availability.journal_seq >= seq || Date.now() > deadline) return availability;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function readWhenWritten(path: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('start-up recovery', () => {
  it('repairs a torn last line left by a crash and keeps everything before it', async () => {
    const ids = await fillAndStop();
    const intact = await readFile(journal(), 'utf8');
    await appendFile(journal(), '7,2026-01-01T00:00:00.000Z,registered,attendee,ABC-DEF,Torn,Li');
    const warnings: string[] = [];
    server = await startServer({
      location: dataDir,
      csv: { logger: { info() {}, warn: (m) => warnings.push(m), error() {} } },
    });
    expect(await readFile(journal(), 'utf8')).toBe(intact);
    expect(warnings.join('\n')).toMatch(/removed an incomplete last line/);
    for (const id of ids) expect((await server.http.staff('GET', `/api/tickets/${id}`)).status).toBe(200);
    // And new lines follow on cleanly.
    expect((await server.http.register('After', 'Repair', 'VIP')).status).toBe(201);
  });

  it('says in words, not quoted, that the torn last line it removed was zero bytes, as a power cut can leave', async () => {
    await fillAndStop();
    const intact = await readFile(journal(), 'utf8');
    await appendFile(journal(), Buffer.alloc(300));
    const warnings: string[] = [];
    server = await startServer({
      location: dataDir,
      csv: { logger: { info() {}, warn: (m) => warnings.push(m), error() {} } },
    });
    expect(await readFile(journal(), 'utf8')).toBe(intact);
    expect(warnings).toEqual([expect.stringMatching(/\(300 bytes, never acknowledged\): zero bytes only$/)]);
  });

  it('keeps a whole last event whose line break is missing (an editor drops it), and adds the line break', async () => {
    const ids = await fillAndStop();
    const intact = await readFile(journal(), 'utf8');
    await writeFile(journal(), intact.slice(0, -1));
    const warnings: string[] = [];
    server = await startServer({
      location: dataDir,
      csv: { logger: { info() {}, warn: (m) => warnings.push(m), error() {} } },
    });
    expect(await readFile(journal(), 'utf8')).toBe(intact);
    expect(warnings.join('\n')).toMatch(/had no line break after it; the event is whole, so it is kept/);
    for (const id of ids) expect((await server.http.staff('GET', `/api/tickets/${id}`)).status).toBe(200);
    expect((await server.http.register('After', 'Repair', 'VIP')).status).toBe(201);
  });

  it('refuses to start on more after the last line break than a crash leaves, changing nothing', async () => {
    await fillAndStop();
    await appendFile(journal(), Buffer.alloc(17 * 1024 * 1024));
    const before = await stat(journal());
    await expect(startServer({ location: dataDir })).rejects.toThrow(
      /ends in 17825792 bytes that are not a journal line .*more than a crash part way through a write leaves/,
    );
    expect((await stat(journal())).size).toBe(before.size);
  });

  it('refuses a journal that holds only zeros (its contents lost), rather than starting an empty event over it', async () => {
    await fillAndStop();
    const { size } = await stat(journal());
    await writeFile(journal(), Buffer.alloc(size));
    // The snapshots are lost too, so nothing else tells that there was an event.
    await writeFile(join(dataDir, 'availability.json'), '');
    await writeFile(join(dataDir, 'queue.csv'), '');
    await expect(startServer({ location: dataDir })).rejects.toThrow(/holds only zero bytes/);
    expect(await readFile(journal())).toEqual(Buffer.alloc(size));
  });

  it('starts the event afresh when a first start crashed in the middle of writing the journal', async () => {
    await writeFile(journal(), 'seq,time,act');
    server = await startServer({ location: dataDir });
    expect((await server.http.request('GET', '/summary_data')).body).toMatchObject({ vip_capacity: 3, version: 2 });
    expect((await readFile(journal(), 'utf8')).split('\n')[0]).toBe(
      'seq,time,action,actor,ticket_id,first_name,last_name,ticket_type,status,capacity,token_hash,check',
    );
  });

  it('refuses to start on a damaged middle line, naming the file and line', async () => {
    await fillAndStop();
    const lines = (await readFile(journal(), 'utf8')).split('\n');
    lines[3] = (lines[3] as string).replace('P0', 'PX');
    await writeFile(journal(), lines.join('\n'));
    const opening = openCsvStore({ dataDir, initialCapacity: capacity });
    await expect(opening).rejects.toThrow(StorageDamagedError);
    await expect(opening).rejects.toThrow(`${journal()} line 4 is damaged: its checksum does not match its content`);
  });

  it('says so when a program saved the journal with Windows line endings, and changes nothing', async () => {
    await fillAndStop();
    const saved = (await readFile(journal(), 'utf8')).replaceAll('\n', '\r\n');
    await writeFile(journal(), saved);
    await expect(openCsvStore({ dataDir, initialCapacity: capacity })).rejects.toThrow(
      /has Windows line endings \(CRLF\): it was saved by another program/,
    );
    expect(await readFile(journal(), 'utf8')).toBe(saved);
  });

  it.each([
    ['on the main thread', undefined],
    ['on a worker thread', 0],
  ])('names the right line when the damage is past the first megabyte, the journal read %s', async (_, bytes) => {
    const store = await openCsvStore({ dataDir, initialCapacity: capacity });
    for (let batch = 0; batch < 20; batch++) {
      await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          store.register(
            { first_name: `P${batch}-${i}`, last_name: 'Lee', ticket_type: 'Regular', token_hash: '' },
            { actor: 'attendee' },
          ),
        ),
      );
    }
    await store.close();
    const lines = (await readFile(journal(), 'utf8')).split('\n');
    expect(Buffer.byteLength(lines.slice(0, 19_000).join('\n'))).toBeGreaterThan(1 << 20);
    lines[18_999] = (lines[18_999] as string).replace('Lee', 'Lea');
    await writeFile(journal(), lines.join('\n'));
    await expect(openCsvStore({ dataDir, initialCapacity: capacity, workerReadBytes: bytes })).rejects.toThrow(
      `${journal()} line 19000 is damaged: its checksum does not match its content`,
    );
  });

  it('answers the summary at once only when every change it knows of is on disk', async () => {
    let release: (() => void) | undefined;
    const held = async (path: string): Promise<JournalIO> => {
      const io = await openJournalIO(path);
      return {
        ...io,
        appendDurably: async (data) => {
          await new Promise<void>((resolve) => {
            release = resolve;
          });
          await io.appendDurably(data);
        },
      };
    };
    const store = await openCsvStore({ dataDir, initialCapacity: capacity, openJournal: held });
    try {
      const before = store.summaryAtOnce();
      expect(before?.version).toBe(2);
      const registering = store.register(
        { first_name: 'Ada', last_name: 'Lee', ticket_type: 'VIP', token_hash: '' },
        { actor: 'attendee' },
      );
      const summary = store.summary();
      expect(store.summaryAtOnce()).toBeUndefined();
      release?.();
      await registering;
      expect((await summary).vip_queue_length).toBe(1);
      expect(store.summaryAtOnce()).toEqual(await summary);
    } finally {
      await store.close();
    }
  });

  describe('with the journal read, and its checksums checked, on a worker thread, as for a long journal', () => {
    const open = () => openCsvStore({ dataDir, initialCapacity: capacity, workerReadBytes: 0 });

    it('replays a sound journal to the same state', async () => {
      const ids = await fillAndStop(5);
      const store = await open();
      try {
        for (const id of ids) expect((await store.ticket(id))?.ticket.id).toBe(id);
        expect((await store.summary()).version).toBe(8);
      } finally {
        await store.close();
      }
    });

    it('refuses a line whose checksum does not match, even when its content still makes sense', async () => {
      await fillAndStop();
      const lines = (await readFile(journal(), 'utf8')).split('\n');
      lines[3] = (lines[3] as string).replace('P0', 'PX');
      await writeFile(journal(), lines.join('\n'));
      await expect(open()).rejects.toThrow(`${journal()} line 4 is damaged: its checksum does not match its content`);
    });

    it('names the first damaged line when a later line is damaged another way', async () => {
      await fillAndStop(4);
      const lines = (await readFile(journal(), 'utf8')).split('\n');
      lines[4] = (lines[4] as string).replace('P1', 'PY');
      lines.splice(6, 1);
      await writeFile(journal(), lines.join('\n'));
      await expect(open()).rejects.toThrow(`${journal()} line 5 is damaged: its checksum does not match its content`);
    });

    it('names a line that breaks the rules before a later bad checksum', async () => {
      await fillAndStop(4);
      const lines = (await readFile(journal(), 'utf8')).split('\n');
      lines.splice(3, 1);
      lines[6] = (lines[6] as string).replace('P3', 'PZ');
      await writeFile(journal(), lines.join('\n'));
      await expect(open()).rejects.toThrow(/line 4 is damaged: event 4: expected event 3 next, found 4/);
    });

    it('still repairs a torn last line, and leaves a damaged journal untouched', async () => {
      await fillAndStop();
      const intact = await readFile(journal(), 'utf8');
      await appendFile(journal(), '9,2026-01-01T00:00:00.000Z,registered,attendee,ABC-DEF,Torn');
      const store = await open();
      await store.close();
      expect(await readFile(journal(), 'utf8')).toBe(intact);
      const lines = intact.split('\n');
      lines[3] = (lines[3] as string).replace('P0', 'PQ');
      const damaged = `${lines.join('\n')}9,2026-01-01T00:00:00.000Z,registered`;
      await writeFile(journal(), damaged);
      await expect(open()).rejects.toThrow(/line 4 is damaged: its checksum/);
      expect(await readFile(journal(), 'utf8')).toBe(damaged);
    });
  });

  it('refuses a journal with a line missing in the middle', async () => {
    await fillAndStop();
    const lines = (await readFile(journal(), 'utf8')).split('\n');
    lines.splice(3, 1);
    await writeFile(journal(), lines.join('\n'));
    await expect(openCsvStore({ dataDir, initialCapacity: capacity })).rejects.toThrow(
      /line 4 is damaged: event 4: expected event 3 next, found 4/,
    );
  });

  it('rebuilds missing or stale queue.csv and availability.json from the journal', async () => {
    await fillAndStop(4);
    await rm(join(dataDir, 'queue.csv'));
    await writeFile(join(dataDir, 'availability.json'), '{"VIP": 99, "Regular": 99, "journal_seq": 2}');
    server = await startServer({ location: dataDir });
    const availability = await waitForSnapshot(7);
    expect(availability).toMatchObject({ VIP: 2, Regular: 5, journal_seq: 7 });
    // queue.csv is written right after availability.json.
    const queue = (await readWhenWritten(join(dataDir, 'queue.csv'))).trim().split('\n');
    expect(queue[0]).toBe('position,id,first_name,last_name,ticket_type,time');
    // P1 (VIP) was served first; then VIP first: P3, and the Regulars P0 and P2 in order.
    expect(queue.slice(1).map((line) => line.split(',')[2])).toEqual(['P3', 'P0', 'P2']);
  });

  it('refuses to start an empty event over a journal that was lost', async () => {
    await fillAndStop();
    await rm(journal());
    await expect(openCsvStore({ dataDir, initialCapacity: capacity })).rejects.toThrow(/transactions.csv is missing/);
  });

  it('refuses to start an empty event over a lost journal when only queue.csv remembers the queue', async () => {
    await fillAndStop();
    // The server wrote its snapshots as it stopped.
    expect(await readFile(join(dataDir, 'queue.csv'), 'utf8')).toMatch(/^position,/);
    await rm(journal());
    await rm(join(dataDir, 'availability.json'));
    await expect(openCsvStore({ dataDir, initialCapacity: capacity })).rejects.toThrow(
      /transactions.csv is missing or empty, but .*queue.csv lists 2 people in line/,
    );
  });

  it('snapshots trail the journal by a fraction of a second while running', async () => {
    server = await startServer({ location: dataDir });
    await server.http.register('Ann', 'Lee', 'VIP');
    expect((await waitForSnapshot(3)).journal_seq).toBe(3);
  });
});

describe('the transaction log', () => {
  it('serves its newest pages from memory and older ones from the file, alike', async () => {
    server = await startServer({ location: dataDir, csv: { recentEvents: 4 } });
    for (let i = 0; i < 5; i++) await server.http.register(`P${i}`, 'Lee', 'VIP');
    await server.http.staff('POST', '/api/process_next');
    const pages = [];
    for (let offset = 0; offset < 8; offset += 2) {
      pages.push((await server.http.staff('GET', `/api/transactions?limit=2&offset=${offset}`)).body);
    }
    expect(pages.map((page) => page.total)).toEqual([8, 8, 8, 8]);
    expect(pages.flatMap((page) => page.items.map((t: { seq: number }) => t.seq))).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    // Held at an earlier seq, a page reaches past memory into the file at the same place either way.
    for (const offset of [0, 2, 4]) {
      const held = (await server.http.staff('GET', `/api/transactions?limit=2&offset=${offset}&up_to_seq=6`)).body;
      expect(held.total).toBe(6);
      expect(held.items.map((t: { seq: number }) => t.seq)).toEqual([6 - offset, 5 - offset]);
    }
    // After a restart the memory is refilled from the journal.
    server = await server.restart();
    const first = (await server.http.staff('GET', '/api/transactions?limit=2')).body;
    expect(first.items.map((t: { seq: number; action: string }) => [t.seq, t.action])).toEqual([
      [8, 'confirmed'],
      [7, 'registered'],
    ]);
  });
});

describe('the transaction log, searched', () => {
  it.each([
    ['on the main thread', undefined],
    ['on a worker thread, as a long journal is', 0],
  ])(
    'pages a search newest first, at any depth, up to a last page shorter than the rest, and follows the sale, the journal read %s',
    async (_, workerReadBytes) => {
      const running = await startServer({ location: dataDir, csv: { recentEvents: 4, workerReadBytes } });
      server = running;
      for (let i = 0; i < 7; i++) await running.http.register(`P${i}`, i % 2 ? 'Lee' : 'Ng', 'VIP');
      // Ng: P0, P2, P4, P6, registered as events 3, 5, 7, 9.
      const seqs = async (offset: number, limit: number) => {
        const page = (await running.http.staff('GET', `/api/transactions?q=Ng&limit=${limit}&offset=${offset}`)).body;
        expect(page.total).toBe(4);
        return page.items.map((t: { seq: number }) => t.seq);
      };
      expect(await seqs(0, 3)).toEqual([9, 7, 5]);
      expect(await seqs(3, 3)).toEqual([3]);
      expect(await seqs(1, 2)).toEqual([7, 5]);
      expect(await seqs(2, 1)).toEqual([5]);
      expect(await seqs(4, 2)).toEqual([]);
      expect(await seqs(0, 1000)).toEqual([9, 7, 5, 3]);
      // Unsearched, beyond the newest events in memory: the oldest page of all 9.
      const oldest = (await running.http.staff('GET', '/api/transactions?limit=4&offset=8')).body;
      expect(oldest.total).toBe(9);
      expect(oldest.items.map((t: { seq: number }) => t.seq)).toEqual([1]);
      const deep = (await running.http.staff('GET', '/api/transactions?limit=3&offset=5&up_to_seq=8')).body;
      expect(deep.items.map((t: { seq: number }) => t.seq)).toEqual([3, 2, 1]);
      // The same search once the sale went on: its newest match first, and after a restart too.
      await running.http.register('P7', 'Ng', 'VIP');
      expect((await running.http.staff('GET', '/api/transactions?q=Ng&limit=2')).body).toMatchObject({
        total: 5,
        items: [
          { seq: 10, first_name: 'P7' },
          { seq: 9, first_name: 'P6' },
        ],
      });
      server = await running.restart();
      const again = (await server.http.staff('GET', '/api/transactions?q=Ng&limit=2&offset=3')).body;
      expect(again).toMatchObject({ total: 5, items: [{ seq: 5 }, { seq: 3 }] });
    },
  );
});

describe('the transaction log, searched while the sale goes on', () => {
  it('reads the journal for a search once, then only what was appended since', async () => {
    const running = await startServer({ location: dataDir });
    server = running;
    for (let i = 0; i < 3; i++) await running.http.register(`P${i}`, 'Ng', 'VIP');
    const search = async () => (await running.http.staff('GET', '/api/transactions?q=Ng&limit=1')).body;
    expect(await search()).toMatchObject({ total: 3, items: [{ first_name: 'P2' }] });
    // Spoil the journal's first event, which that search read: a search reading the journal again stops there.
    const text = await readFile(journal(), 'utf8');
    const firstEvent = text.indexOf('\n') + 1;
    await writeFile(journal(), `${text.slice(0, firstEvent + 5)}X${text.slice(firstEvent + 6)}`);
    await running.http.register('P3', 'Ng', 'VIP');
    expect(await search()).toMatchObject({ total: 4, items: [{ first_name: 'P3' }] });
    expect((await running.http.staff('GET', '/api/transactions?q=P&limit=1')).status).toBe(500);
  });
});

describe('the data directory', () => {
  it('says what it holds when opened, counting in words that fit the number', async () => {
    const first = await startServer({ location: dataDir });
    await first.http.register('Ann', 'Lee', 'VIP');
    await first.stop();
    const said: string[] = [];
    const logger = { info: (message: string) => void said.push(message), warn: () => {}, error: () => {} };
    const store = await openCsvStore({ dataDir, initialCapacity: capacity, logger });
    await store.close();
    expect(said).toContain(`Data directory ${dataDir}: 3 journal events, 1 ticket, 1 queued.`);
  });

  it.each([
    ['on the main thread', undefined],
    ['on a worker thread', 0],
  ])(
    'says how far a long replay has got, and a short one says nothing of it, the journal read %s',
    async (_, workerReadBytes) => {
      // About 3 MB: three chunks of the journal as it is read.
      const registrations = Array.from({ length: 30_000 }, (_, i) =>
        sampleEvent({ seq: i + 3, ticket_id: `T${i}`, token_hash: '' }),
      );
      await mkdir(dataDir, { recursive: true });
      await writeJournalFile(journal(), [...openingEvents(capacity, '2026-11-25T10:00:00.000Z'), ...registrations], {
        overwrite: true,
      });
      const open = async (progressIntervalMs?: number) => {
        const said: string[] = [];
        const logger = { info: (message: string) => void said.push(message), warn: () => {}, error: () => {} };
        const store = await openCsvStore({
          dataDir,
          initialCapacity: capacity,
          logger,
          progressIntervalMs,
          workerReadBytes,
        });
        await store.close();
        return said.filter((message) => message.startsWith('Replaying'));
      };
      const progress = await open(0);
      expect(progress.length).toBeGreaterThanOrEqual(2);
      for (const message of progress.slice(0, -1)) {
        expect(message).toMatch(new RegExp(`^Replaying ${journal()}: \\d+% \\([\\d,]+ events\\), about \\d+ s left…$`));
      }
      // The last chunk: all of it, and no time left to guess.
      expect(progress.at(-1)).toBe(`Replaying ${journal()}: 100% (30,002 events)…`);
      const shares = progress.map((message) => Number(/: (\d+)%/.exec(message)?.[1]));
      expect(shares).toEqual([...shares].sort((a, b) => a - b));
      expect(await open()).toEqual([]);
    },
  );

  it('is locked: a second store on it is refused while the first runs, and free once it stops', async () => {
    const first = await openCsvStore({ dataDir, initialCapacity: capacity });
    await expect(openCsvStore({ dataDir, initialCapacity: capacity })).rejects.toThrow(DataDirLockedError);
    await expect(openCsvStore({ dataDir, initialCapacity: capacity })).rejects.toThrow(
      new RegExp(`Another server \\(pid ${process.pid}\\) is already using the data directory`),
    );
    await first.close();
    const second = await openCsvStore({ dataDir, initialCapacity: capacity });
    await second.close();
  });

  it('that cannot be created gives a clear error naming it', async () => {
    const file = join(dataDir, 'a-file');
    await writeFile(file, 'not a directory');
    const bad = join(file, 'data');
    await expect(openCsvStore({ dataDir: bad, initialCapacity: capacity })).rejects.toThrow(StorageUnavailableError);
    await expect(openCsvStore({ dataDir: bad, initialCapacity: capacity })).rejects.toThrow(
      `The data directory ${bad} cannot be created or written (ENOTDIR). Set DATA_DIR to a writable directory.`,
    );
  });
});

describe('a journal that stops being writable', () => {
  /**
   * A journal whose writes fail while `broken` is set, as a full or failing disk would. Its probe fails the
   * same way, and counts its calls; fsync of nothing, which a full disk lets through, is not what it asks.
   */
  function faultyJournal(state: { broken: boolean; probes: number }) {
    const fail = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    return async (path: string): Promise<JournalIO> => {
      const io = await openJournalIO(path);
      return {
        appendDurably: async (data) => {
          if (state.broken) throw fail();
          await io.appendDurably(data);
        },
        probe: async () => {
          state.probes++;
          if (state.broken) throw fail();
          await io.probe();
        },
        close: () => io.close(),
      };
    };
  }

  it('answers changes 503 and acknowledges nothing, keeps serving what is on disk, then recovers', async () => {
    const state = { broken: false, probes: 0 };
    server = await startServer({ location: dataDir, csv: { openJournal: faultyJournal(state) } });
    const kept = await server.http.register('Kept', 'Lee', 'VIP');
    expect(kept.status).toBe(201);

    state.broken = true;
    const failed = await server.http.register('Lost', 'Lee', 'VIP');
    expect(failed.status).toBe(503);
    expect(failed.body).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect(failed.body.error).toMatch(/nothing was changed/);
    expect(failed.headers.get('retry-after')).toBeTruthy();

    // Reads answer from the journal as it is on disk: the refused change is not shown, the kept one is.
    for (let i = 0; i < 2; i++) {
      const summary = await server.http.request('GET', '/summary_data');
      expect(summary.status).toBe(200);
      expect(summary.body.vip_queue_length).toBe(1);
      const ticket = await server.http.request('GET', `/api/tickets/${kept.body.id}`, { token: kept.body.token });
      expect(ticket.body).toMatchObject({ status: 'Queued', queue_position: 1 });
      expect((await server.http.staff('GET', '/api/transactions?q=Lost')).body.total).toBe(0);
      // Changes and readiness stay refused for as long as a real write fails, checked at most once a second.
      expect((await server.http.register('Refused', 'Lee', 'VIP')).status).toBe(503);
      expect((await server.http.request('GET', '/readyz')).status).toBe(503);
      await new Promise((resolve) => setTimeout(resolve, 1100));
    }
    expect(state.probes).toBeGreaterThanOrEqual(2);
    expect(state.probes).toBeLessThanOrEqual(3);

    state.broken = false;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await server.http.request('GET', '/readyz')).status).toBe(200);
    expect((await server.http.register('Next', 'Lee', 'VIP')).status).toBe(201);
    expect((await server.http.request('GET', '/summary_data')).body.vip_queue_length).toBe(2);
    await server.stop();

    // The journal on disk agrees with what was acknowledged.
    const restarted = await startServer({ location: dataDir });
    try {
      const after = (await restarted.http.request('GET', '/summary_data')).body;
      checkInvariants(after);
      expect(after.vip_queue_length).toBe(2);
      const text = await readFile(journal(), 'utf8');
      expect(text.includes('Lost') || text.includes('Refused')).toBe(false);
    } finally {
      await restarted.stop();
    }
  });

  it('probes the disk with a write of its own, beside the journal and removed after', async () => {
    const io = await openJournalIO(journal());
    try {
      await io.probe();
      expect(await readdir(dataDir)).toEqual(['transactions.csv']);
      // Where its file cannot be written, the probe fails (an fsync of the journal alone would pass).
      await mkdir(join(dataDir, `.transactions.csv-probe.${process.pid}.tmp`));
      await expect(io.probe()).rejects.toThrow(/EISDIR/);
    } finally {
      await io.close();
    }
  });
});

describe('a crash that tears a change in two', () => {
  it('gives a cancelled seat to the waitlist at the next start when the promotion line was torn off', async () => {
    const store = await openCsvStore({ dataDir, initialCapacity: { VIP: 1, Regular: 1 } });
    const ctx = { actor: 'attendee' } as const;
    const ids: string[] = [];
    for (const first_name of ['Ann', 'Bob']) {
      const { ticket } = await store.register(
        { first_name, last_name: 'Lee', ticket_type: 'VIP', token_hash: '' },
        ctx,
      );
      ids.push(ticket.id);
    }
    await store.processNext({ actor: 'staff' });
    await store.processNext({ actor: 'staff' });
    const { promoted } = await store.cancel(ids[0] as string, ctx);
    expect(promoted?.id).toBe(ids[1]);
    await store.close();

    // The crash: the promotion's line half written.
    const text = await readFile(journal(), 'utf8');
    const lastLine = text.lastIndexOf('\n', text.length - 2) + 1;
    await writeFile(journal(), text.slice(0, lastLine + 20));

    const again = await openCsvStore({ dataDir, initialCapacity: { VIP: 1, Regular: 1 } });
    try {
      const summary = await again.summary();
      expect(summary).toMatchObject({ vip_sold: 1, vip_remaining: 0, vip_waitlist_length: 0 });
      expect((await again.ticket(ids[1] as string))?.ticket.status).toBe('Confirmed');
      expect((await again.ticket(ids[0] as string))?.ticket.status).toBe('Cancelled');
    } finally {
      await again.close();
    }
  });
});

describe('a write that fails part-way', () => {
  /** Writes the first line of each batch, then fails, as a disk filling up in the middle of a write would. */
  function halfWrittenJournal(state: { broken: boolean }) {
    return async (path: string): Promise<JournalIO> => {
      const io = await openJournalIO(path);
      return {
        ...io,
        appendDurably: async (data) => {
          if (!state.broken) return io.appendDurably(data);
          await io.appendDurably(data.slice(0, data.indexOf('\n') + 1));
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        },
      };
    };
  }

  it('leaves none of its refused lines for the next start, even when the server stops before recovering', async () => {
    const state = { broken: false };
    const store = await openCsvStore({ dataDir, initialCapacity: capacity, openJournal: halfWrittenJournal(state) });
    const registration = (first_name: string) =>
      store.register({ first_name, last_name: 'Lee', ticket_type: 'VIP', token_hash: '' }, { actor: 'attendee' });
    await registration('Kept');
    state.broken = true;
    await expect(registration('Refused')).rejects.toThrow(StorageUnavailableError);
    await store.close();

    expect(await readFile(journal(), 'utf8')).not.toContain('Refused');
    const again = await openCsvStore({ dataDir, initialCapacity: capacity });
    try {
      expect((await again.summary()).vip_queue_length).toBe(1);
      expect(await again.findByName('Refused', 'Lee', 'VIP')).toEqual([]);
    } finally {
      await again.close();
    }
  });
});

describe('data written by the original Flask app', () => {
  it('is imported on first start, and its files are kept aside', async () => {
    await writeFile(
      join(dataDir, 'transactions.csv'),
      [
        'first_name,last_name,ticket_type,time,status',
        'Ann,Lee,VIP,2025-05-01 10:00:00,Confirmed',
        'Bob,Ray,VIP,2025-05-01 10:01:00,Confirmed',
        'Cy,Young,Regular,2025-05-01 10:02:00,Confirmed',
        'Bob,Ray,VIP,2025-05-01 10:03:00,Cancelled',
        'Dee,Dee,Regular,2025-05-01 10:04:00,Sold Out',
        '',
      ].join('\n'),
    );
    await writeFile(
      join(dataDir, 'queue.csv'),
      'first_name,last_name,ticket_type,time\nEve,Ng,Regular,2025-05-01 10:05:00\nFay,Wu,VIP,2025-05-01 10:06:00\n',
    );
    await writeFile(join(dataDir, 'availability.json'), '{"VIP": 1, "Regular": 0}');
    server = await startServer({ location: dataDir });
    const summary = (await server.http.request('GET', '/summary_data')).body;
    // VIP: Ann and Bob confirmed + 1 left => capacity 3 (the original never put Bob's cancelled seat back on
    // sale); Bob cancelled => 2 remaining. Regular: Cy + 0 left => 1.
    expect(summary).toMatchObject({
      vip_capacity: 3,
      vip_sold: 1,
      vip_remaining: 2,
      regular_sold: 1,
      regular_remaining: 0,
      regular_waitlist_length: 1,
      vip_queue_length: 1,
      regular_queue_length: 1,
    });
    const queue = (await server.http.staff('GET', '/queue')).body;
    expect(queue['VIP Queue'].map((e: { first_name: string }) => e.first_name)).toEqual(['Fay']);
    expect(queue['Regular Waitlist'].map((e: { first_name: string }) => e.first_name)).toEqual(['Dee']);
    const log = (await server.http.staff('GET', '/api/transactions?q=ann')).body.items;
    expect(log[log.length - 1]).toMatchObject({
      action: 'registered',
      time: new Date('2025-05-01 10:00:00').toISOString(),
    });
    const kept = (await import('node:fs')).readdirSync(dataDir).find((f) => f.startsWith('imported-from-flask-'));
    expect(kept).toBeDefined();
    expect(await readFile(join(dataDir, kept as string, 'queue.csv'), 'utf8')).toContain('Eve,Ng');
    // The new journal is ours, so a restart does not import again.
    await server.stop();
    server = await startServer({ location: dataDir });
    expect((await server.http.request('GET', '/summary_data')).body.vip_sold).toBe(1);
  });

  it('imports a queue alone', async () => {
    await mkdir(dataDir, { recursive: true });
    await writeFile(join(dataDir, 'queue.csv'), 'first_name,last_name,ticket_type,time\nEve,Ng,regular,2025-05-01\n');
    server = await startServer({ location: dataDir });
    expect((await server.http.request('GET', '/summary_data')).body).toMatchObject({
      regular_queue_length: 1,
      regular_capacity: 5,
    });
  });
});

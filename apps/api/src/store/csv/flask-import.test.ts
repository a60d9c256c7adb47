import { readdirSync } from 'node:fs';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { JournalEvent } from '@ticketing/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../testing/harness.ts';
import { newTicketId } from '../engine-store.ts';
import { type CsvStore, openCsvStore, writeJournalFile } from './csv-store.ts';
import { commitFlaskImport, IMPORT_STEPS, type ImportStep, readFlaskDataDir } from './flask-import.ts';

const capacity = { VIP: 3, Regular: 5 };
const QUEUED = 200;
let dataDir: string;
let store: CsvStore | undefined;
let messages: string[];
const logger = {
  info: (message: string) => messages.push(message),
  warn: (message: string) => messages.push(message),
  error: (message: string) => messages.push(message),
};

beforeEach(async () => {
  dataDir = await tempDir();
  messages = [];
});
afterEach(async () => {
  vi.restoreAllMocks();
  await store?.close();
  store = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

/** The original app's files (Python's csv module ends lines with CRLF): two seats sold and a long queue. */
const flaskFiles: Record<string, string> = {
  'transactions.csv': [
    'first_name,last_name,ticket_type,time,status',
    'Ann,Lee,VIP,2025-05-01 10:00:00,Confirmed',
    'Bob,Ray,Regular,2025-05-01 10:01:00,Confirmed',
    '',
  ].join('\r\n'),
  'queue.csv': [
    'first_name,last_name,ticket_type,time',
    ...Array.from({ length: QUEUED }, (_, i) => `Q${i},Ng,${i % 2 ? 'VIP' : 'Regular'},2025-05-01 11:00:00`),
    '',
  ].join('\r\n'),
  'availability.json': '{"VIP": 2, "Regular": 4}',
};

async function writeFiles(files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) await writeFile(join(dataDir, name), text);
}

async function start(): Promise<CsvStore> {
  store = await openCsvStore({ dataDir, initialCapacity: capacity, logger });
  return store;
}

/** The import's end state: everyone is there, and the originals are kept aside byte for byte. */
async function expectEveryoneImported(imported: CsvStore): Promise<void> {
  expect(await imported.summary()).toMatchObject({
    vip_capacity: 3,
    vip_sold: 1,
    regular_capacity: 5,
    regular_sold: 1,
    vip_queue_length: QUEUED / 2,
    regular_queue_length: QUEUED / 2,
  });
  const names = readdirSync(dataDir);
  expect(names.filter((name) => name.startsWith('importing-from-flask') || name.endsWith('.tmp'))).toEqual([]);
  const kept = names.filter((name) => name.startsWith('imported-from-flask-'));
  expect(kept).toHaveLength(1);
  for (const [name, text] of Object.entries(flaskFiles)) {
    expect(await readFile(join(dataDir, kept[0] as string, name), 'utf8')).toBe(text);
  }
}

class Crash extends Error {}

/** Runs the import as the server does, stopping it where `stopAt` throws, as a crash would. */
async function interruptedImport(options: {
  afterStep?: (step: ImportStep) => void;
  writeJournal?: (path: string, events: JournalEvent[]) => Promise<void>;
}): Promise<void> {
  const now = new Date();
  const { events } = await readFlaskDataDir(dataDir, { now, newId: newTicketId, fallbackCapacity: capacity });
  await expect(
    commitFlaskImport(dataDir, events, {
      now,
      writeJournal: options.writeJournal ?? ((path, lines) => writeJournalFile(path, lines, { overwrite: false })),
      afterStep: options.afterStep,
    }),
  ).rejects.toThrow(Crash);
}

describe('an import of the original app that is interrupted', () => {
  it('by a journal write failing part way leaves the originals in place, and the next start imports everyone', async () => {
    await writeFiles(flaskFiles);
    // The disk fails once the journal's header is written: the process stops there, as after kill -9.
    const handle = await open(join(dataDir, 'availability.json'), 'r');
    const fileHandle = Object.getPrototypeOf(handle);
    await handle.close();
    const writeFileOf = fileHandle.writeFile;
    const failing = vi.spyOn(fileHandle, 'writeFile').mockImplementation(function (this: unknown, ...args: unknown[]) {
      if (!String(args[0]).startsWith('seq,')) throw new Crash('the disk failed');
      return writeFileOf.apply(this, args);
    });
    await expect(start()).rejects.toThrow(Crash);
    failing.mockRestore();
    store = undefined;
    await expectEveryoneImported(await start());
  });

  for (const step of IMPORT_STEPS) {
    it(`after "${step}" is finished or redone at the next start, with nobody missing`, async () => {
      await writeFiles(flaskFiles);
      await interruptedImport({
        afterStep: (at) => {
          if (at === step) throw new Crash(at);
        },
      });
      await expectEveryoneImported(await start());
      expect(messages.join('\n')).toMatch(/import of the original app's data was interrupted/i);
    });
  }

  it('while its journal was being written is redone at the next start, with nobody missing', async () => {
    await writeFiles(flaskFiles);
    await interruptedImport({
      // What kill -9 leaves in the middle of the write: a temporary file holding part of the journal.
      writeJournal: async (path, events) => {
        await writeJournalFile(join(dirname(path), `.${basename(path)}.4242.tmp`), events.slice(0, 5), {
          overwrite: false,
        });
        throw new Crash('killed');
      },
    });
    await expectEveryoneImported(await start());
  });

  it('is not touched when its folder holds files the server did not put there', async () => {
    await writeFiles(flaskFiles);
    await interruptedImport({
      afterStep: (at) => {
        if (at === 'staging folder made') throw new Crash(at);
      },
    });
    await writeFile(join(dataDir, 'importing-from-flask', 'notes.txt'), 'mine');
    await expect(start()).rejects.toThrow(/importing-from-flask holds files this server did not put there: notes.txt/);
    expect(await readFile(join(dataDir, 'importing-from-flask', 'notes.txt'), 'utf8')).toBe('mine');
    expect(await readFile(join(dataDir, 'queue.csv'), 'utf8')).toBe(flaskFiles['queue.csv']);
  });
});

describe("the original app's data directory", () => {
  it('is recognised by its queue.csv when its transactions.csv is empty, and imported instead of overwritten', async () => {
    await writeFiles({ ...flaskFiles, 'transactions.csv': '' });
    const imported = await start();
    expect(await imported.summary()).toMatchObject({ vip_queue_length: QUEUED / 2, regular_queue_length: QUEUED / 2 });
    const kept = readdirSync(dataDir).find((name) => name.startsWith('imported-from-flask-')) as string;
    expect(await readFile(join(dataDir, kept, 'queue.csv'), 'utf8')).toBe(flaskFiles['queue.csv']);
    expect(await readFile(join(dataDir, kept, 'transactions.csv'), 'utf8')).toBe('');
  });

  it('is recognised by its availability.json alone, whose seats become the capacity', async () => {
    await writeFiles({ 'availability.json': '{"VIP": 7, "Regular": 9}' });
    expect(await (await start()).summary()).toMatchObject({ vip_capacity: 7, regular_capacity: 9, vip_sold: 0 });
  });

  it('beside this server’s journal, its queue.csv is kept aside and the queue rebuilt from the journal', async () => {
    await (await start()).close();
    store = undefined;
    await writeFiles({ 'queue.csv': flaskFiles['queue.csv'] as string });
    await (await start()).close();
    store = undefined;
    const [aside] = readdirSync(dataDir).filter((name) => name.startsWith('queue.csv.replaced-'));
    expect(await readFile(join(dataDir, aside as string), 'utf8')).toBe(flaskFiles['queue.csv']);
    expect(await readFile(join(dataDir, 'queue.csv'), 'utf8')).toMatch(/^position,id,/);
  });
});

describe('files in the data directory that neither app wrote', () => {
  const strangers: [string, string][] = [
    ['transactions.csv', 'name,email\nAnn,ann@example.com\n'],
    ['transactions.csv', 'a note without a line break'],
    ['queue.csv', 'name,email\nAnn,ann@example.com\n'],
    ['availability.json', '{"seats": 12}'],
  ];
  for (const [name, text] of strangers) {
    it(`stop the start of a new event and are left untouched: ${name} holding ${JSON.stringify(text)}`, async () => {
      await writeFiles({ [name]: text });
      await expect(start()).rejects.toThrow(
        new RegExp(`${name} was written neither by this server nor by the original app.*move it out of`),
      );
      expect(await readFile(join(dataDir, name), 'utf8')).toBe(text);
    });
  }

  it("stop the start with line 1 named when only the journal's header is damaged, and are left untouched", async () => {
    await (await start()).close();
    store = undefined;
    const journal = await readFile(join(dataDir, 'transactions.csv'), 'utf8');
    const damaged = journal.replace(/^seq,time/, 'seq,tme');
    await writeFiles({ 'transactions.csv': damaged });
    await expect(start()).rejects.toThrow(
      /transactions\.csv line 1 is damaged: it reads "seq,tme,.*Put back line 1 as seq,time,/,
    );
    expect(await readFile(join(dataDir, 'transactions.csv'), 'utf8')).toBe(damaged);
  });

  it.each([
    ['queue.csv', 'position;id;first_name\r1;ABC-DEF;Ann\r'],
    ['availability.json', '{"VIP": 9, "Regular": 100}'],
  ])('beside this server’s journal are kept aside, not refused: %s holding %j', async (name, text) => {
    await (await start()).close();
    store = undefined;
    await writeFiles({ [name]: text });
    await (await start()).close();
    store = undefined;
    const [aside] = readdirSync(dataDir).filter((file) => file.startsWith(`${name}.replaced-`));
    expect(await readFile(join(dataDir, aside as string), 'utf8')).toBe(text);
  });

  it('a long queue.csv of zeros, as a power cut can leave, is rebuilt from the journal without a word', async () => {
    await (await start()).close();
    store = undefined;
    await writeFiles({ 'queue.csv': '\0'.repeat(200_000) });
    await (await start()).close();
    store = undefined;
    expect(readdirSync(dataDir).filter((file) => file.includes('.replaced-'))).toEqual([]);
    expect(await readFile(join(dataDir, 'queue.csv'), 'utf8')).toMatch(/^position,id,/);
  });
});

describe('the imported event', () => {
  it('counts every seat the original confirmed in its capacity, so a seat it kept back after a cancellation is on sale again', async () => {
    await writeFiles({
      'transactions.csv': [
        'first_name,last_name,ticket_type,time,status',
        'Ann,Lee,VIP,2025-05-01 10:00:00,Confirmed',
        'Bob,Ray,VIP,2025-05-01 10:01:00,Confirmed',
        'Cy,Young,VIP,2025-05-01 10:02:00,Confirmed',
        'Bob,Ray,VIP,2025-05-01 10:03:00,Cancelled',
        '',
      ].join('\n'),
      'availability.json': '{"VIP": 0, "Regular": 2}',
    });
    expect(await (await start()).summary()).toMatchObject({ vip_capacity: 3, vip_sold: 2, vip_remaining: 1 });
    expect(messages.join('\n')).toMatch(
      /VIP: capacity 3 \(3 ever confirmed \+ 0 left\): the original app never put a cancelled seat back on sale, so the 1 seat cancelled there is available again/,
    );
  });

  it('gives a seat the original kept back to the first on the waitlist, and says so', async () => {
    await writeFiles({
      'transactions.csv': [
        'first_name,last_name,ticket_type,time,status',
        'Ann,Lee,VIP,2025-05-01 10:00:00,Confirmed',
        'Dee,Dee,VIP,2025-05-01 10:01:00,Sold Out',
        'Ann,Lee,VIP,2025-05-01 10:03:00,Cancelled',
        '',
      ].join('\n'),
      'availability.json': '{"VIP": 0, "Regular": 2}',
    });
    const imported = await start();
    expect(await imported.summary()).toMatchObject({ vip_capacity: 1, vip_sold: 1, vip_waitlist_length: 0 });
    const holders = (await imported.queue(10))['VIP Confirmed'];
    expect(holders?.entries.map((ticket) => ticket.first_name)).toEqual(['Dee']);
    expect(messages.join('\n')).toMatch(/transactions.csv line 4: the seat Ann Lee gave back goes to Dee Dee/);
  });

  it('keeps names exactly as the original wrote them, a leading apostrophe included', async () => {
    await writeFiles({
      'queue.csv':
        "first_name,last_name,ticket_type,time\n'Iolani,O'Neil,VIP,2025-05-01\n=Eve,-Ng,Regular,2025-05-01\n",
    });
    const imported = await start();
    const names = [];
    for await (const event of imported.journal()) if (event.action === 'registered') names.push(event.first_name);
    expect(names).toEqual(["'Iolani", '=Eve']);
  });
});

describe('temporary files', () => {
  it('left by snapshot writes a crash interrupted are removed at start; other files are kept', async () => {
    await (await start()).close();
    store = undefined;
    const leftovers = ['.queue.csv.12345.tmp', '.availability.json.999.tmp', '.transactions.csv.7.tmp'];
    const leftoverSecrets = ['.staff-token.5.tmp', '.idempotency-secret.6.tmp'];
    // Not ours: another program's temporary file, named the same way, is left alone.
    const others = ['notes.tmp', '.queue.csv.tmp', 'queue.csv.12345.tmp', '.mynotes.1.tmp'];
    for (const name of [...leftovers, ...leftoverSecrets, ...others]) {
      await writeFile(join(dataDir, name), 'x'.repeat(1000));
    }
    await mkdir(join(dataDir, '.kept.1.tmp'));
    await start();
    const names = readdirSync(dataDir);
    for (const name of [...leftovers, ...leftoverSecrets]) expect(names).not.toContain(name);
    for (const name of [...others, '.kept.1.tmp']) expect(names).toContain(name);
  });
});

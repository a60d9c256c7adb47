import { appendFile, mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JournalEvent, TICKET_ID_ALPHABET, type TicketType } from '@ticketing/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeJournalFile } from './csv/csv-store.ts';
import { encodeEvents, JOURNAL_HEADER } from './csv/journal-codec.ts';
import { journalFileLog, type LineStart } from './csv/journal-file.ts';
import { toTransaction } from './engine-store.ts';
import { LogSearches, transactionMatcher } from './log-search.ts';
import { StorageDamagedError, type TransactionFilter } from './types.ts';

let dir: string;
let path: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'log-search-'));
  path = join(dir, 'transactions.csv');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A registration as the journal holds it, with a ticket id of its own. */
function registered(seq: number, first_name: string, last_name: string, ticket_type: TicketType = 'VIP'): JournalEvent {
  return {
    seq,
    at: new Date(Date.UTC(2026, 10, 25, 10, 0, seq)).toISOString(),
    action: 'registered',
    actor: 'attendee',
    ticket_id: `ABC-${[seq >> 10, seq >> 5, seq].map((n) => TICKET_ID_ALPHABET[n % 31]).join('')}`,
    first_name,
    last_name,
    ticket_type,
    status: 'Queued',
    capacity: null,
    token_hash: '',
  };
}

/** Changes a character of the journal's first event (the line after the header), in its time. */
async function damageFirstEvent(): Promise<void> {
  const file = await open(path, 'r+');
  await file.write('X', Buffer.byteLength(JOURNAL_HEADER) + 1 + 5);
  await file.close();
}

const filter = (fields: Partial<TransactionFilter>): TransactionFilter => ({ limit: 50, offset: 0, ...fields });

/** Asks `searches` for a page, of everything in the journal as it is on disk now. */
async function page(searches: LogSearches<LineStart>, fields: Partial<TransactionFilter>) {
  const asked = filter(fields);
  const { size } = await stat(path);
  const { items, total } = await searches.page(asked, size);
  return { seqs: items.map((t) => t.seq), total };
}

/** What a page must hold: the matching events, newest first, worked out from the events themselves. */
function expected(events: JournalEvent[], fields: Partial<TransactionFilter>) {
  const asked = filter(fields);
  const matches = transactionMatcher(asked);
  const seqs = events
    .filter((event) => event.seq <= (asked.up_to_seq ?? Number.POSITIVE_INFINITY))
    .filter((event) => matches(toTransaction(event)))
    .map((event) => event.seq)
    .reverse();
  return { seqs: seqs.slice(asked.offset, asked.offset + asked.limit), total: seqs.length };
}

describe('searches of the transaction log', () => {
  it('page newest first at any depth and limit, held at any seq', async () => {
    const events = Array.from({ length: 40 }, (_, i) =>
      registered(i + 1, i % 3 ? 'Ada' : 'Zoë', `Ng-${i}`, i % 4 ? 'Regular' : 'VIP'),
    );
    await writeJournalFile(path, events, { overwrite: false });
    const searches = new LogSearches(journalFileLog(path));
    // undefined: the whole log, as its pages beyond those the store keeps in memory are read.
    for (const q of ['zoe', 'Ng-1', 'nobody', undefined]) {
      for (const [offset, limit] of [
        [0, 5],
        [5, 5],
        [10, 3],
        [12, 50],
        [100, 5],
      ] as const) {
        for (const up_to_seq of [undefined, 1, 20, 39]) {
          const asked = { q, offset, limit, up_to_seq };
          expect(await page(searches, asked), JSON.stringify(asked)).toEqual(expected(events, asked));
        }
      }
    }
    const typed = { ticket_type: 'VIP' as const, q: 'ada' };
    expect(await page(searches, typed)).toEqual(expected(events, typed));
  });

  it('read the journal once, then only what was appended since', async () => {
    const events = [registered(1, 'Ada', 'Lee'), registered(2, 'Bo', 'Ng'), registered(3, 'Ada', 'Ng')];
    await writeJournalFile(path, events, { overwrite: false });
    const searches = new LogSearches(journalFileLog(path));
    expect(await page(searches, { q: 'ng' })).toEqual({ seqs: [3, 2], total: 2 });

    // Damage the first event's line, already read and no match: only a search that reads it again sees it.
    await damageFirstEvent();
    const more = [registered(4, 'Cy', 'Ng'), registered(5, 'Ada', 'Lee')];
    await appendFile(path, encodeEvents(more));

    expect(await page(searches, { q: 'ng' })).toEqual({ seqs: [4, 3, 2], total: 3 });
    await expect(page(new LogSearches(journalFileLog(path)), { q: 'ng' })).rejects.toThrow(StorageDamagedError);
    await expect(page(new LogSearches(journalFileLog(path)), { q: 'ng' })).rejects.toThrow(/line 2 is damaged/);
  });

  it('read a log anew that became shorter than they read it, as one restored from a backup', async () => {
    await writeJournalFile(path, [registered(1, 'Ann', 'Lee'), registered(2, 'Bo', 'Ng'), registered(3, 'Cy', 'Ng')], {
      overwrite: false,
    });
    const searches = new LogSearches(journalFileLog(path));
    expect(await page(searches, { q: 'ng' })).toEqual({ seqs: [3, 2], total: 2 });
    await writeJournalFile(path, [registered(1, 'Ann', 'Ng'), registered(2, 'Bo', 'Lee')], { overwrite: true });
    expect(await page(searches, { q: 'ng' })).toEqual({ seqs: [1], total: 1 });
  });

  it('answer searches asked at once alike, and more searches than are kept', async () => {
    const events = Array.from({ length: 30 }, (_, i) => registered(i + 1, `P${i % 10}`, 'Lee'));
    await writeJournalFile(path, events, { overwrite: false });
    const searches = new LogSearches(journalFileLog(path));
    const asked = Array.from({ length: 12 }, (_, i) => ({ q: `P${i % 10}`, limit: 2 }));
    const pages = await Promise.all([...asked, ...asked].map((fields) => page(searches, fields)));
    expect(pages).toEqual([...asked, ...asked].map((fields) => expected(events, fields)));
    for (const fields of asked) expect(await page(searches, fields)).toEqual(expected(events, fields));
  });

  it('read a page whose lines are longer than one read', async () => {
    const long = 'é'.repeat(3000);
    const events = [registered(1, 'Ada', long), registered(2, long, 'Ng'), registered(3, 'Ada', 'Ng')];
    await writeJournalFile(path, events, { overwrite: false });
    const searches = new LogSearches(journalFileLog(path));
    const { items } = await searches.page(filter({ q: 'é' }), (await stat(path)).size);
    expect(items.map((t) => [t.seq, t.first_name.length, t.last_name.length])).toEqual([
      [2, 3000, 2],
      [1, 3, 3000],
    ]);
  });

  it('say where the journal is damaged, when a line a page needs was changed after it was read', async () => {
    await writeJournalFile(path, [registered(1, 'Ada', 'Ng'), registered(2, 'Bo', 'Lee')], { overwrite: false });
    const searches = new LogSearches(journalFileLog(path));
    expect(await page(searches, { q: 'ng' })).toEqual({ seqs: [1], total: 1 });
    await damageFirstEvent();
    await expect(page(searches, { q: 'ng' })).rejects.toThrow(/transactions\.csv at byte \d+ is damaged/);
  });
});

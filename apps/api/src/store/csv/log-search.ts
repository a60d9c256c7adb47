// Searches of the transaction log in the embedded store, kept up to date as the journal grows. The log is the
// journal on disk, too long to hold in memory, so a search reads it through once and keeps only where each
// match is (12 bytes a match). The staff page asks its search again every few seconds while a sale goes on:
// each time it now reads only the lines appended since, where it used to read the whole journal again (about
// two seconds of the server's time at a million events); and any page, however deep, reads just its own lines.

import { type FileHandle, open } from 'node:fs/promises';
import { type Transaction, ticketIdPrefix } from '@ticketing/shared';
import { toTransaction } from '../engine-store.ts';
import { foldForSearch } from '../search-fold.ts';
import { StorageDamagedError, type TransactionFilter } from '../types.ts';
import { ChunkDecoder, decodeEvent, LineDamagedError } from './journal-codec.ts';
import { FILE_START, journalEventAt, type LineStart, lineCount, readJournalChunks } from './journal-file.ts';

/** Searches remembered at once, the least recently asked given up first. */
const KEPT_SEARCHES = 8;
/**
 * Matches remembered over all searches (about 25 MB): beyond it the least recently asked searches are given up,
 * though never the one just asked, which at most holds every event of the journal.
 */
const KEPT_MATCHES = 1 << 21;
/** A journal line's length is not kept: a page reads this much at a line's start, and more if it is longer. */
const LINE_READ_BYTES = 1024;

/** Whether a transaction is one a search asks for. */
type Matcher = (transaction: Transaction) => boolean;

/** Where one search's matches are in the journal, as far as it has been read. */
class Matches {
  /** the start of the first line not read yet */
  next: LineStart = FILE_START;
  count = 0;
  /** the matches' seqs, ascending (the journal is in seq order) */
  seqs = new Int32Array(64);
  /** where each match's line starts in the journal */
  starts = new Float64Array(64);
  /** the read that brings these up to date, while one runs */
  reading: Promise<void> | undefined;

  add(seq: number, start: number): void {
    if (this.count === this.seqs.length) {
      const seqs = new Int32Array(this.count * 2);
      const starts = new Float64Array(this.count * 2);
      seqs.set(this.seqs);
      starts.set(this.starts);
      this.seqs = seqs;
      this.starts = starts;
    }
    this.seqs[this.count] = seq;
    this.starts[this.count] = start;
    this.count++;
  }

  /** How many matches have a seq of at most `seq`. */
  countUpTo(seq: number): number {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.seqs[middle] as number) <= seq) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

export class LogSearches {
  /** by search, least recently asked first (a Map keeps the order keys were set in) */
  private readonly searches = new Map<string, Matches>();

  constructor(private readonly journalPath: string) {}

  /**
   * A page of the events a search finds, newest first, in the journal's first `durableBytes` (whole lines), and
   * how many there are in all; with filter.up_to_seq, as if the journal had stopped at that seq.
   */
  async page(filter: TransactionFilter, durableBytes: number): Promise<{ items: Transaction[]; total: number }> {
    const key = JSON.stringify([filter.q, filter.ticket_type, filter.status]);
    const found = this.searches.get(key) ?? new Matches();
    this.searches.delete(key);
    this.searches.set(key, found);
    this.giveUpOldSearches(found);
    await this.catchUp(found, transactionMatcher(filter), durableBytes);

    const total = filter.up_to_seq === undefined ? found.count : found.countUpTo(filter.up_to_seq);
    // Match n, from 0, is the n-th oldest: the page runs from match total - 1 - offset back.
    const newest = total - 1 - filter.offset;
    const oldest = Math.max(0, total - filter.offset - filter.limit);
    const starts: number[] = [];
    for (let n = newest; n >= oldest; n--) starts.push(found.starts[n] as number);
    return { items: await this.readLines(starts), total };
  }

  /** Forgets every search, as after memory was rebuilt from the journal. */
  clear(): void {
    this.searches.clear();
  }

  /** Reads the journal from where `found` stopped up to `durableBytes`, one read at a time per search. */
  private async catchUp(found: Matches, matches: Matcher, durableBytes: number): Promise<void> {
    while (found.next.offset < durableBytes) {
      const from = found.next.offset;
      if (!found.reading) {
        found.reading = this.read(found, matches, durableBytes).finally(() => {
          found.reading = undefined;
        });
      }
      await found.reading;
      // durableBytes end a line, so a read always gets further; were it ever not to, this must not spin.
      if (found.next.offset === from) {
        throw new StorageDamagedError(`${this.journalPath} has no whole line at byte ${from}.`);
      }
    }
  }

  private async read(found: Matches, matches: Matcher, durableBytes: number): Promise<void> {
    for await (const chunk of readJournalChunks(this.journalPath, { limit: durableBytes, from: found.next })) {
      // Events only looked at, not kept: the decoder's are cheaper, and good for as long as this loop holds them.
      const decoder = new ChunkDecoder(chunk.bytes, chunk.starts);
      const lines = lineCount(chunk);
      for (let i = 0; i < lines; i++) {
        const event = journalEventAt(chunk, i, this.journalPath, decoder);
        if (matches(toTransaction(event))) found.add(event.seq, chunk.offset + (chunk.starts[i] as number));
      }
      // A chunk at a time, so a read that fails part way still leaves what it found, and where it stopped.
      found.next = { offset: chunk.offset + (chunk.starts[lines] as number), line: chunk.firstLine + lines };
    }
  }

  /** The events on the lines starting at these offsets, in that order. */
  private async readLines(starts: number[]): Promise<Transaction[]> {
    if (starts.length === 0) return [];
    const file = await open(this.journalPath, 'r');
    try {
      const items: Transaction[] = [];
      for (const start of starts) {
        try {
          let line: Buffer | undefined;
          for (let size = LINE_READ_BYTES; line === undefined; size *= 4) line = await readLineAt(file, start, size);
          items.push(toTransaction(decodeEvent(line)));
        } catch (error) {
          if (!(error instanceof LineDamagedError)) throw error;
          // It was whole when the search read it: the file was changed while the server ran.
          throw new StorageDamagedError(`${this.journalPath} at byte ${start} is damaged: ${error.message}.`);
        }
      }
      return items;
    } finally {
      await file.close();
    }
  }

  /** Keeps at most KEPT_SEARCHES searches and KEPT_MATCHES matches, giving up the least recently asked first. */
  private giveUpOldSearches(keep: Matches): void {
    let kept = 0;
    for (const found of this.searches.values()) kept += found.count;
    for (const [key, found] of this.searches) {
      if (this.searches.size <= KEPT_SEARCHES && kept <= KEPT_MATCHES) break;
      if (found === keep) continue;
      this.searches.delete(key);
      kept -= found.count;
    }
  }
}

/** What a search finds: its text in a name or as the start of a ticket id, of its type and status if given. */
export function transactionMatcher(filter: TransactionFilter): Matcher {
  const typed = filter.q?.trim();
  if (!typed) return (t) => matchesFilters(t, filter);
  const q = foldForSearch(typed).toLowerCase();
  const idPrefix = ticketIdPrefix(typed);
  // Only a search with a space in it can match across the first and last name.
  const spaced = q.includes(' ');
  const named = (t: Transaction) => {
    const first = foldForSearch(t.first_name).toLowerCase();
    const last = foldForSearch(t.last_name).toLowerCase();
    return first.includes(q) || last.includes(q) || (spaced && `${first} ${last}`.includes(q));
  };
  return (t) => matchesFilters(t, filter) && ((idPrefix !== undefined && t.ticket_id.startsWith(idPrefix)) || named(t));
}

function matchesFilters(t: Transaction, filter: TransactionFilter): boolean {
  return (
    (!filter.ticket_type || t.ticket_type === filter.ticket_type) &&
    (!filter.status || t.status.toLowerCase() === filter.status.toLowerCase())
  );
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

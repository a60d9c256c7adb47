// Searches of the transaction log, kept up to date as the log grows. The log is too long to hold in memory (the
// journal file, or the events table), so a search reads it through once and keeps only where each match is
// (12 bytes a match). The staff page asks its search again every 5 s while a sale goes on: each time only the
// events appended since are read, where the whole log was read again before (seconds at a million events, and
// longer than PostgreSQL's statement timeout there); and any page, however deep, reads just its own events.

import { grown, type JournalEvent, type Transaction, ticketIdPrefix } from '@ticketing/shared';
import { toTransaction } from './engine-store.ts';
import { foldForSearch } from './search-fold.ts';
import { StorageDamagedError, type TransactionFilter } from './types.ts';

/** What a search looks at in an event. */
export type SearchedEvent = Pick<
  Transaction,
  'seq' | 'ticket_id' | 'first_name' | 'last_name' | 'ticket_type' | 'status'
>;

/**
 * A log as a search reads it: from a place `Next` (where the reading got to), up to an end (a number: how much
 * of the log to read); every event found at a place `at` (a number) by which it is fetched again whole.
 */
export interface SearchedLog<Next> {
  /** where a search starts reading */
  readonly start: Next;
  /** how far into the log `next` is, in the unit of `end` */
  reached(next: Next): number;
  /** Hands each event after `from`, up to `end`, to `visit` in order; resolves to where it stopped. */
  read(from: Next, end: number, visit: (event: SearchedEvent, at: number) => void): Promise<Next>;
  /** the events at these places, in this order */
  fetch(at: readonly number[]): Promise<JournalEvent[]>;
  /** names the log in a refusal */
  readonly name: string;
}

/** Searches remembered at once, the least recently asked given up first. */
const KEPT_SEARCHES = 8;
/**
 * Matches remembered over all searches (about 25 MB): beyond it the least recently asked searches are given up,
 * though never the one just asked, which at most holds every event of the log.
 */
const KEPT_MATCHES = 1 << 21;

/** Whether an event is one a search asks for. */
type Matcher = (event: SearchedEvent) => boolean;

/** Where one search's matches are in the log, as far as it has been read. */
class Matches<Next> {
  count = 0;
  /** the matches' seqs, ascending (the log is in seq order) */
  seqs = new Int32Array(64);
  /** where each match is in the log */
  places = new Float64Array(64);
  /** the read that brings these up to date, while one runs */
  reading: Promise<void> | undefined;

  constructor(
    /** where the reading got to */
    public next: Next,
  ) {}

  add(seq: number, at: number): void {
    if (this.count === this.seqs.length) {
      this.seqs = grown(this.seqs, this.count * 2);
      this.places = grown(this.places, this.count * 2);
    }
    this.seqs[this.count] = seq;
    this.places[this.count] = at;
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

export class LogSearches<Next> {
  /** by search, least recently asked first (a Map keeps the order keys were set in) */
  private readonly searches = new Map<string, Matches<Next>>();

  constructor(private readonly log: SearchedLog<Next>) {}

  /**
   * A page of the events a search finds, newest first, in the log up to `end`, and how many there are in all;
   * with filter.up_to_seq, as if the log had stopped at that seq.
   */
  async page(filter: TransactionFilter, end: number): Promise<{ items: Transaction[]; total: number }> {
    const key = JSON.stringify([filter.q, filter.ticket_type, filter.status]);
    let found = this.searches.get(key);
    // A log now shorter than a search read lost events since (a database restored from a backup): read it anew.
    if (!found || this.log.reached(found.next) > end) found = new Matches(this.log.start);
    this.searches.delete(key);
    this.searches.set(key, found);
    this.giveUpOldSearches(found);
    await this.catchUp(found, transactionMatcher(filter), end);

    const total = filter.up_to_seq === undefined ? found.count : found.countUpTo(filter.up_to_seq);
    // Match n, from 0, is the n-th oldest: the page runs from match total - 1 - offset back.
    const newest = total - 1 - filter.offset;
    const oldest = Math.max(0, total - filter.offset - filter.limit);
    const places: number[] = [];
    for (let n = newest; n >= oldest; n--) places.push(found.places[n] as number);
    const events = places.length > 0 ? await this.log.fetch(places) : [];
    return { items: events.map(toTransaction), total };
  }

  /** Forgets every search, as after memory was rebuilt from the log. */
  clear(): void {
    this.searches.clear();
  }

  /** Reads the log from where `found` stopped up to `end`, one read at a time per search. */
  private async catchUp(found: Matches<Next>, matches: Matcher, end: number): Promise<void> {
    while (this.log.reached(found.next) < end) {
      const from = this.log.reached(found.next);
      if (!found.reading) {
        found.reading = this.read(found, matches, end).finally(() => {
          found.reading = undefined;
        });
      }
      await found.reading;
      // `end` is within the log, so a read always gets further; were it ever not to, this must not spin.
      if (this.log.reached(found.next) === from) {
        throw new StorageDamagedError(`${this.log.name} ends before ${end}, where it was read up to ${from}.`);
      }
    }
  }

  private async read(found: Matches<Next>, matches: Matcher, end: number): Promise<void> {
    found.next = await this.log.read(found.next, end, (event, at) => {
      if (matches(event)) found.add(event.seq, at);
    });
  }

  /** Keeps at most KEPT_SEARCHES searches and KEPT_MATCHES matches, giving up the least recently asked first. */
  private giveUpOldSearches(keep: Matches<Next>): void {
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

/** Whether a page of the log is a search (some text, a type or a status), or a page of the whole log. */
export function isSearch(filter: TransactionFilter): boolean {
  return Boolean(filter.q?.trim() || filter.ticket_type || filter.status);
}

/** What a search finds: its text in a name or as the start of a ticket id, of its type and status if given. */
export function transactionMatcher(filter: TransactionFilter): Matcher {
  const typed = filter.q?.trim();
  if (!typed) return (t) => matchesFilters(t, filter);
  const q = foldForSearch(typed).toLowerCase();
  const idPrefix = ticketIdPrefix(typed);
  // Only a search with a space in it can match across the first and last name.
  const spaced = q.includes(' ');
  const named = (t: SearchedEvent) => {
    const first = foldForSearch(t.first_name).toLowerCase();
    const last = foldForSearch(t.last_name).toLowerCase();
    return first.includes(q) || last.includes(q) || (spaced && `${first} ${last}`.includes(q));
  };
  return (t) => matchesFilters(t, filter) && ((idPrefix !== undefined && t.ticket_id.startsWith(idPrefix)) || named(t));
}

function matchesFilters(t: SearchedEvent, filter: TransactionFilter): boolean {
  return (
    (!filter.ticket_type || t.ticket_type === filter.ticket_type) &&
    (!filter.status || t.status.toLowerCase() === filter.status.toLowerCase())
  );
}

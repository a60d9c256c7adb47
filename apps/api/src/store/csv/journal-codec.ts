// transactions.csv: the journal and audit log. One event per line, with a CRC-32 of the line so that a
// damaged line is told apart from an intact one; the journal alone is enough to rebuild all state.

import { crc32 } from 'node:zlib';
import {
  ACTORS,
  EVENT_ACTIONS,
  type JournalEvent,
  TICKET_STATUSES,
  TICKET_TYPES,
  type TicketStatus,
  TRANSACTION_COLUMNS,
} from '@ticketing/shared';
import { decodeRecord, encodeRecords } from '../../lib/csv-cells.ts';

/** The log's columns, then what only the journal keeps: the owner token's hash and a line checksum. */
export const JOURNAL_COLUMNS = [...TRANSACTION_COLUMNS, 'token_hash', 'check'] as const;

export const JOURNAL_HEADER = JOURNAL_COLUMNS.join(',');

const checksum = (text: string) => crc32(text).toString(16).padStart(8, '0');

const cells = (event: JournalEvent) => [
  event.seq,
  event.at,
  event.action,
  event.actor,
  event.ticket_id,
  event.first_name,
  event.last_name,
  event.ticket_type,
  event.status,
  event.capacity,
  event.token_hash,
];

export const encodeEvent = (event: JournalEvent): string => encodeEvents([event]);

/** Journal lines for these events, each ending in its checksum and a line break. */
export function encodeEvents(events: readonly JournalEvent[]): string {
  // One papaparse call for the batch; no value can hold a line break, so lines split back exactly.
  const records = encodeRecords(events.map(cells));
  let out = '';
  let start = 0;
  for (let end = records.indexOf('\n'); end !== -1; end = records.indexOf('\n', start)) {
    const record = records.slice(start, end);
    out += `${record},${checksum(record)}\n`;
    start = end + 1;
  }
  return out;
}

export class LineDamagedError extends Error {}

const FIELDS = JOURNAL_COLUMNS.length - 1;
const COMMA = 0x2c;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const ZERO = 0x30;
/** The checksum: a comma and 8 hex digits at the end of every line. */
const CHECK_LENGTH = 9;

/** The cells of one record, however they were found. */
interface Cells {
  readonly count: number;
  isEmpty(i: number): boolean;
  text(i: number): string;
  /** the cell as the one of `words` it equals (that very string), or undefined */
  word<T extends string>(i: number, words: readonly T[]): T | undefined;
  /** a whole number written without sign or leading zeros; null when the cell is empty, NaN when not such a number */
  whole(i: number): number | null;
}

/**
 * Cells read straight from the line's bytes, for a record without quotes (nearly every line): no string for
 * the whole line, none for a cell matched against a vocabulary, and fresh strings for the rest, so no
 * ticket held in memory keeps its journal line alive. One instance is reused for every line.
 */
class ByteCells implements Cells {
  private bytes: Buffer = Buffer.alloc(0);
  /** where each cell starts, then one past the end of the last */
  private readonly bounds: number[] = [];

  /** Cuts bytes[start, end) at its commas; false when it holds a quote, so needs the full CSV parser. */
  split(bytes: Buffer, start: number, end: number): boolean {
    const bounds = this.bounds;
    bounds.length = 0;
    bounds.push(start);
    for (let i = start; i < end; i++) {
      const byte = bytes[i];
      if (byte === COMMA) bounds.push(i + 1);
      else if (byte === QUOTE) return false;
    }
    bounds.push(end + 1);
    this.bytes = bytes;
    return true;
  }

  get count(): number {
    return this.bounds.length - 1;
  }

  isEmpty(i: number): boolean {
    return (this.bounds[i + 1] as number) - 1 === this.bounds[i];
  }

  text(i: number): string {
    let start = this.bounds[i] as number;
    const end = (this.bounds[i + 1] as number) - 1;
    // Undo the formula escape (see csv-cells.ts).
    if (this.bytes[start] === APOSTROPHE) start++;
    return start >= end ? '' : this.bytes.toString('utf8', start, end);
  }

  word<T extends string>(i: number, words: readonly T[]): T | undefined {
    const start = this.bounds[i] as number;
    const length = (this.bounds[i + 1] as number) - 1 - start;
    next: for (const word of words) {
      if (word.length !== length) continue;
      for (let k = 0; k < length; k++) if (this.bytes[start + k] !== word.charCodeAt(k)) continue next;
      return word;
    }
    return undefined;
  }

  whole(i: number): number | null {
    const start = this.bounds[i] as number;
    const end = (this.bounds[i + 1] as number) - 1;
    if (start === end) return null;
    if (end - start > 15 || (this.bytes[start] === ZERO && end - start > 1)) return Number.NaN;
    let value = 0;
    for (let k = start; k < end; k++) {
      const digit = (this.bytes[k] as number) - ZERO;
      if (digit < 0 || digit > 9) return Number.NaN;
      value = value * 10 + digit;
    }
    return value;
  }
}

/** Cells of a record the CSV parser split (one with quotes). */
class ParsedCells implements Cells {
  constructor(private readonly cells: string[]) {}

  get count(): number {
    return this.cells.length;
  }

  isEmpty(i: number): boolean {
    return !this.cells[i];
  }

  text(i: number): string {
    return detached(this.cells[i] ?? '');
  }

  word<T extends string>(i: number, words: readonly T[]): T | undefined {
    return words.find((word) => word === this.cells[i]);
  }

  whole(i: number): number | null {
    const cell = this.cells[i] ?? '';
    if (cell === '') return null;
    return /^(0|[1-9]\d{0,14})$/.test(cell) ? Number(cell) : Number.NaN;
  }
}

/**
 * A copy of a cell that does not keep its whole line alive: V8 makes longer substrings views into their
 * parent string, so a ticket's name would otherwise pin the ~150-byte line it came from.
 */
function detached(cell: string): string {
  return cell.length < 13 ? cell : Buffer.from(cell, 'utf8').toString('utf8');
}

const byteCells = new ByteCells();

/** Reads the checksum's 8 hex digits; NaN if they are not hex. */
function readCheck(bytes: Buffer, start: number): number {
  let value = 0;
  for (let k = start; k < start + CHECK_LENGTH - 1; k++) {
    const byte = (bytes[k] as number) | 0x20; // lower case
    const digit = byte >= 0x30 && byte <= 0x39 ? byte - 0x30 : byte >= 0x61 && byte <= 0x66 ? byte - 0x57 : -1;
    if (digit < 0) return Number.NaN;
    value = value * 16 + digit;
  }
  return value;
}

/**
 * Parses the journal line in bytes[start, end) (without its line break); throws LineDamagedError saying
 * what is wrong. Reads bytes rather than a string because replaying a long journal at start is mostly this.
 */
export function decodeEvent(bytes: Buffer, start = 0, end = bytes.length): JournalEvent {
  const split = end - CHECK_LENGTH;
  if (split < start || bytes[split] !== COMMA || readCheck(bytes, split + 1) !== crc32(bytes.subarray(start, split))) {
    throw new LineDamagedError('its checksum does not match its content');
  }
  const cells = byteCells.split(bytes, start, split)
    ? byteCells
    : new ParsedCells(decodeRecord(bytes.toString('utf8', start, split)));
  return eventFrom(cells);
}

function eventFrom(cells: Cells): JournalEvent {
  if (cells.count !== FIELDS) throw new LineDamagedError(`expected ${FIELDS} values, found ${cells.count}`);
  const seq = cells.whole(0);
  if (seq === null || !(seq > 0)) throw new LineDamagedError(`seq "${cells.text(0)}" is not a positive whole number`);
  const at = cells.text(1);
  if (Number.isNaN(Date.parse(at))) throw new LineDamagedError(`time "${at}" is not a date`);
  const capacity = cells.whole(9);
  if (Number.isNaN(capacity)) throw new LineDamagedError(`capacity "${cells.text(9)}" is not a number`);
  return {
    seq,
    at,
    action: oneOf(cells, 2, EVENT_ACTIONS, 'action'),
    actor: oneOf(cells, 3, ACTORS, 'actor'),
    ticket_id: cells.text(4),
    first_name: cells.text(5),
    last_name: cells.text(6),
    ticket_type: oneOf(cells, 7, TICKET_TYPES, 'ticket_type'),
    status: cells.isEmpty(8) ? '' : oneOf<TicketStatus>(cells, 8, TICKET_STATUSES, 'status'),
    capacity,
    token_hash: cells.text(10),
  };
}

function oneOf<T extends string>(cells: Cells, i: number, words: readonly T[], column: string): T {
  const word = cells.word(i, words);
  if (word !== undefined) return word;
  throw new LineDamagedError(`${column} "${cells.text(i)}" is not one of ${words.join(', ')}`);
}

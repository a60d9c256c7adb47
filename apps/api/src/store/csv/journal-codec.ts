// transactions.csv: the journal and audit log. One event per line, with a CRC-32 of the line so that a
// damaged line is told apart from an intact one; the journal alone is enough to rebuild all state.

import { isAscii } from 'node:buffer';
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
import { crc32Of } from '../../lib/crc32.ts';
import { decodeRecord, encodeRecord } from '../../lib/csv-cells.ts';

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

/**
 * No registration made here has a shorter line: seq, a 24-character time, "registered", an actor, an id, the
 * names, a type, "Queued", the owner token's 64-digit hash, a checksum, the commas and the line break. (Only
 * tickets imported from the original app have no token, and shorter lines.)
 */
export const SHORTEST_OWNED_REGISTRATION_BYTES = 128;

/** Journal lines for these events, each ending in its checksum and a line break. */
export function encodeEvents(events: readonly JournalEvent[]): string {
  // No value can hold a line break (names refuse control characters), so each event is exactly one line.
  let out = '';
  for (const event of events) {
    const record = encodeRecord(cells(event));
    out += `${record},${checksum(record)}\n`;
  }
  return out;
}

export class LineDamagedError extends Error {}

export const CHECKSUM_MISMATCH = 'its checksum does not match its content';

/** The values of a journal line before its checksum. */
export const FIELDS = JOURNAL_COLUMNS.length - 1;
/**
 * A line's cell bounds as given to a ChunkDecoder: where each cell starts, then one past the end of the last
 * (the checksum's comma); or CELLS_NOT_FOUND first, for a line that holds a quote, a byte that is not ASCII or
 * another number of cells, which the decoder then splits itself.
 */
export const CELL_BOUNDS_PER_LINE = FIELDS + 1;
export const CELLS_NOT_FOUND = -1;
const COMMA = 0x2c;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const ZERO = 0x30;
/** The checksum: a comma and 8 hex digits at the end of every line. */
const CHECK_LENGTH = 9;
/** The form of the times the server writes (Date.prototype.toISOString); D stands for a digit. */
const TIME_SHAPE = 'DDDD-DD-DDTDD:DD:DD.DDDZ';
const TIME_LENGTH = TIME_SHAPE.length;
/** where TIME_SHAPE has a digit */
const TIME_DIGITS = Int8Array.from([...TIME_SHAPE].flatMap((char, k) => (char === 'D' ? [k] : [])));
/** pairs of (position, character code) where TIME_SHAPE has anything else */
const TIME_SEPARATORS = Int8Array.from(
  [...TIME_SHAPE].flatMap((char, k) => (char === 'D' ? [] : [k, char.charCodeAt(0)])),
);

/** The cells of one record, however they were found. */
interface Cells {
  readonly count: number;
  isEmpty(i: number): boolean;
  text(i: number): string;
  /** the cell as the one of `words` it equals (that very string), or undefined */
  word<T extends string>(i: number, words: readonly T[]): T | undefined;
  /** a whole number written without sign or leading zeros; null when the cell is empty, NaN when not such a number */
  whole(i: number): number | null;
  /**
   * true when the cell is a time as the server writes them, "YYYY-MM-DDTHH:MM:SS.sssZ", with plausible digits:
   * checked without parsing, since nearly every line has one; false means only "not in that form".
   */
  isTime(i: number): boolean;
}

/**
 * Cells read straight from the line's bytes, for a record without quotes (nearly every line): no string for
 * the whole line and none for a cell matched against a vocabulary. Text cells are fresh strings, so no
 * ticket held in memory keeps its journal line alive, unless the line's chunk of text is given (see
 * ChunkDecoder). One instance is reused for every line.
 */
class ByteCells implements Cells {
  private bytes: Buffer = Buffer.alloc(0);
  /** where each cell starts, then one past the end of the last */
  private readonly bounds: number[] = [];
  /** true when the line split last is all ASCII */
  ascii = false;

  /** Cuts bytes[start, end) at its commas; false when it holds a quote, so needs the full CSV parser. */
  split(bytes: Buffer, start: number, end: number): boolean {
    const bounds = this.bounds;
    bounds.length = 0;
    bounds.push(start);
    let all = 0;
    for (let i = start; i < end; i++) {
      const byte = bytes[i] as number;
      all |= byte;
      if (byte === COMMA) bounds.push(i + 1);
      else if (byte === QUOTE) return false;
    }
    bounds.push(end + 1);
    this.bytes = bytes;
    this.ascii = all < 0x80;
    return true;
  }

  /** Takes a line's bounds as found elsewhere (see CELL_BOUNDS_PER_LINE), for a line of ASCII without quotes. */
  use(bytes: Buffer, found: Int32Array, at: number): this {
    const bounds = this.bounds;
    bounds.length = CELL_BOUNDS_PER_LINE;
    for (let k = 0; k < CELL_BOUNDS_PER_LINE; k++) bounds[k] = found[at + k] as number;
    this.bytes = bytes;
    this.ascii = true;
    return this;
  }

  get count(): number {
    return this.bounds.length - 1;
  }

  isEmpty(i: number): boolean {
    return (this.bounds[i + 1] as number) - 1 === this.bounds[i];
  }

  text(i: number): string {
    const [start, end] = this.textBounds(i);
    return start >= end ? '' : this.bytes.toString('utf8', start, end);
  }

  /** Where cell i's text starts and ends in the bytes, without the formula escape (see csv-cells.ts). */
  textBounds(i: number): [number, number] {
    const start = this.bounds[i] as number;
    const end = (this.bounds[i + 1] as number) - 1;
    return [this.bytes[start] === APOSTROPHE && start < end ? start + 1 : start, end];
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

  isTime(i: number): boolean {
    const b = this.bytes;
    const start = this.bounds[i] as number;
    if ((this.bounds[i + 1] as number) - 1 - start !== TIME_LENGTH) return false;
    for (let k = 0; k < TIME_SEPARATORS.length; k += 2) {
      if (b[start + (TIME_SEPARATORS[k] as number)] !== TIME_SEPARATORS[k + 1]) return false;
    }
    for (let k = 0; k < TIME_DIGITS.length; k++) {
      const digit = (b[start + (TIME_DIGITS[k] as number)] as number) - ZERO;
      if (digit < 0 || digit > 9) return false;
    }
    // In range as Date.parse sees it (it takes day 31 of any month), so this never accepts what it refuses.
    const month = this.twoDigits(start + 5);
    const day = this.twoDigits(start + 8);
    return (
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= 31 &&
      this.twoDigits(start + 11) <= 23 &&
      this.twoDigits(start + 14) <= 59 &&
      this.twoDigits(start + 17) <= 59
    );
  }

  private twoDigits(at: number): number {
    return ((this.bytes[at] as number) - ZERO) * 10 + (this.bytes[at + 1] as number) - ZERO;
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

  isTime(): boolean {
    return false;
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
  return eventFrom(cellsOf(bytes, start, end, true));
}

function cellsOf(bytes: Buffer, start: number, end: number, checksum: boolean): Cells {
  const split = end - CHECK_LENGTH;
  if (
    split < start ||
    bytes[split] !== COMMA ||
    (checksum && readCheck(bytes, split + 1) !== crc32Of(bytes, start, split))
  ) {
    throw new LineDamagedError(CHECKSUM_MISMATCH);
  }
  return byteCells.split(bytes, start, split)
    ? byteCells
    : new ParsedCells(decodeRecord(bytes.toString('utf8', start, split)));
}

/**
 * Decodes the lines of one chunk of the journal, in order, for a replay. The whole chunk becomes one string,
 * and the text cells of its ASCII lines (nearly all) are slices of it: far cheaper than a string per cell,
 * which is most of what decoding a line would otherwise cost. Those slices keep the chunk's text alive, so
 * the events are for applying at once, not for keeping.
 */
export class ChunkDecoder {
  private readonly text: string;
  /** byte b of the chunk is character b - shift of text, for the lines not decoded yet */
  private shift: number;
  private next = 0;

  /**
   * Lines run from starts[i] to their line break at starts[i + 1] - 1. Without `checksums`, their checksums
   * are left to someone else (see worker-line-reader.ts); everything else about them is still checked. Where
   * that someone found the lines' cells too, `cells` holds their bounds, CELL_BOUNDS_PER_LINE a line.
   */
  constructor(
    private readonly bytes: Buffer,
    private readonly starts: readonly number[],
    private readonly checksums = true,
    private readonly cells?: Int32Array,
  ) {
    this.shift = starts[0] as number;
    const end = starts.at(-1) as number;
    // Nearly every chunk is plain ASCII, which reads as Latin-1 as it does as UTF-8, without validating it.
    this.text = bytes.toString(isAscii(bytes.subarray(this.shift, end)) ? 'latin1' : 'utf8', this.shift, end);
  }

  /** The event on line i; lines must be asked for in order, starting with 0. */
  event(i: number): JournalEvent {
    if (i !== this.next)
      throw new Error(`ChunkDecoder reads lines in order: line ${i} asked for, ${this.next} is next`);
    this.next++;
    const start = this.starts[i] as number;
    const end = (this.starts[i + 1] as number) - 1;
    const found = i * CELL_BOUNDS_PER_LINE;
    const cells =
      this.cells !== undefined && this.cells[found] !== CELLS_NOT_FOUND
        ? byteCells.use(this.bytes, this.cells, found)
        : cellsOf(this.bytes, start, end, this.checksums);
    if (cells === byteCells && byteCells.ascii && this.lineIsAt(start, end))
      return eventFrom(cells, this.text, this.shift);
    // A character of this line may take several bytes: the lines after it sit that much nearer the start.
    this.shift += end - start - this.bytes.toString('utf8', start, end).length;
    return eventFrom(cells);
  }

  /** Whether an ASCII line's first and last bytes are where the text should have them: a cheap guard. */
  private lineIsAt(start: number, end: number): boolean {
    return (
      this.text.charCodeAt(start - this.shift) === this.bytes[start] &&
      this.text.charCodeAt(end - 1 - this.shift) === this.bytes[end - 1]
    );
  }
}

/** The event on a line; with the line's chunk of text, its text cells are slices of it (see ChunkDecoder). */
function eventFrom(cells: Cells, chunkText?: string, shift = 0): JournalEvent {
  if (cells.count !== FIELDS) throw new LineDamagedError(`expected ${FIELDS} values, found ${cells.count}`);
  const seq = cells.whole(0);
  if (seq === null || !(seq > 0)) throw new LineDamagedError(`seq "${cells.text(0)}" is not a positive whole number`);
  const at = cellText(cells, 1, chunkText, shift);
  if (!cells.isTime(1) && Number.isNaN(Date.parse(at))) throw new LineDamagedError(`time "${at}" is not a date`);
  const capacity = cells.whole(9);
  if (Number.isNaN(capacity)) throw new LineDamagedError(`capacity "${cells.text(9)}" is not a number`);
  return {
    seq,
    at,
    action: oneOf(cells, 2, EVENT_ACTIONS, 'action'),
    actor: oneOf(cells, 3, ACTORS, 'actor'),
    ticket_id: cellText(cells, 4, chunkText, shift),
    first_name: cellText(cells, 5, chunkText, shift),
    last_name: cellText(cells, 6, chunkText, shift),
    ticket_type: oneOf(cells, 7, TICKET_TYPES, 'ticket_type'),
    status: cells.isEmpty(8) ? '' : oneOf<TicketStatus>(cells, 8, TICKET_STATUSES, 'status'),
    capacity,
    token_hash: cellText(cells, 10, chunkText, shift),
  };
}

function cellText(cells: Cells, i: number, chunkText: string | undefined, shift: number): string {
  if (chunkText === undefined) return cells.text(i);
  const [start, end] = (cells as ByteCells).textBounds(i);
  return chunkText.slice(start - shift, end - shift);
}

function oneOf<T extends string>(cells: Cells, i: number, words: readonly T[], column: string): T {
  const word = cells.word(i, words);
  if (word !== undefined) return word;
  throw new LineDamagedError(`${column} "${cells.text(i)}" is not one of ${words.join(', ')}`);
}

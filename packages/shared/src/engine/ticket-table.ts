// The tickets as a table of columns: one row per ticket, in registration order, each field in an array
// of its own. A million tickets are then a few arrays instead of a million objects: replaying a long
// journal allocates almost nothing per ticket, and the garbage collector has almost nothing to trace.

import { TICKET_ID_ALPHABET, TICKET_STATUSES, TICKET_TYPES, type TicketStatus, type TicketType } from '../tickets.ts';
import { grown, PackedTexts, textFits, utf8, utf8Into } from './columns.ts';
import type { SlotColumn } from './ordered-queue.ts';

/** A ticket's row: its place in registration order, from 0. */
export type Row = number;

const DIGEST_BYTES = 32;
const FIRST_ROWS = 1024;
const ALPHABET_SIZE = TICKET_ID_ALPHABET.length;
/** ticketKey's value for an id that is not of the product's shape */
const OTHER_SHAPE = -1;

const ID_DIGITS = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET_SIZE; i++) ID_DIGITS[TICKET_ID_ALPHABET.charCodeAt(i)] = i;

/**
 * An id of the product's shape ("ABC-DEF") read as a number in base 31: below 31^6, so a small integer
 * that is filed and compared without hashing a string. -1 for any other id.
 */
export function ticketNumber(id: string): number {
  if (id.length !== 7 || id.charCodeAt(3) !== 45 /* - */) return OTHER_SHAPE;
  let key = 0;
  for (let i = 0; i < 7; i++) {
    if (i === 3) continue;
    const code = id.charCodeAt(i);
    const digit = code < 128 ? (ID_DIGITS[code] as number) : -1;
    if (digit < 0) return OTHER_SHAPE;
    key = key * ALPHABET_SIZE + digit;
  }
  return key;
}

/** The length of an id of the product's shape, in characters and in UTF-8 bytes alike. */
const ID_LENGTH = 7;
const ID_CODES = Uint8Array.from(TICKET_ID_ALPHABET, (char) => char.charCodeAt(0));
const idScratch = new Uint8Array(ID_LENGTH);

/** Writes the id a ticketNumber was read from, as its 7 ASCII codes, into[0, 7). */
function writeTicketNumber(key: number, into: Uint8Array): void {
  let rest = key;
  for (let i = ID_LENGTH - 1; i >= 0; i--) {
    if (i === 3) {
      into[i] = 45; // -
      continue;
    }
    into[i] = ID_CODES[rest % ALPHABET_SIZE] as number;
    rest = Math.floor(rest / ALPHABET_SIZE);
  }
}

/** The id a ticketNumber was read from. */
function formatTicketNumber(key: number): string {
  const c = idScratch;
  writeTicketNumber(key, c);
  return String.fromCharCode(
    c[0] as number,
    c[1] as number,
    c[2] as number,
    c[3] as number,
    c[4] as number,
    c[5] as number,
    c[6] as number,
  );
}

const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
/** The byte two lower-case hex digits stand for, by (first char code << 7 | second); -1 for anything else. */
const HEX_PAIRS = new Int16Array(1 << 14).fill(-1);
for (let byte = 0; byte < 256; byte++) {
  const pair = HEX_BYTES[byte] as string;
  HEX_PAIRS[(pair.charCodeAt(0) << 7) | pair.charCodeAt(1)] = byte;
}

/** What a new row holds. */
export interface NewTicketRow {
  id: string;
  first_name: string;
  last_name: string;
  ticket_type: TicketType;
  created_at: string;
  /** SHA-256 of the owner token in lower-case hex, or '' for a ticket without one */
  token_hash: string;
}

/**
 * A row's numbers, four side by side (one trip to memory for all of them): its slot in the line it stands in
 * (-1 for none), its status and type (status | type << 2, as indexes of their vocabularies), the ticketNumber
 * of its id (OTHER_SHAPE for an id of another shape), and where its texts start in the packed texts.
 */
const META = 4;
const SLOT = 0;
const KIND = 1;
const NUMBER = 2;
const TEXTS_AT = 3;
/** A row's texts, in the order they are packed. */
const FIRST_NAME = 0;
const LAST_NAME = 1;
const CREATED_AT = 2;

/**
 * A row's fields as UTF-8 bytes, for writing many rows out without making a string of each field (queue.csv):
 * TicketTable.readBytes fills the same one again for each row.
 */
export class RowBytes {
  /** the id's bytes are id[0, idLength) */
  id = new Uint8Array(ID_LENGTH);
  idLength = 0;
  ticket_type: TicketType = 'Regular';
  /** the bytes the texts below are in (the table's own: only to be read, and only until the next change) */
  bytes: Uint8Array = new Uint8Array(0);
  /** text k (0: first name, 1: last name, 2: registration time) is bytes[texts[2k], texts[2k + 1]) */
  readonly texts = new Int32Array(6);
}

export class TicketTable implements SlotColumn {
  private rows = 0;
  private capacity = FIRST_ROWS;
  private meta = new Int32Array(FIRST_ROWS * META);
  /** ids of another shape, by row, and rows by such ids */
  private readonly otherIds = new Map<Row, string>();
  private readonly otherRows = new Map<string, Row>();
  /** open addressing over ticket numbers: pairs of (number, row + 1); row + 1 = 0 marks a free pair */
  private index = new Int32Array(2 * 2048);
  /** 32 - log2(pairs in index) */
  private indexShift = 32 - 11;
  /** first name, last name and registration time of each row, in that order, rows one after another */
  private readonly texts = new PackedTexts();
  /** owner token digests, 32 bytes a row; a ticket imported without an owner has none */
  private digests = new Uint8Array(FIRST_ROWS * DIGEST_BYTES);
  private hasDigest = new Uint8Array(FIRST_ROWS);

  get size(): number {
    return this.rows;
  }

  /**
   * Adds a ticket as Queued, standing in no line; undefined when its id is taken, its token hash malformed or
   * one of its texts longer than 64 KiB.
   */
  add(ticket: NewTicketRow): Row | undefined {
    const row = this.rows;
    if (row === this.capacity) this.grow();
    if (!(textFits(ticket.first_name) && textFits(ticket.last_name) && textFits(ticket.created_at))) return undefined;
    if (!this.setDigest(row, ticket.token_hash)) return undefined;
    const number = ticketNumber(ticket.id);
    if (number === OTHER_SHAPE) {
      if (this.otherRows.has(ticket.id)) return undefined;
      this.otherIds.set(row, ticket.id);
      this.otherRows.set(ticket.id, row);
    } else if (!this.fileNumber(number, row)) {
      return undefined;
    }
    const meta = row * META;
    // An Int32Array: past 2 GiB of texts the offset reads back as negative, hence the >>> 0 where it is read.
    this.meta[meta + TEXTS_AT] = this.texts.next;
    this.texts.append(ticket.first_name);
    this.texts.append(ticket.last_name);
    this.texts.append(ticket.created_at);
    this.meta[meta + SLOT] = -1;
    this.meta[meta + KIND] = TICKET_TYPES.indexOf(ticket.ticket_type) << 2; // and status 0: Queued
    this.meta[meta + NUMBER] = number;
    this.rows++;
    return row;
  }

  find(id: string): Row | undefined {
    const number = ticketNumber(id);
    if (number === OTHER_SHAPE) return this.otherRows.get(id);
    const index = this.index;
    const mask = index.length - 2;
    for (let at = this.home(number); ; at = (at + 2) & mask) {
      const stored = index[at + 1] as number;
      if (stored === 0) return undefined;
      if (index[at] === number) return stored - 1;
    }
  }

  id(row: Row): string {
    const number = this.meta[row * META + NUMBER] as number;
    return number === OTHER_SHAPE ? (this.otherIds.get(row) as string) : formatTicketNumber(number);
  }

  firstName(row: Row): string {
    return this.texts.get(this.textsAt(row), FIRST_NAME);
  }

  lastName(row: Row): string {
    return this.texts.get(this.textsAt(row), LAST_NAME);
  }

  createdAtOf(row: Row): string {
    return this.texts.get(this.textsAt(row), CREATED_AT);
  }

  /** Fills `into` with the row's id, type, names and registration time as bytes. */
  readBytes(row: Row, into: RowBytes): void {
    const meta = row * META;
    const number = this.meta[meta + NUMBER] as number;
    if (number === OTHER_SHAPE) {
      const id = this.otherIds.get(row) as string;
      if (3 * id.length > into.id.length) into.id = new Uint8Array(3 * id.length);
      into.idLength = utf8Into(id, into.id);
    } else {
      writeTicketNumber(number, into.id);
      into.idLength = ID_LENGTH;
    }
    into.ticket_type = TICKET_TYPES[(this.meta[meta + KIND] as number) >> 2] as TicketType;
    into.bytes = this.texts.packed();
    this.texts.ranges((this.meta[meta + TEXTS_AT] as number) >>> 0, 3, into.texts);
  }

  /** Rows of tickets with exactly this name and type, oldest first. */
  rowsNamed(first_name: string, last_name: string, ticket_type: TicketType): Row[] {
    const first = utf8(first_name);
    const last = utf8(last_name);
    const type = TICKET_TYPES.indexOf(ticket_type);
    const found: Row[] = [];
    for (let row = 0; row < this.rows; row++) {
      if ((this.meta[row * META + KIND] as number) >> 2 !== type) continue;
      const at = this.textsAt(row);
      if (this.texts.equals(at, FIRST_NAME, first) && this.texts.equals(at, LAST_NAME, last)) found.push(row);
    }
    return found;
  }

  type(row: Row): TicketType {
    return TICKET_TYPES[(this.meta[row * META + KIND] as number) >> 2] as TicketType;
  }

  status(row: Row): TicketStatus {
    return TICKET_STATUSES[(this.meta[row * META + KIND] as number) & 3] as TicketStatus;
  }

  setStatus(row: Row, status: TicketStatus): void {
    const at = row * META + KIND;
    this.meta[at] = ((this.meta[at] as number) & ~3) | TICKET_STATUSES.indexOf(status);
  }

  slotOf(row: Row): number {
    return this.meta[row * META + SLOT] as number;
  }

  setSlot(row: Row, slot: number): void {
    this.meta[row * META + SLOT] = slot;
  }

  /** the owner token's digest in lower-case hex, '' when the ticket has no owner token */
  tokenHash(row: Row): string {
    if (this.hasDigest[row] !== 1) return '';
    let hex = '';
    for (let i = row * DIGEST_BYTES; i < (row + 1) * DIGEST_BYTES; i++) hex += HEX_BYTES[this.digests[i] as number];
    return hex;
  }

  private setDigest(row: Row, tokenHash: string): boolean {
    if (tokenHash === '') {
      this.hasDigest[row] = 0;
      return true;
    }
    if (tokenHash.length !== DIGEST_BYTES * 2) return false;
    const start = row * DIGEST_BYTES;
    for (let i = 0; i < DIGEST_BYTES; i++) {
      const high = tokenHash.charCodeAt(2 * i);
      const low = tokenHash.charCodeAt(2 * i + 1);
      const byte = high < 128 && low < 128 ? (HEX_PAIRS[(high << 7) | low] as number) : -1;
      if (byte < 0) return false;
      this.digests[start + i] = byte;
    }
    this.hasDigest[row] = 1;
    return true;
  }

  private textsAt(row: Row): number {
    return (this.meta[row * META + TEXTS_AT] as number) >>> 0;
  }

  /** Files a new number under its row; false when the number is filed already. */
  private fileNumber(number: number, row: Row): boolean {
    // Kept at most half full, so a probe ends after one or two pairs.
    if (4 * (this.rows - this.otherRows.size + 1) > this.index.length) {
      const old = this.index;
      this.index = new Int32Array(old.length * 2);
      this.indexShift--;
      for (let at = 0; at < old.length; at += 2) {
        if (old[at + 1] !== 0) this.place(old[at] as number, (old[at + 1] as number) - 1);
      }
    }
    return this.place(number, row);
  }

  private place(number: number, row: Row): boolean {
    const index = this.index;
    const mask = index.length - 2;
    let at = this.home(number);
    for (; index[at + 1] !== 0; at = (at + 2) & mask) if (index[at] === number) return false;
    index[at] = number;
    index[at + 1] = row + 1;
    return true;
  }

  /** Where a number's probe starts: a multiplicative hash onto the even index of a pair. */
  private home(number: number): number {
    return (Math.imul(number, 0x9e3779b1) >>> this.indexShift) << 1;
  }

  /**
   * Makes room for `rows` rows and `textBytes` of their texts at once, where about how many are coming is known
   * (a journal about to be replayed): growing a step at a time copies every column over and over. Room never
   * used costs address space, not memory, as the system gives a page memory when it is first written.
   */
  reserve(rows: number, textBytes: number): void {
    try {
      if (rows > this.capacity) this.resize(rows);
      this.texts.reserve(textBytes);
    } catch (error) {
      // Room the system will not give: the columns grow as rows come, as they would have without a reserve.
      if (!(error instanceof RangeError)) throw error;
    }
  }

  private grow(): void {
    // By half again rather than doubling: at a million rows, doubling would leave up to half of it unused.
    this.resize(Math.ceil(this.capacity * 1.5));
  }

  /** All columns or none: a column that could not be given room leaves the others as they were. */
  private resize(capacity: number): void {
    const meta = grown(this.meta, capacity * META);
    const digests = grown(this.digests, capacity * DIGEST_BYTES);
    const hasDigest = grown(this.hasDigest, capacity);
    this.meta = meta;
    this.digests = digests;
    this.hasDigest = hasDigest;
    this.capacity = capacity;
  }
}

// CSV written straight from UTF-8 bytes, for files of many rows (queue.csv): each cell is written as
// encodeCell (csv-cells.ts) writes it from a string, with the same formula escape and the same quoting, but
// no string is made for it. Every rule is about characters below 0x80, and in UTF-8 those bytes never occur
// inside another character's bytes, so each rule holds byte for byte (the byte-order mark is matched whole).

const QUOTE = 0x22;
const COMMA = 0x2c;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const SPACE = 0x20;
const APOSTROPHE = 0x27;
/** U+FEFF, the byte-order mark, in UTF-8 */
const BOM = [0xef, 0xbb, 0xbf] as const;

/** A cell starting with one of these (= + - @ tab CR LF ') could start a formula: it gets an apostrophe. */
const FORMULA_START = new Uint8Array(256);
for (const char of "=+-@\t\r\n'") FORMULA_START[char.charCodeAt(0)] = 1;

/** Bytes that call for quotes anywhere in a cell: " , LF CR, and the first of the byte-order mark's (checked whole). */
const QUOTED_FOR = new Uint8Array(256);
for (const byte of [QUOTE, COMMA, LINE_FEED, CARRIAGE_RETURN, BOM[0]]) QUOTED_FOR[byte] = 1;

function needsQuotes(bytes: Uint8Array, start: number, end: number): boolean {
  for (let k = start; k < end; k++) {
    if (QUOTED_FOR[bytes[k] as number] === 0) continue;
    if (bytes[k] !== BOM[0] || (k + 2 < end && bytes[k + 1] === BOM[1] && bytes[k + 2] === BOM[2])) return true;
  }
  return false;
}

/** Where the bytes are gathered before they are handed on: a few hundred KB per chunk of a file. */
const CHUNK_BYTES = 256 * 1024;
const NO_BYTES = Buffer.alloc(0);

/**
 * Records, a cell at a time, into chunks of bytes taken with take(). Cells are separated by commas and records
 * end in a line break, as encodeRecords writes them.
 */
export class CsvBytes {
  private chunk = NO_BYTES;
  private at = 0;
  private full: Buffer[] = [];
  private firstCell = true;

  /** A cell of a whole number from 0 to 2^31 - 1 (a place in line). */
  wholeNumber(value: number): void {
    let digits = 1;
    for (let rest = value; rest >= 10; rest = (rest / 10) | 0) digits++;
    this.startCell(digits);
    const chunk = this.chunk;
    let rest = value;
    for (let i = this.at + digits - 1; i >= this.at; i--) {
      const next = (rest / 10) | 0;
      chunk[i] = 0x30 + rest - 10 * next;
      rest = next;
    }
    this.at += digits;
  }

  /** A cell of text: the UTF-8 bytes in bytes[start, end). */
  text(bytes: Uint8Array, start: number, end: number): void {
    const length = end - start;
    // Room for the cell quoted, with an apostrophe and every byte a doubled quote.
    this.startCell(2 * length + 3);
    if (length === 0) return;
    const chunk = this.chunk;
    const first = bytes[start] as number;
    if (FORMULA_START[first] === 0 && first !== SPACE && bytes[end - 1] !== SPACE && !needsQuotes(bytes, start, end)) {
      // Nearly every cell: copied as it is.
      let at = this.at;
      for (let k = start; k < end; k++) chunk[at++] = bytes[k] as number;
      this.at = at;
      return;
    }
    let at = this.at;
    chunk[at++] = QUOTE;
    if (FORMULA_START[first] === 1) chunk[at++] = APOSTROPHE;
    for (let k = start; k < end; k++) {
      const byte = bytes[k] as number;
      if (byte === QUOTE) chunk[at++] = QUOTE;
      chunk[at++] = byte;
    }
    chunk[at++] = QUOTE;
    this.at = at;
  }

  /** Ends the record with a line break. */
  endRecord(): void {
    this.room(1);
    this.chunk[this.at++] = LINE_FEED;
    this.firstCell = true;
  }

  /** The bytes written since the last take, in order. */
  take(): Buffer[] {
    const taken = this.full;
    if (this.at > 0) taken.push(this.chunk.subarray(0, this.at));
    this.full = [];
    this.chunk = NO_BYTES;
    this.at = 0;
    return taken;
  }

  /** Room for a cell of up to `bytes` bytes and its comma, and the comma written unless it is a record's first. */
  private startCell(bytes: number): void {
    this.room(bytes + 1);
    if (!this.firstCell) this.chunk[this.at++] = COMMA;
    this.firstCell = false;
  }

  private room(bytes: number): void {
    if (this.at + bytes <= this.chunk.length) return;
    if (this.at > 0) this.full.push(this.chunk.subarray(0, this.at));
    this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, bytes));
    this.at = 0;
  }
}

// Columns for the ticket table: typed arrays that grow, and short texts (names, times) packed as UTF-8 into
// one growing byte array, so a million of them are one typed array rather than a million strings for the
// garbage collector to copy and trace.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Bytes a text's length is written in, before the text. */
const LENGTH_BYTES = 2;
/** The longest text kept, in UTF-8 bytes. */
const MAX_TEXT_BYTES = 0xffff;
/** Texts of at most this many UTF-16 units always fit in MAX_TEXT_BYTES (three bytes a unit at most). */
const SURELY_FITS = Math.floor(MAX_TEXT_BYTES / 3);

/** Whether a text fits in a PackedTexts. */
export function textFits(text: string): boolean {
  return text.length <= SURELY_FITS || encoder.encode(text).length <= MAX_TEXT_BYTES;
}

/**
 * Short texts (names, times) as UTF-8, one after another in one growing byte array, each after its length
 * in two bytes. A row's texts are appended together and found from where the first starts, so reading a
 * ticket's names and time touches one place in memory: at a million tickets, each place is a trip to main
 * memory, and a separate array of offsets would be one more.
 */
export class PackedTexts {
  private bytes = new Uint8Array(16 * 1024);
  private end = 0;

  /** Where the next text appended starts. */
  get next(): number {
    return this.end;
  }

  /** Appends a text, which must fit (see textFits). */
  append(text: string): void {
    // UTF-8 takes at most three bytes per UTF-16 unit.
    const room = LENGTH_BYTES + 3 * text.length;
    if (this.end + room > this.bytes.length) {
      // By half again: at a million names, doubling would leave up to half of it unused.
      this.bytes = grown(this.bytes, Math.max(this.end + room, Math.ceil(this.bytes.length * 1.5)));
    }
    const start = this.end + LENGTH_BYTES;
    let end = start;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code > 0x7f) {
        end = start + encoder.encodeInto(text, this.bytes.subarray(start)).written;
        break;
      }
      this.bytes[end++] = code;
    }
    const length = end - start;
    if (length > MAX_TEXT_BYTES) throw new RangeError(`a text of ${length} bytes is longer than ${MAX_TEXT_BYTES}`);
    this.bytes[this.end] = length & 0xff;
    this.bytes[this.end + 1] = length >>> 8;
    this.end = end;
  }

  /** Makes room for `bytes` in all, of texts and their lengths, at once. */
  reserve(bytes: number): void {
    if (bytes > this.bytes.length) this.bytes = grown(this.bytes, bytes);
  }

  /** Text k (from 0) of those appended from `at` on. */
  get(at: number, k: number): string {
    const found = this.skip(at, k);
    const start = found + LENGTH_BYTES;
    return decoder.decode(this.bytes.subarray(start, start + this.lengthAt(found)));
  }

  /**
   * Where `count` texts appended from `at` on lie in packed(): text k in [into[2k], into[2k + 1]). For reading
   * them as bytes, without making strings.
   */
  ranges(at: number, count: number, into: Int32Array): void {
    let start = at;
    for (let k = 0; k < count; k++) {
      const end = start + LENGTH_BYTES + this.lengthAt(start);
      into[2 * k] = start + LENGTH_BYTES;
      into[2 * k + 1] = end;
      start = end;
    }
  }

  /** The bytes the texts are packed in: appending may move them to a longer array, so take this again after. */
  packed(): Uint8Array {
    return this.bytes;
  }

  /** True when text k of those appended from `at` on is exactly these UTF-8 bytes. */
  equals(at: number, k: number, utf8: Uint8Array): boolean {
    const start = this.skip(at, k);
    if (this.lengthAt(start) !== utf8.length) return false;
    for (let i = 0; i < utf8.length; i++) if (this.bytes[start + LENGTH_BYTES + i] !== utf8[i]) return false;
    return true;
  }

  private lengthAt(at: number): number {
    return (this.bytes[at] as number) | ((this.bytes[at + 1] as number) << 8);
  }

  private skip(at: number, k: number): number {
    let start = at;
    for (let i = 0; i < k; i++) start += LENGTH_BYTES + this.lengthAt(start);
    return start;
  }
}

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Writes the text as UTF-8 at the start of `into`, which must have room (three bytes a UTF-16 unit); returns its length. */
export function utf8Into(text: string, into: Uint8Array): number {
  return encoder.encodeInto(text, into).written;
}

/** A copy of the array in a bigger one. */
export function grown<T extends Uint8Array | Int32Array | Uint32Array | Float64Array>(array: T, size: number): T {
  const bigger = new (array.constructor as new (size: number) => T)(size);
  bigger.set(array);
  return bigger;
}

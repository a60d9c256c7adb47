// Columns for the ticket table: typed arrays that grow, and short texts (names, times) packed as UTF-8 into
// one growing byte array, so a million of them are two typed arrays rather than a million strings for the
// garbage collector to copy and trace.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Texts by index, appended in order. */
export class TextColumn {
  private bytes = new Uint8Array(16 * 1024);
  /** text i is bytes[starts[i], starts[i + 1]) */
  private starts = new Uint32Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(text: string): void {
    const start = this.starts[this.count] as number;
    // UTF-8 takes at most three bytes per UTF-16 unit.
    if (start + 3 * text.length > this.bytes.length) this.growBytes(start + 3 * text.length);
    let end = start;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code > 0x7f) {
        end = start + encoder.encodeInto(text, this.bytes.subarray(start)).written;
        break;
      }
      this.bytes[end++] = code;
    }
    if (this.count + 2 > this.starts.length) this.starts = grown(this.starts, this.starts.length * 2);
    this.starts[++this.count] = end;
  }

  get(i: number): string {
    return decoder.decode(this.bytes.subarray(this.starts[i], this.starts[i + 1]));
  }

  /** True when text i is exactly these UTF-8 bytes. */
  equals(i: number, utf8: Uint8Array): boolean {
    const start = this.starts[i] as number;
    if ((this.starts[i + 1] as number) - start !== utf8.length) return false;
    for (let k = 0; k < utf8.length; k++) if (this.bytes[start + k] !== utf8[k]) return false;
    return true;
  }

  private growBytes(atLeast: number): void {
    // By half again: at a million names, doubling would leave up to half of it unused.
    this.bytes = grown(this.bytes, Math.max(atLeast, Math.ceil(this.bytes.length * 1.5)));
  }
}

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** A copy of the array in a bigger one. */
export function grown<T extends Uint8Array | Int32Array | Uint32Array>(array: T, size: number): T {
  const bigger = new (array.constructor as new (size: number) => T)(size);
  bigger.set(array);
  return bigger;
}

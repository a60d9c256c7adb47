// CRC-32 (the zlib / PNG polynomial) of a range of bytes, computed in place: zlib's crc32 needs a Buffer of
// its own for the range, and a replay checks a million journal lines, each a range of a larger chunk.

const TABLES = new Int32Array(4 * 256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  TABLES[n] = c;
}
// Tables 1-3 advance table 0 by one, two and three more bytes, so four bytes are taken a step ("slicing by 4").
for (let n = 0; n < 256; n++) {
  let c = TABLES[n] as number;
  for (let k = 1; k < 4; k++) {
    c = (TABLES[c & 0xff] as number) ^ (c >>> 8);
    TABLES[k * 256 + n] = c;
  }
}

/** CRC-32 of bytes[start, end), as an unsigned number equal to zlib's crc32 of the same bytes. */
export function crc32Of(bytes: Uint8Array, start: number, end: number): number {
  const t = TABLES;
  let c = -1;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    c ^=
      (bytes[i] as number) |
      ((bytes[i + 1] as number) << 8) |
      ((bytes[i + 2] as number) << 16) |
      ((bytes[i + 3] as number) << 24);
    c =
      (t[768 + (c & 0xff)] as number) ^
      (t[512 + ((c >>> 8) & 0xff)] as number) ^
      (t[256 + ((c >>> 16) & 0xff)] as number) ^
      (t[c >>> 24] as number);
  }
  for (; i < end; i++) c = (t[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

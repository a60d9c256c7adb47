import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32Of } from './crc32.ts';

describe('crc32Of', () => {
  it('agrees with zlib on any range of any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const start = bytes.length === 0 ? 0 : a % (bytes.length + 1);
        const end = start + (bytes.length === 0 ? 0 : b % (bytes.length - start + 1));
        expect(crc32Of(bytes, start, end)).toBe(crc32(bytes.subarray(start, end)));
      }),
      { numRuns: 500 },
    );
  });

  it('gives the well-known check value for "123456789"', () => {
    expect(crc32Of(Buffer.from('123456789'), 0, 9)).toBe(0xcbf43926);
  });
});

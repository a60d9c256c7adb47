// Cryptographically strong randomness for ids and tokens, drawn from a pooled buffer: one system call
// per few hundred registrations instead of several per registration.

import { randomFillSync } from 'node:crypto';

const pool = Buffer.alloc(4096);
let offset = pool.length;

function take(count: number): Buffer {
  if (offset + count > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + count);
  offset += count;
  return bytes;
}

/** A uniform integer in [0, max) for max <= 256, without modulo bias. */
export function randomBelow(max: number): number {
  return uniformBelow(max, () => take(1)[0] as number);
}

/**
 * A uniform integer in [0, max) for max <= 256 from a source of uniform bytes, without modulo bias: bytes in
 * the uneven top of the range are skipped. `nextByte` returns undefined when it has no more; the last byte
 * then serves with its bias (see keyedTicketId, where that takes 27 skips in 32 bytes).
 */
export function uniformBelow(max: number, nextByte: () => number | undefined): number {
  if (!Number.isInteger(max) || max < 1 || max > 256) throw new RangeError(`uniformBelow needs 1..256, not ${max}`);
  const limit = 256 - (256 % max);
  let byte = 0;
  for (let next = nextByte(); next !== undefined; next = nextByte()) {
    byte = next;
    if (byte < limit) return byte % max;
  }
  return byte % max;
}

/** 32 url-safe characters carrying 192 random bits. */
export function randomToken(): string {
  return take(24).toString('base64url');
}

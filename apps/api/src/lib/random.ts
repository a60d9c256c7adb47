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
  if (!Number.isInteger(max) || max < 1 || max > 256) throw new RangeError(`randomBelow needs 1..256, not ${max}`);
  const limit = 256 - (256 % max);
  for (;;) {
    const byte = take(1)[0] as number;
    if (byte < limit) return byte % max;
  }
}

/** 32 url-safe characters carrying 192 random bits. */
export function randomToken(): string {
  return take(24).toString('base64url');
}

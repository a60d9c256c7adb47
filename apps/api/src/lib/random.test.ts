import { describe, expect, it } from 'vitest';
import { randomBelow, randomToken } from './random.ts';

describe('random', () => {
  it('draws every value below the bound, roughly evenly', () => {
    const counts = new Array<number>(31).fill(0);
    for (let i = 0; i < 31_000; i++) counts[randomBelow(31)] = (counts[randomBelow(31)] ?? 0) + 1;
    for (const count of counts) expect(count).toBeGreaterThan(700);
  });

  it('makes distinct url-safe tokens across pool refills', () => {
    const tokens = new Set(Array.from({ length: 1000 }, randomToken));
    expect(tokens.size).toBe(1000);
    for (const token of tokens) expect(token).toMatch(/^[\w-]{32}$/);
  });

  it('refuses bounds it cannot serve without bias', () => {
    expect(() => randomBelow(0)).toThrow(RangeError);
    expect(() => randomBelow(300)).toThrow(RangeError);
  });
});

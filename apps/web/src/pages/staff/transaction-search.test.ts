import { describe, expect, it } from 'vitest';
import { transactionSearchQuery } from './transaction-search.ts';

describe('transactionSearchQuery', () => {
  it('normalises a loosely typed ticket id', () => {
    expect(transactionSearchQuery(' abc-def ')).toBe('ABC-DEF');
    expect(transactionSearchQuery('7kq 2mx')).toBe('7KQ-2MX');
    expect(transactionSearchQuery('7kq2mx')).toBe('7KQ-2MX');
  });

  it('leaves names alone, even six-letter ones', () => {
    expect(transactionSearchQuery('Ann Lee')).toBe('Ann Lee');
    expect(transactionSearchQuery('annlee')).toBe('annlee');
    expect(transactionSearchQuery('José')).toBe('José');
    // 1 is not an id character, so this is a name with a number in it.
    expect(transactionSearchQuery('Guest1')).toBe('Guest1');
  });
});

import { describe, expect, it } from 'vitest';
import { checkCapacity } from './use-capacity-form.ts';

describe('checkCapacity', () => {
  it.each([
    ['', 'Enter the VIP capacity'],
    ['-1', 'VIP capacity cannot be negative'],
    ['3.5', 'VIP capacity must be a whole number'],
    ['1000001', 'VIP capacity can be at most 1,000,000'],
  ])('refuses %j: "%s"', (input, message) => {
    expect(checkCapacity('VIP', input, 0)).toBe(message);
  });

  it('takes a whole number from the seats sold up', () => {
    expect(checkCapacity('VIP', ' 3 ', 3)).toBeNull();
    expect(checkCapacity('VIP', '2', 3)).toMatch(/^VIP capacity cannot be 2/);
  });
});

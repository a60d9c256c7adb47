import { describe, expect, it } from 'vitest';
import { formatCount, formatEstimatedWait, formatWaiting, plural, secondsSince } from './format.ts';

describe('formatEstimatedWait', () => {
  it('says "not known yet" when the API has no serving rate', () => {
    expect(formatEstimatedWait(null)).toBe('not known yet');
    expect(formatEstimatedWait(undefined)).toBe('not known yet');
  });

  it('says "under a minute" below 60 seconds', () => {
    expect(formatEstimatedWait(0)).toBe('under a minute');
    expect(formatEstimatedWait(59)).toBe('under a minute');
  });

  it('rounds to whole minutes from a minute up, in hours and minutes from an hour', () => {
    expect(formatEstimatedWait(60)).toBe('about 1 min');
    expect(formatEstimatedWait(150)).toBe('about 3 min');
    expect(formatEstimatedWait(3569)).toBe('about 59 min');
    expect(formatEstimatedWait(3600)).toBe('about 1 h');
    expect(formatEstimatedWait(7320)).toBe('about 2 h 2 min');
    expect(formatEstimatedWait(24 * 3600)).toBe('about 24 h');
  });

  it('says "more than a day" beyond 24 hours, not hundreds of hours', () => {
    expect(formatEstimatedWait(24 * 3600 + 1)).toBe('more than a day');
    // The pace of an event imported from the original app, last served a year before.
    expect(formatEstimatedWait(33_726_602)).toBe('more than a day');
  });
});

describe('formatCount', () => {
  it('groups thousands, and shows a dash for a figure not known yet', () => {
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1_250_000)).toBe('1,250,000');
    expect(formatCount(undefined)).toBe('—');
  });
});

describe('plural', () => {
  it('counts in the singular for one and groups thousands like every other count', () => {
    expect(plural(1, 'ticket')).toBe('1 ticket');
    expect(plural(5268, 'ticket')).toBe('5,268 tickets');
    expect(plural(2, 'person', 'people')).toBe('2 people');
  });
});

describe('formatWaiting', () => {
  const start = '2030-01-01T10:00:00.000Z';
  const at = (minutes: number) => Date.parse(start) + minutes * 60_000;

  it('shows minutes, then hours and minutes, then days and hours', () => {
    expect(formatWaiting(start, at(0.5))).toBe('< 1 min');
    expect(formatWaiting(start, at(3))).toBe('3 min');
    expect(formatWaiting(start, at(125))).toBe('2 h 5 min');
    expect(formatWaiting(start, at(24 * 60 - 1))).toBe('23 h 59 min');
    expect(formatWaiting(start, at(24 * 60))).toBe('1 d 0 h');
    expect(formatWaiting(start, at((2 * 24 + 3) * 60 + 59))).toBe('2 d 3 h');
    expect(formatWaiting(start, at(1234 * 24 * 60))).toBe('1,234 d 0 h');
  });

  it('never shows a negative wait when clocks disagree', () => {
    expect(formatWaiting(start, at(-2))).toBe('< 1 min');
    expect(secondsSince(at(1), at(0))).toBe(0);
  });
});

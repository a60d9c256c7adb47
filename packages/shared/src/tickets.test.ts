import { describe, expect, it } from 'vitest';
import {
  capacityBelowSoldMessage,
  checkName,
  MESSAGES,
  NAME_MAX_LENGTH,
  normaliseTicketId,
  parseTicketType,
  repairName,
  ticketIdPrefix,
} from './tickets.ts';

describe('checkName', () => {
  it.each(['José', '李', "O'Brien", 'Anne-Marie', 'محمد', '👩‍🚀 Nova', 'ශ්‍රී', '-5', '❤️'])(
    'accepts %j as it is',
    (name) => {
      expect(checkName(name)).toEqual({ ok: true, value: name });
    },
  );

  it('trims the name', () => {
    expect(checkName('  Ann \n')).toEqual({ ok: true, value: 'Ann' });
  });

  it('keeps a name in composed form, so an accent typed as a combining mark is the same name', () => {
    const decomposed = 'Jose\u0301';
    expect(checkName(decomposed)).toEqual({ ok: true, value: 'José' });
    expect(checkName('e\u0301'.repeat(NAME_MAX_LENGTH))).toEqual({ ok: true, value: 'é'.repeat(NAME_MAX_LENGTH) });
  });

  it('counts an emoji outside the basic plane as one character', () => {
    expect(checkName('😀'.repeat(NAME_MAX_LENGTH)).ok).toBe(true);
    expect(checkName('😀'.repeat(NAME_MAX_LENGTH + 1))).toEqual({ ok: false, message: MESSAGES.nameTooLong });
    expect(checkName('x'.repeat(NAME_MAX_LENGTH + 1))).toEqual({ ok: false, message: MESSAGES.nameTooLong });
  });

  it.each([undefined, null, 42, '', '   '])('calls %j missing', (input) => {
    expect(checkName(input)).toEqual({ ok: false, message: MESSAGES.nameRequired });
  });

  it.each([
    ['a zero-width space', '\u200B'],
    ['a left-to-right mark', '\u200E'],
    ['a soft hyphen', '\u00AD'],
    ['a Hangul filler', '\u3164'],
    ['combining marks alone', '\u0301\u0301'],
    ['a variation selector alone', '\uFE0F'],
    ['joiners alone', '\u200D\u200C'],
    ['Braille blanks', '\u2800\u2800'],
  ])('calls a name of only %s missing: nothing in it can be seen', (_label, name) => {
    const result = checkName(name);
    expect(result.ok).toBe(false);
    expect([MESSAGES.nameRequired, MESSAGES.nameControlCharacters]).toContain((result as { message: string }).message);
  });

  it.each([
    ['a NUL', 'Ann\u0000'],
    ['a tab', 'An\tn'],
    ['a bidi override', '\u202EnnA'],
    ['a zero-width space', 'An\u200Bn'],
    ['a soft hyphen', 'An\u00ADn'],
    ['a tag character', 'Ann\u{E0001}'],
    ['a byte order mark', 'An\uFEFFn'],
    ['a line separator', 'An\u2028n'],
    ['a paragraph separator', 'An\u2029n'],
  ])('refuses %s inside a name', (_label, name) => {
    expect(checkName(name)).toEqual({ ok: false, message: MESSAGES.nameControlCharacters });
  });

  it('refuses a lone surrogate, which is not text', () => {
    expect(checkName('An\uD800n')).toEqual({ ok: false, message: MESSAGES.nameControlCharacters });
  });

  it('refuses the replacement character a decoder leaves for bytes that were not UTF-8', () => {
    expect(checkName('Jos\uFFFD')).toEqual({ ok: false, message: MESSAGES.nameNotText });
  });
});

describe('repairName', () => {
  it('leaves a valid name alone, composed', () => {
    expect(repairName(' Jose\u0301 ', '(no name)')).toBe('José');
  });

  it('turns controls into spaces and drops invisible formatting', () => {
    expect(repairName('Ann\tLee\u200B\u202E', '(no name)')).toBe('Ann Lee');
    expect(repairName('Ann\u2028Lee', '(no name)')).toBe('Ann Lee');
  });

  it('cuts a long name to the limit without splitting a character', () => {
    const repaired = repairName('😀'.repeat(NAME_MAX_LENGTH + 5), '(no name)');
    expect(repaired).toBe('😀'.repeat(NAME_MAX_LENGTH));
    expect(checkName(repaired).ok).toBe(true);
  });

  it('gives the fallback when nothing visible is left', () => {
    expect(repairName('\u200B\u0000 ', '(no name)')).toBe('(no name)');
  });
});

describe('parseTicketType', () => {
  it.each([
    ['vip', 'VIP'],
    [' REGULAR ', 'Regular'],
    ['Gold', undefined],
    [3, undefined],
  ])('reads %j as %j', (input, type) => {
    expect(parseTicketType(input)).toBe(type);
  });
});

describe('capacityBelowSoldMessage', () => {
  it('counts one seat in the singular and more in the plural', () => {
    expect(capacityBelowSoldMessage('VIP', 0, 1)).toBe('VIP capacity cannot be 0: 1 seat is already sold');
    expect(capacityBelowSoldMessage('Regular', 2, 3)).toBe('Regular capacity cannot be 2: 3 seats are already sold');
    expect(capacityBelowSoldMessage('Regular', 1000, 2665)).toBe(
      'Regular capacity cannot be 1,000: 2,665 seats are already sold',
    );
  });
});

describe('normaliseTicketId', () => {
  it.each([
    ['abc def', 'ABC-DEF'],
    ['abcdef', 'ABC-DEF'],
    ['ABC-DEF', 'ABC-DEF'],
    [' abc ', 'ABC'],
  ])('reads %j as %j', (input, id) => {
    expect(normaliseTicketId(input)).toBe(id);
  });
});

describe('ticketIdPrefix', () => {
  it.each([
    ['aaw', 'AAW'],
    ['AAW-G', 'AAW-G'],
    ['aawg f', 'AAW-GF'],
    ['aaw-gfy', 'AAW-GFY'],
    ['aa', undefined],
    ['aawgfyx', undefined],
    ['Zoë', undefined],
  ])('reads %j as %j', (query, prefix) => {
    expect(ticketIdPrefix(query)).toBe(prefix);
  });
});

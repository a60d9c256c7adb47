import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TICKET_ID_ALPHABET } from '../tickets.ts';
import { RowBytes, TicketTable, ticketNumber } from './ticket-table.ts';

const decoder = new TextDecoder();
const digest = (n: number) => n.toString(16).padStart(2, '0').repeat(32);
const productId = (n: number) => {
  let id = '';
  for (let i = 0, rest = n; i < 6; i++, rest = Math.floor(rest / 31)) {
    id = (TICKET_ID_ALPHABET[rest % 31] as string) + id;
    if (i === 2) id = `-${id}`;
  }
  return id;
};
const row = (id: string, n = 0) => ({
  id,
  first_name: `First${n}`,
  last_name: `Last${n}`,
  ticket_type: n % 2 ? ('VIP' as const) : ('Regular' as const),
  created_at: new Date(Date.UTC(2026, 0, 1) + n).toISOString(),
  token_hash: n % 3 ? digest(n % 256) : '',
});

describe('TicketTable', () => {
  it('gives every field back as it was added, for ids of either shape, past many growths', () => {
    const table = new TicketTable();
    const ids = Array.from({ length: 5000 }, (_, n) => (n % 7 === 0 ? `legacy-${n}` : productId(n * 7919)));
    ids.forEach((id, n) => {
      expect(table.add(row(id, n))).toBe(n);
    });
    expect(table.size).toBe(ids.length);
    ids.forEach((id, n) => {
      const found = table.find(id) as number;
      expect(found).toBe(n);
      const expected = row(id, n);
      expect(table.id(found)).toBe(id);
      expect([table.firstName(found), table.lastName(found), table.type(found)]).toEqual([
        expected.first_name,
        expected.last_name,
        expected.ticket_type,
      ]);
      expect(table.createdAtOf(found)).toBe(expected.created_at);
      expect(table.tokenHash(found)).toBe(expected.token_hash);
      expect(table.status(found)).toBe('Queued');
    });
  });

  it('keeps every row through a reserve, and grows past the room reserved', () => {
    const table = new TicketTable();
    const ids = Array.from({ length: 3001 }, (_, n) => productId(n * 7919));
    const check = (upTo: number) => {
      for (let n = 0; n < upTo; n++) {
        const found = table.find(ids[n] as string) as number;
        expect([table.firstName(found), table.lastName(found), table.tokenHash(found)]).toEqual([
          `First${n}`,
          `Last${n}`,
          row('', n).token_hash,
        ]);
      }
    };
    const add = (from: number, to: number) => {
      for (let n = from; n < to; n++) expect(table.add(row(ids[n] as string, n))).toBe(n);
    };
    add(0, 1500);
    table.reserve(2000, 2000 * 100); // more of both than is there
    table.reserve(10, 10); // less than is there: nothing changes
    check(1500);
    add(1500, 3000);
    expect(table.size).toBe(3000);
    check(3000);

    // More room than the system can give is no reserve at all, and no failure.
    table.reserve(2 ** 40, 0);
    table.reserve(0, 2 ** 40);
    add(3000, 3001);
    check(3001);
  });

  it('refuses a taken id of either shape and a malformed token hash, and keeps no half-added row', () => {
    const table = new TicketTable();
    table.add(row('ABC-DEF'));
    table.add(row('legacy-1'));
    expect(table.add(row('ABC-DEF', 2))).toBeUndefined();
    expect(table.add(row('legacy-1', 2))).toBeUndefined();
    expect(table.add({ ...row('XYZ-XYZ'), token_hash: 'G'.repeat(64) })).toBeUndefined();
    expect(table.add({ ...row('XYZ-XYZ'), token_hash: 'ab' })).toBeUndefined();
    expect(table.size).toBe(2);
    expect(table.find('XYZ-XYZ')).toBeUndefined();
    expect(table.add(row('XYZ-XYZ', 2))).toBe(2);
  });

  it('keeps a text of up to 64 KiB of UTF-8 and refuses a longer one without keeping any of its row', () => {
    const table = new TicketTable();
    expect(table.add({ ...row('ABC-DEF'), last_name: 'é'.repeat(40_000) })).toBeUndefined(); // 80 000 bytes
    expect(table.size).toBe(0);
    expect(table.find('ABC-DEF')).toBeUndefined();
    const longest = 'a'.repeat(0xffff);
    expect(table.add({ ...row('ABC-DEF'), first_name: longest })).toBe(0);
    expect([table.firstName(0), table.lastName(0), table.createdAtOf(0)]).toEqual([
      longest,
      'Last0',
      row('ABC-DEF').created_at,
    ]);
  });

  it('keeps any text exactly: every script, emoji, and times in any form', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' })), { maxLength: 50 }),
        (names) => {
          const table = new TicketTable();
          names.forEach(([first, last], n) => {
            table.add({ ...row(productId(n), n), first_name: first, last_name: last, created_at: last });
          });
          names.forEach(([first, last], n) => {
            expect([table.firstName(n), table.lastName(n), table.createdAtOf(n)]).toEqual([first, last, last]);
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads a row as bytes: its id, type, names and time as UTF-8, the same for every row read into one RowBytes', () => {
    const table = new TicketTable();
    const longId = `légacy-${'🎟'.repeat(40)}`;
    const rows = [
      { ...row('222-222', 0), first_name: 'Zoë 🎟️', last_name: 'O\'Brien, "Jr"' },
      { ...row(longId, 1), first_name: '', last_name: '李 小龍' },
      row('ZZZ-ZZZ', 2),
    ];
    for (const added of rows) table.add(added);
    const into = new RowBytes();
    const text = (k: number) => decoder.decode(into.bytes.subarray(into.texts[2 * k], into.texts[2 * k + 1]));
    rows.forEach((added, n) => {
      table.readBytes(n, into);
      expect(decoder.decode(into.id.subarray(0, into.idLength))).toBe(added.id);
      expect([into.ticket_type, text(0), text(1), text(2)]).toEqual([
        added.ticket_type,
        added.first_name,
        added.last_name,
        added.created_at,
      ]);
    });
  });

  it('finds tickets by exact name and type only', () => {
    const table = new TicketTable();
    const add = (id: string, first_name: string, last_name: string, ticket_type: 'VIP' | 'Regular') =>
      table.add({ ...row(id), first_name, last_name, ticket_type });
    add('AAA-AAA', 'Zoë', 'Li', 'VIP');
    add('AAA-AAB', 'Zoë', 'Li', 'Regular');
    add('AAA-AAC', 'Zoe', 'Li', 'VIP');
    add('AAA-AAD', 'Zoë', 'Li', 'VIP');
    expect(table.rowsNamed('Zoë', 'Li', 'VIP')).toEqual([0, 3]);
    expect(table.rowsNamed('Zoë', 'L', 'VIP')).toEqual([]);
  });

  it('reads the product shape of id as a number below 31^6, and nothing else', () => {
    expect(ticketNumber('222-222')).toBe(0);
    expect(ticketNumber('ZZZ-ZZZ')).toBe(31 ** 6 - 1);
    for (const other of ['abc-def', 'ABC-DE1', 'ABCDEFG', 'T00001', '']) expect(ticketNumber(other)).toBe(-1);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { awkwardText } from '../testing/csv-text.ts';
import { CsvBytes } from './csv-bytes.ts';
import { encodeRecords } from './csv-cells.ts';

const encoder = new TextEncoder();

/** The records written by CsvBytes from each text's UTF-8 bytes (numbers as whole numbers), as one string. */
function written(rows: readonly (readonly (string | number)[])[], csv = new CsvBytes()): string {
  const chunks: Buffer[] = [];
  for (const row of rows) {
    for (const cell of row) {
      if (typeof cell === 'number') csv.wholeNumber(cell);
      else {
        // Inside a longer array, so that a rule reading past the cell's end would be caught.
        const bytes = encoder.encode(`"${cell}\uFEFF,`);
        csv.text(bytes, 1, bytes.length - 4);
      }
    }
    csv.endRecord();
    chunks.push(...csv.take());
  }
  return Buffer.concat(chunks).toString('utf8');
}

describe('CSV written from bytes', () => {
  it('is what encodeRecords writes from the same texts', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.oneof(awkwardText, fc.nat()), { minLength: 1, maxLength: 6 }), {
          minLength: 1,
          maxLength: 4,
        }),
        (rows) => {
          expect(written(rows)).toBe(encodeRecords(rows));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('defuses formulas, quotes what needs quotes and leaves the rest as it is', () => {
    const rows = [
      [1, '=SUM(A1)', '@home', "O'Brien", 'plain'],
      [22, 'Quoted, Name', 'say "hi"', 'trailing ', ' leading'],
      [333, '\uFEFFmarked', 'Zoë 🎟️ O’Brien', '李 小龍', ''],
      [2_147_483_647, '0', '-1', '+1', "'"],
    ];
    expect(written(rows).split('\n')).toEqual([
      `1,"'=SUM(A1)","'@home",O'Brien,plain`,
      '22,"Quoted, Name","say ""hi""","trailing "," leading"',
      '333,"\uFEFFmarked",Zoë 🎟️ O’Brien,李 小龍,',
      `2147483647,0,"'-1","'+1","''"`,
      '',
    ]);
  });

  it('hands over every byte in order, however many chunks it takes', () => {
    const long = 'x'.repeat(70_000);
    const rows = Array.from({ length: 20 }, (_, i) => [i, long, `name ${i}`]);
    const csv = new CsvBytes();
    expect(written(rows, csv)).toBe(encodeRecords(rows));
    expect(csv.take()).toEqual([]);
  });
});

import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { awkwardText } from '../testing/csv-text.ts';
import { decodeRecord, encodeRecord, encodeRecords } from './csv-cells.ts';

const cell = fc.oneof(awkwardText, fc.integer(), fc.constant(null));

describe('CSV cells', () => {
  it('are written exactly as papaparse writes them with our formula rule', () => {
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 }), (rows) => {
        const expected = Papa.unparse(rows, { escapeFormulae: /^[=+\-@\t\r\n']/, newline: '\n', header: false });
        expect(encodeRecords(rows)).toBe(`${expected}\n`);
      }),
      { numRuns: 1000 },
    );
  });

  it('read back as the text that was written, formulas defused on the way out and restored on the way in', () => {
    fc.assert(
      fc.property(
        fc.array(
          awkwardText.filter((text) => !/[\r\n]/.test(text)),
          { minLength: 1, maxLength: 6 },
        ),
        (cells) => {
          expect(decodeRecord(encodeRecord(cells))).toEqual(cells);
        },
      ),
      { numRuns: 1000 },
    );
    expect(encodeRecord(['=SUM(A1)', '@home', "O'Brien", 'plain'])).toBe(`"'=SUM(A1)","'@home",O'Brien,plain`);
  });
});

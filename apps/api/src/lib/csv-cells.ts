// CSV cells safe to open in a spreadsheet: a cell that could start a formula gets a leading apostrophe
// on the way out and loses it on the way back, so what is read is exactly what was written.

import Papa from 'papaparse';

// OWASP's formula triggers (= + - @, tab, CR) plus LF, which papaparse's default pattern misses in a
// multi-line value, plus the apostrophe itself so that un-escaping is unambiguous.
const FORMULA_START = /^[=+\-@\t\r\n']/;
/** A formula start, or what makes a cell need quotes: a delimiter, quote, line break or byte-order mark, or a space at either end. */
const SPECIAL = /^[=+\-@\t\r\n' ]|[",\r\n\uFEFF]| $/;
const QUOTES = /"/g;

type Cell = string | number | null;

/**
 * One cell as CSV. Plain text (nearly every cell) is written as it is, without a copy: the journal encodes
 * a line for every change a request makes. The rules are papaparse's unparse with our formula pattern.
 */
function encodeCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  if (!SPECIAL.test(value)) return value;
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${text.replace(QUOTES, '""')}"`;
}

/** One CSV record (no line break at the end); numbers and nulls are written as they are. */
export function encodeRecord(cells: readonly Cell[]): string {
  let record = cells.length > 0 ? encodeCell(cells[0] as Cell) : '';
  for (let i = 1; i < cells.length; i++) record += `,${encodeCell(cells[i] as Cell)}`;
  return record;
}

/** Many records, each followed by a line break. */
export function encodeRecords(rows: readonly (readonly Cell[])[]): string {
  let text = '';
  for (const row of rows) text += `${encodeRecord(row)}\n`;
  return text;
}

/** Splits one CSV record into its cells, undoing the formula escape. */
export function decodeRecord(line: string): string[] {
  // Fast path: most records have no quotes, so a split is exact and many times quicker. The delimiter is
  // given: left to guess, papaparse takes a tab inside a cell for the delimiter.
  const cells = line.includes('"')
    ? (Papa.parse<string[]>(line, { header: false, delimiter: ',' }).data[0] ?? [])
    : line.split(',');
  for (let i = 0; i < cells.length; i++) cells[i] = unescapeCell(cells[i] as string);
  return cells;
}

export function unescapeCell(cell: string): string {
  return cell.startsWith("'") ? cell.slice(1) : cell;
}

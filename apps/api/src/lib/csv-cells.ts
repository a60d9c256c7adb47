// CSV cells safe to open in a spreadsheet: a cell that could start a formula gets a leading apostrophe
// on the way out and loses it on the way back, so what is read is exactly what was written.

import Papa from 'papaparse';

// OWASP's formula triggers (= + - @, tab, CR) plus LF, which papaparse's default pattern misses in a
// multi-line value, plus the apostrophe itself so that un-escaping is unambiguous.
const FORMULA_START = /^[=+\-@\t\r\n']/;

const UNPARSE_OPTIONS = { escapeFormulae: FORMULA_START, newline: '\n', header: false } as const;

/** One CSV record (no line break at the end); numbers and nulls are written as they are. */
export function encodeRecord(cells: readonly (string | number | null)[]): string {
  return Papa.unparse([cells as (string | number | null)[]], UNPARSE_OPTIONS);
}

/** Many records, each followed by a line break. */
export function encodeRecords(rows: readonly (readonly (string | number | null)[])[]): string {
  if (rows.length === 0) return '';
  return `${Papa.unparse(rows as (string | number | null)[][], UNPARSE_OPTIONS)}\n`;
}

/** Splits one CSV record into its cells, undoing the formula escape. */
export function decodeRecord(line: string): string[] {
  // Fast path: most records have no quotes, so a split is exact and many times quicker.
  const cells = line.includes('"') ? (Papa.parse<string[]>(line, { header: false }).data[0] ?? []) : line.split(',');
  for (let i = 0; i < cells.length; i++) cells[i] = unescapeCell(cells[i] as string);
  return cells;
}

export function unescapeCell(cell: string): string {
  return cell.startsWith("'") ? cell.slice(1) : cell;
}

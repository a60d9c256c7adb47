// How a log search compares names: letters with accents read as the plain letter, and apostrophes as nothing,
// so staff typing on any keyboard find "Müller" with "muller", "Nguyễn" with "nguyen", and "O’Brien" (as phones
// type it) with "O'Brien" or "obrien". Both stores search with it, in the server (log-search.ts).

/** Letters NFD does not take apart; every apostrophe, and the accents people type in its place, go. */
const EXTRA_FOLDS: Record<string, string> = {
  Ø: 'O',
  ø: 'o',
  Đ: 'D',
  đ: 'd',
  Ħ: 'H',
  ħ: 'h',
  ı: 'i',
  Ŀ: 'L',
  ŀ: 'l',
  Ł: 'L',
  ł: 'l',
  Ŧ: 'T',
  ŧ: 't',
  "'": '',
  '\u2019': '', // ’ right single quotation mark, the apostrophe phones type
  '\u2018': '', // ‘
  '\u02BC': '', // ʼ modifier letter apostrophe
  '\u2032': '', // ′ prime
  '`': '',
  '\u00B4': '', // ´ acute accent
};

/** The Latin blocks whose letters with marks names use: Latin-1, Extended-A and -B, and Extended Additional (Vietnamese). */
const FOLDED_RANGES: [number, number][] = [
  [0x00c0, 0x024f],
  [0x1e00, 0x1eff],
];

/** Each character that folds, and the letter it reads as (none for an apostrophe). */
function buildFold(): Map<string, string> {
  const folds = new Map<string, string>();
  for (const [first, last] of FOLDED_RANGES) {
    for (let code = first; code <= last; code++) {
      const letter = String.fromCharCode(code);
      const plain = letter.normalize('NFD').replace(/\p{M}/gu, '');
      if (/^[A-Za-z]$/.test(plain) && plain !== letter) folds.set(letter, plain);
    }
  }
  for (const [letter, plain] of Object.entries(EXTRA_FOLDS)) folds.set(letter, plain);
  return folds;
}

const FOLDED = buildFold();
/** Anything but ASCII other than ' and `. */
const NEEDS_FOLDING = /[^\0-\x26\x28-\x5f\x61-\x7f]/;

/** A text as a search compares it: folded letter by letter (case is left to the comparison). */
export function foldForSearch(text: string): string {
  if (!NEEDS_FOLDING.test(text)) return text;
  let folded = '';
  for (const char of text) folded += FOLDED.get(char) ?? char;
  return folded;
}

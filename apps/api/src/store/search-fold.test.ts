import { describe, expect, it } from 'vitest';
import { foldForSearch, SEARCH_FOLD } from './search-fold.ts';

describe('foldForSearch', () => {
  it.each([
    ['Müller', 'Muller'],
    ['García', 'Garcia'],
    ['Nguyễn', 'Nguyen'],
    ['Łukasz Żółć', 'Lukasz Zolc'],
    ['Søren Ærø', 'Soren Æro'],
    ['Ştefan Țurcanu', 'Stefan Turcanu'],
    ['O’Brien', "O'Brien"],
    ['Иван 李', 'Иван 李'],
    ['plain ASCII', 'plain ASCII'],
  ])('reads %s as %s', (text, folded) => {
    expect(foldForSearch(text)).toBe(folded);
  });

  it("is one character for one, as PostgreSQL's translate() needs", () => {
    expect([...SEARCH_FOLD.from]).toHaveLength(SEARCH_FOLD.from.length);
    expect(SEARCH_FOLD.to).toHaveLength(SEARCH_FOLD.from.length);
    expect(new Set(SEARCH_FOLD.from).size).toBe(SEARCH_FOLD.from.length);
  });
});

import { describe, expect, it } from 'vitest';
import { foldForSearch } from './search-fold.ts';

describe('foldForSearch', () => {
  it.each([
    ['Müller', 'Muller'],
    ['García', 'Garcia'],
    ['Nguyễn', 'Nguyen'],
    ['Łukasz Żółć', 'Lukasz Zolc'],
    ['Søren Ærø', 'Soren Æro'],
    ['Ştefan Țurcanu', 'Stefan Turcanu'],
    ['O’Brien', 'OBrien'],
    ["O'Brien", 'OBrien'],
    ['Ngāti Kahu‘ʼ`´', 'Ngati Kahu'],
    ['Иван 李', 'Иван 李'],
    ['plain ASCII', 'plain ASCII'],
  ])('reads %s as %s', (text, folded) => {
    expect(foldForSearch(text)).toBe(folded);
  });
});

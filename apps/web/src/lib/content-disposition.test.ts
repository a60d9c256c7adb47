import { describe, expect, it } from 'vitest';
import { fileNameFromContentDisposition } from './content-disposition.ts';

describe('fileNameFromContentDisposition', () => {
  it('reads a quoted filename, and a bare one', () => {
    expect(fileNameFromContentDisposition('attachment; filename="transactions-2026-11-26-11-57-50.csv"')).toBe(
      'transactions-2026-11-26-11-57-50.csv',
    );
    expect(fileNameFromContentDisposition('attachment; filename=log.csv')).toBe('log.csv');
    expect(fileNameFromContentDisposition('attachment;filename = "a b.csv" ; size=12')).toBe('a b.csv');
  });

  it('undoes backslash escapes inside quotes, and a semicolon there is part of the name', () => {
    expect(fileNameFromContentDisposition('attachment; filename="say \\"hi\\"; now.csv"')).toBe('say "hi"; now.csv');
  });

  it('prefers filename* (percent-encoded UTF-8) over filename, whichever comes first', () => {
    expect(
      fileNameFromContentDisposition(`attachment; filename="ventes.csv"; filename*=UTF-8''ventes-%C3%A9t%C3%A9.csv`),
    ).toBe('ventes-été.csv');
    expect(fileNameFromContentDisposition(`attachment; filename*=utf-8'en'%E6%9D%8E.csv; filename="x.csv"`)).toBe(
      '李.csv',
    );
    expect(fileNameFromContentDisposition(`attachment; filename*=ISO-8859-1''caf%E9.csv`)).toBe('café.csv');
  });

  it('falls back to filename when filename* cannot be decoded', () => {
    expect(fileNameFromContentDisposition(`attachment; filename*=UTF-8''bad%E9.csv; filename="good.csv"`)).toBe(
      'good.csv',
    );
  });

  it('keeps only the last part of a path and drops control characters', () => {
    expect(fileNameFromContentDisposition('attachment; filename="../../etc/passwd"')).toBe('passwd');
    expect(fileNameFromContentDisposition('attachment; filename="C:\\\\temp\\\\x.csv"')).toBe('x.csv');
    expect(fileNameFromContentDisposition('attachment; filename="a\u0007b.csv"')).toBe('ab.csv');
  });

  it('gives null when no usable name is given', () => {
    expect(fileNameFromContentDisposition(null)).toBeNull();
    expect(fileNameFromContentDisposition('attachment')).toBeNull();
    expect(fileNameFromContentDisposition('inline; filename=""')).toBeNull();
    expect(fileNameFromContentDisposition('attachment; filename=".."')).toBeNull();
  });
});

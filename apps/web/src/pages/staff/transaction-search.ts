// What the transaction search sends: names as typed, ticket ids in their canonical "ABC-DEF" form.

import { parseTicketId } from '@ticketing/shared';

const LOOSE_ID_SHAPE = /^[0-9a-z]{3}[\s-]?[0-9a-z]{3}$/i;

/**
 * The API matches ids exactly and names by substring. Input in an id's shape, made only of id characters,
 * with a digit or a dash ("abc-def", "7kq 2mx") is an id typed loosely and is normalised; anything else is a
 * name and left alone ("Ann Lee" must not become "ANN-LEE", nor "Guest1" become "GUE-ST1").
 */
export function transactionSearchQuery(input: string): string {
  const trimmed = input.trim();
  if (!LOOSE_ID_SHAPE.test(trimmed) || !/[0-9-]/.test(trimmed)) return trimmed;
  return parseTicketId(trimmed) ?? trimmed;
}

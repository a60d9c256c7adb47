// Ticket ids for registrations under an Idempotency-Key, derived from the ticket's token (itself derived from
// the key): a retry works out the same ids, so it finds the ticket an earlier attempt registered even when
// the server no longer remembers the key (it restarted, or the key's answer was evicted).

import { hash } from 'node:crypto';
import { generateTicketId } from '@ticketing/shared';
import { uniformBelow } from '../lib/random.ts';

/**
 * The id to try at this attempt (0, 1, ... while the ids before it are taken by other tickets). The token is
 * secret and SHA-256 one-way, so the id, which is public, tells nothing of the token.
 */
export function keyedTicketId(token: string, attempt: number): string {
  const bytes = hash('sha256', `ticket-id\n${attempt}\n${token}`, 'buffer');
  let next = 0;
  // Six digits from 32 bytes: running out would take 27 skipped bytes, one chance in about 10^30.
  return generateTicketId((max) => uniformBelow(max, () => bytes[next++]));
}

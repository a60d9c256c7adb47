// What the two stores built on the engine share: the commands as engine decisions, and the views of
// engine state the routes ask for.

import { randomInt } from 'node:crypto';
import {
  type Actor,
  type CommandResult,
  generateTicketId,
  type JournalEvent,
  type TicketEngine,
  type TicketType,
  type Transaction,
} from '@ticketing/shared';
import type { NewTicket, PerType, QueueListing, RegisteredTicket } from './types.ts';

/** A change as the engine decides it, given the time it happens. */
export type Decision<T> = (engine: TicketEngine, at: string) => CommandResult<T>;

export const decide = {
  register:
    (ticket: NewTicket, actor: Actor): Decision<RegisteredTicket> =>
    (engine, at) => {
      const id = newTicketId((candidate) => engine.has(candidate));
      const { result, events } = engine.register({ id, ...ticket }, { at, actor });
      return { result: { ticket: result, current_queue_length: engine.queueLength }, events };
    },
  processNext: (actor: Actor) => (engine: TicketEngine, at: string) => engine.processNext({ at, actor }),
  processUpTo: (id: string, actor: Actor) => (engine: TicketEngine, at: string) =>
    engine.processUpTo(id, { at, actor }),
  cancel: (id: string, actor: Actor) => (engine: TicketEngine, at: string) => engine.cancel(id, { at, actor }),
  setCapacity: (capacity: Partial<PerType<number>>, actor: Actor) => (engine: TicketEngine, at: string) =>
    engine.setCapacity(capacity, { at, actor }),
};

/** A fresh random ticket id that `taken` does not know yet. */
export function newTicketId(taken: (id: string) => boolean): string {
  let id: string;
  do id = generateTicketId(randomInt);
  while (taken(id));
  return id;
}

export function queueListing(engine: TicketEngine, limit: number): QueueListing {
  const each = <T>(make: (type: TicketType) => T) => ({ VIP: make('VIP'), Regular: make('Regular') });
  return {
    queues: each((type) => engine.queue(type, limit)),
    waitlists: each((type) => engine.waitlist(type, limit)),
    totals: { queues: each((type) => engine.queueSize(type)), waitlists: each((type) => engine.waitlistSize(type)) },
  };
}

/** A journal event as the transaction log shows it: without the token hash. */
export function toTransaction(event: JournalEvent): Transaction {
  const { token_hash: _secret, at, ...rest } = event;
  return { ...rest, time: at };
}

// What the two stores built on the engine share: every command as an engine decision and every read as
// a view of engine state. A store adds only how decisions become durable and when its engine may be read.

import {
  type Actor,
  type CommandResult,
  DomainError,
  generateTicketId,
  groupThousands,
  type JournalEvent,
  TicketEngine,
  type TicketRecord,
  type TicketStatus,
  type TicketType,
  type TicketView,
  type Transaction,
} from '@ticketing/shared';
import { IDEMPOTENCY_TTL_MS, type IdempotencyClaim, KEY_MISMATCH_MESSAGE } from '../idempotency/types.ts';
import { randomBelow } from '../lib/random.ts';
import type {
  CancelOutcome,
  CapacityChange,
  ChangeContext,
  NewTicket,
  PerType,
  ProcessedNext,
  ProcessedUpTo,
  QueueListing,
  RegisteredTicket,
} from './types.ts';

/** A change as the engine decides it, given the time it happens. */
export type Decision<T> = (engine: TicketEngine, at: string) => CommandResult<T>;

const decide = {
  register:
    ({ ids, ...ticket }: NewTicket, actor: Actor): Decision<RegisteredTicket> =>
    (engine, at) => {
      let id: string;
      if (ids) {
        for (let attempt = 0; ; attempt++) {
          id = ids(attempt);
          if (!engine.has(id)) break;
          if (engine.ownerTokenHash(id) !== ticket.token_hash) continue;
          // Keys are remembered for a day: the ticket of an older use of the key is not this request's.
          const atMs = Date.parse(at);
          const earlier = engine.view(id, atMs);
          if (atMs - Date.parse(earlier.created_at) < IDEMPOTENCY_TTL_MS) {
            return earlierRegistration(engine, earlier, ticket);
          }
        }
      } else id = newTicketId((candidate) => engine.has(candidate));
      const { result, events } = engine.register({ id, ...ticket }, { at, actor });
      return { result: { ticket: result, current_queue_length: engine.queueLength }, events };
    },
  processNext:
    (actor: Actor): Decision<ProcessedNext> =>
    (engine, at) => {
      const { result, events } = engine.processNext({ at, actor });
      return { result: { processed: result, remaining_tickets: seatsLeft(engine) }, events };
    },
  processUpTo:
    (id: string, actor: Actor): Decision<ProcessedUpTo> =>
    (engine, at) =>
      withSeatsLeft(engine, engine.processUpTo(id, { at, actor })),
  cancel:
    (id: string, actor: Actor, expectedStatus?: TicketStatus): Decision<CancelOutcome> =>
    (engine, at) => {
      // Checked in the same step as the cancellation, so nothing can change the ticket in between.
      const status = engine.record(id)?.status;
      if (expectedStatus && status && status !== expectedStatus && status !== 'Cancelled') {
        throw new DomainError(
          'STATUS_CHANGED',
          `Ticket ${id} is ${status} now, no longer ${expectedStatus}: nothing was cancelled.`,
          { status },
        );
      }
      return withSeatsLeft(engine, engine.cancel(id, { at, actor }));
    },
  setCapacity: (capacity: Partial<PerType<number>>, actor: Actor) => (engine: TicketEngine, at: string) => {
    const { result, events } = engine.setCapacity(capacity, { at, actor });
    const promoted = (type: TicketType) =>
      events.filter((event) => event.action === 'promoted' && event.ticket_type === type).length;
    return { result: { ...result, promoted: { VIP: promoted('VIP'), Regular: promoted('Regular') } }, events };
  },
};

/**
 * The ticket an earlier attempt with this Idempotency-Key registered, as it is now, changing nothing; a
 * registration of someone else under the same key is refused, so the key stays that ticket's.
 */
function earlierRegistration(
  engine: TicketEngine,
  earlier: TicketView,
  ticket: Omit<NewTicket, 'ids'>,
): CommandResult<RegisteredTicket> {
  if (
    earlier.first_name !== ticket.first_name ||
    earlier.last_name !== ticket.last_name ||
    earlier.ticket_type !== ticket.ticket_type
  ) {
    throw new DomainError('IDEMPOTENCY_MISMATCH', KEY_MISMATCH_MESSAGE);
  }
  return { result: { ticket: earlier, current_queue_length: engine.queueLength, replayed: true }, events: [] };
}

function seatsLeft(engine: TicketEngine): PerType<number> {
  return { VIP: engine.remaining('VIP'), Regular: engine.remaining('Regular') };
}

function withSeatsLeft<T extends object>(engine: TicketEngine, { result, events }: CommandResult<T>) {
  return { result: { ...result, remaining_tickets: seatsLeft(engine) }, events };
}

/** What an event holds, as a server says when it starts on it: "1,000,002 journal events, 600,120 tickets, 3 queued". */
export function describeEvent(engine: TicketEngine): string {
  const count = (n: number, one: string, many: string) => `${groupThousands(n)} ${n === 1 ? one : many}`;
  return `${count(engine.lastSeq, 'journal event', 'journal events')}, ${count(engine.ticketCount, 'ticket', 'tickets')}, ${groupThousands(engine.queueLength)} queued`;
}

/** What a ticket's names and registration time take in the engine, at about the most: see TicketTable. */
const TEXT_BYTES_PER_TICKET = 64;

/**
 * Makes room at once for at most `tickets` tickets, before a replay of a journal that holds that many at most,
 * so that the engine's columns do not grow, copying themselves, again and again during it. More tickets (imported
 * ones), or longer names, still fit; room never used costs address space, not memory.
 */
export function reserveTickets(engine: TicketEngine, tickets: number): void {
  engine.reserve(tickets, tickets * TEXT_BYTES_PER_TICKET);
}

/** The events that open a new event: its capacities, set by the system. */
export function openingEvents(capacity: PerType<number>, at: string): JournalEvent[] {
  return new TicketEngine().createEvent(capacity, { at, actor: 'system' }).events;
}

/** A fresh random ticket id that `taken` does not know yet. */
export function newTicketId(taken: (id: string) => boolean): string {
  let id: string;
  do id = generateTicketId(randomBelow);
  while (taken(id));
  return id;
}

function queueListing(engine: TicketEngine, limit: number): QueueListing {
  const list = (entries: TicketRecord[], total: number) => ({ entries, total });
  return {
    'VIP Queue': list(engine.queue('VIP', limit), engine.queueSize('VIP')),
    'Regular Queue': list(engine.queue('Regular', limit), engine.queueSize('Regular')),
    'VIP Waitlist': list(engine.waitlist('VIP', limit), engine.waitlistSize('VIP')),
    'Regular Waitlist': list(engine.waitlist('Regular', limit), engine.waitlistSize('Regular')),
    'VIP Confirmed': list(engine.seatHolders('VIP', limit), engine.sold('VIP')),
    'Regular Confirmed': list(engine.seatHolders('Regular', limit), engine.sold('Regular')),
  };
}

/**
 * A journal event as the transaction log shows it: the fields it lists, so the token hash (and any secret an
 * event may carry later) stays out. Written out rather than spread: V8 in Node 20 takes a slow path, about a
 * microsecond, for each field added to an object after a spread, and the CSV download does this per event.
 */
export function toTransaction(event: JournalEvent): Transaction {
  return {
    seq: event.seq,
    time: event.at,
    action: event.action,
    actor: event.actor,
    ticket_id: event.ticket_id,
    first_name: event.first_name,
    last_name: event.last_name,
    ticket_type: event.ticket_type,
    status: event.status,
    capacity: event.capacity,
  };
}

/**
 * A TicketStore whose rules are the engine's. Subclasses say how a decision is made durable (change)
 * and how the engine is read consistently (read); everything else is the same for both stores.
 */
export abstract class EngineStore {
  /** Decides a change on an up-to-date engine and resolves once its events are durable. */
  protected abstract change<T>(decision: Decision<T>, claim?: IdempotencyClaim): Promise<T>;
  /** Answers from the engine, holding only changes that are durable. */
  protected abstract read<T>(query: (engine: TicketEngine) => T): Promise<T>;

  register(ticket: NewTicket, ctx: ChangeContext): Promise<RegisteredTicket> {
    return this.change(decide.register(ticket, ctx.actor), ctx.claim);
  }

  processNext(ctx: ChangeContext) {
    return this.change(decide.processNext(ctx.actor), ctx.claim);
  }

  processUpTo(id: string, ctx: ChangeContext) {
    return this.change(decide.processUpTo(id, ctx.actor), ctx.claim);
  }

  cancel(id: string, ctx: ChangeContext, expectedStatus?: TicketStatus) {
    return this.change(decide.cancel(id, ctx.actor, expectedStatus), ctx.claim);
  }

  setCapacity(capacity: Partial<PerType<number>>, ctx: ChangeContext): Promise<CapacityChange> {
    return this.change(decide.setCapacity(capacity, ctx.actor), ctx.claim);
  }

  ticket(id: string) {
    // One read for both, so the PostgreSQL store catches up with the database once per request.
    return this.read((engine) =>
      engine.has(id)
        ? { ticket: engine.view(id, Date.now()), ownerTokenHash: engine.ownerTokenHash(id) as string }
        : undefined,
    );
  }

  ownerTokenHash(id: string) {
    return this.read((engine) => engine.ownerTokenHash(id));
  }

  findByName(first_name: string, last_name: string, ticket_type: TicketType) {
    return this.read((engine) => engine.findByName(first_name, last_name, ticket_type));
  }

  queue(limit: number): Promise<QueueListing> {
    return this.read((engine) => queueListing(engine, limit));
  }
}

// The queue engine: every rule of the product as pure, synchronous code over in-memory state.
// Commands decide which events happen; apply() is the only place state changes, so replaying the
// journal at start runs exactly the code that made it.

import { DomainError } from '../errors.ts';
import { type Actor, TICKET_ID_ALPHABET, TICKET_TYPES, type TicketStatus, type TicketType } from '../tickets.ts';
import { type EventAction, type JournalEvent, STATUS_AFTER } from './events.ts';
import { LINE_SLOT, type Lineable, OrderedQueue } from './ordered-queue.ts';

export interface TicketRecord extends Lineable {
  readonly id: string;
  readonly first_name: string;
  readonly last_name: string;
  readonly ticket_type: TicketType;
  status: TicketStatus;
  readonly created_at: string;
}

const DIGEST_BYTES = 32;

/**
 * Owner token digests, in one typed array indexed by registration order. Only a request that proves it owns
 * a ticket reads one, so they need not be a 64-character string per ticket: 33 bytes instead of about 88,
 * and one heap object less per ticket for the garbage collector to trace.
 */
class TokenDigests {
  private digests = new Uint8Array(1024 * DIGEST_BYTES);
  /** 1 where the ticket has an owner token (imported tickets have none) */
  private hasDigest = new Uint8Array(1024);
  private count = 0;

  /** Stores a new ticket's digest (hex, or '' for none) and returns its index; undefined when it is malformed. */
  add(tokenHash: string): number | undefined {
    if (tokenHash !== '' && tokenHash.length !== DIGEST_BYTES * 2) return undefined;
    const index = this.count;
    if (index === this.hasDigest.length) this.grow();
    if (tokenHash !== '') {
      const digests = this.digests;
      const start = index * DIGEST_BYTES;
      for (let i = 0; i < DIGEST_BYTES; i++) {
        const byte = (hexValue(tokenHash.charCodeAt(2 * i)) << 4) | hexValue(tokenHash.charCodeAt(2 * i + 1));
        if (byte < 0) return undefined;
        digests[start + i] = byte;
      }
      this.hasDigest[index] = 1;
    }
    this.count++;
    return index;
  }

  /** the digest in lower-case hex, or '' when the ticket has no owner token */
  tokenHash(index: number): string {
    if (this.hasDigest[index] !== 1) return '';
    let hex = '';
    for (let i = index * DIGEST_BYTES; i < (index + 1) * DIGEST_BYTES; i++) hex += HEX_BYTES[this.digests[i] as number];
    return hex;
  }

  private grow(): void {
    const size = this.hasDigest.length * 2;
    const digests = new Uint8Array(size * DIGEST_BYTES);
    digests.set(this.digests);
    this.digests = digests;
    const hasDigest = new Uint8Array(size);
    hasDigest.set(this.hasDigest);
    this.hasDigest = hasDigest;
  }
}

const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Values of the lower-case hex digits by char code; anything else is so negative that a byte built from it stays negative. */
const HEX_VALUES = new Int16Array(128).fill(-0x1000);
for (let i = 0; i < 16; i++) HEX_VALUES[i.toString(16).charCodeAt(0)] = i;
const hexValue = (code: number): number => HEX_VALUES[code] ?? -0x1000;

/** A ticket as the engine keeps it: a class, so that a million of them are built fast and share one shape. */
class StoredTicket implements TicketRecord {
  status: TicketStatus = 'Queued';
  [LINE_SLOT] = -1;
  readonly #digests: TokenDigests;
  readonly #index: number;

  constructor(
    readonly id: string,
    readonly first_name: string,
    readonly last_name: string,
    readonly ticket_type: TicketType,
    readonly created_at: string,
    digests: TokenDigests,
    index: number,
  ) {
    this.#digests = digests;
    this.#index = index;
  }

  /** the owner token's digest in hex, '' when it has none; kept off TicketRecord so it is never listed */
  get token_hash(): string {
    return this.#digests.tokenHash(this.#index);
  }

  toJSON(): Omit<TicketRecord, typeof LINE_SLOT> {
    const { id, first_name, last_name, ticket_type, status, created_at } = this;
    return { id, first_name, last_name, ticket_type, status, created_at };
  }
}

const ID_DIGITS = new Int8Array(128).fill(-1);
for (let i = 0; i < TICKET_ID_ALPHABET.length; i++) ID_DIGITS[TICKET_ID_ALPHABET.charCodeAt(i)] = i;

/**
 * The key a ticket is filed under. An id of the product's shape ("ABC-DEF") is read as a number in base 31,
 * below 31^6, which fits a small integer: a map looks such keys up without hashing or comparing strings,
 * which at a million tickets saves cache misses on every lookup. Any other id is its own key.
 */
export function ticketKey(id: string): number | string {
  if (id.length !== 7 || id.charCodeAt(3) !== 45 /* - */) return id;
  let key = 0;
  for (let i = 0; i < 7; i++) {
    if (i === 3) continue;
    const code = id.charCodeAt(i);
    const digit = code < 128 ? (ID_DIGITS[code] as number) : -1;
    if (digit < 0) return id;
    key = (key * TICKET_ID_ALPHABET.length + digit) | 0; // an int32, so it stays a small integer, never a boxed double
  }
  return key;
}

/** A ticket as the API shows it: its record plus where it stands right now. */
export interface TicketView extends Omit<TicketRecord, 'token_hash'> {
  /** place within its own type's queue (1 = next of its type), while Queued */
  queue_position?: number;
  /** everyone who will be served before it, VIP first, while Queued */
  people_ahead?: number;
  /** place on its type's waitlist, while Sold Out */
  waitlist_position?: number;
  /** seconds until it is likely served, from the recent serving rate; null when there is no rate yet */
  estimated_wait_seconds?: number | null;
}

export interface ProcessUpdate {
  id: string;
  first_name: string;
  last_name: string;
  ticket_type: TicketType;
  status: TicketStatus;
  /** seats of this ticket's type left after it was processed */
  remaining: number;
}

export interface Summary {
  vip_sold: number;
  regular_sold: number;
  vip_remaining: number;
  regular_remaining: number;
  total_sold: number;
  total_remaining: number;
  vip_capacity: number;
  regular_capacity: number;
  total_capacity: number;
  vip_queue_length: number;
  regular_queue_length: number;
  vip_waitlist_length: number;
  regular_waitlist_length: number;
  queue_length: number;
  waitlist_length: number;
  /** tickets processed per minute over the recent window; null before enough processing happened */
  serving_rate_per_minute: number | null;
  /** time of the last change, or null for an event nothing has happened to yet */
  updated_at: string | null;
  /** grows with every change: the same version means the same summary */
  version: number;
}

export interface CommandContext {
  /** ISO-8601 time of the command, supplied by the caller */
  at: string;
  actor: Actor;
}

export interface CommandResult<T> {
  result: T;
  /** what happened, in order, already applied to the engine; the caller makes them durable */
  events: JournalEvent[];
}

/** Raised by apply() when an event contradicts the state before it: the journal is damaged. */
export class InconsistentEventError extends Error {
  constructor(
    readonly seq: number,
    reason: string,
  ) {
    super(`event ${seq}: ${reason}`);
    this.name = 'InconsistentEventError';
  }
}

type PerType<T> = Record<TicketType, T>;
const perType = <T>(make: (type: TicketType) => T): PerType<T> => ({ VIP: make('VIP'), Regular: make('Regular') });

/** How many recent processing times the serving rate is measured over. */
const RATE_WINDOW = 50;

export class TicketEngine {
  private readonly tickets = new Map<number | string, StoredTicket>();
  private readonly digests = new TokenDigests();
  private readonly queues: PerType<OrderedQueue<StoredTicket>> = perType(() => new OrderedQueue<StoredTicket>());
  private readonly waitlists: PerType<OrderedQueue<StoredTicket>> = perType(() => new OrderedQueue<StoredTicket>());
  private readonly capacity: PerType<number> = perType(() => 0);
  /** seat holders per type, in the order they got their seat; its size is the seats sold */
  private readonly holders: PerType<OrderedQueue<StoredTicket>> = perType(() => new OrderedQueue<StoredTicket>());
  /** epoch ms of recent confirmed / sold_out events, oldest first, for the serving rate */
  private readonly recentProcessing: number[] = [];
  private seq = 0;
  private latestSummary: Readonly<Summary> | undefined;
  private lastChangeAt: string | null = null;

  /** Rebuilds an engine from a journal. Throws InconsistentEventError naming the first bad event. */
  static replay(events: Iterable<JournalEvent>): TicketEngine {
    const engine = new TicketEngine();
    for (const event of events) engine.apply(event);
    return engine;
  }

  /** Sequence number of the last event applied. */
  get lastSeq(): number {
    return this.seq;
  }

  get ticketCount(): number {
    return this.tickets.size;
  }

  // ---- commands -------------------------------------------------------------------------------

  /** Sets the capacities of a new event. Only valid before anything else happened. */
  createEvent(capacities: PerType<number>, ctx: CommandContext): CommandResult<Summary> {
    if (this.seq !== 0) throw new Error('the event already exists');
    const events = TICKET_TYPES.map((type) =>
      this.emit(ctx, 'capacity_set', { ticket_type: type, capacity: capacities[type] }),
    );
    return { result: this.summary(), events };
  }

  register(
    input: { id: string; first_name: string; last_name: string; ticket_type: TicketType; token_hash: string },
    ctx: CommandContext,
  ): CommandResult<TicketView> {
    if (this.has(input.id)) throw new Error(`ticket id ${input.id} is already taken`);
    const event = this.emit(ctx, 'registered', {
      ticket_id: input.id,
      first_name: input.first_name,
      last_name: input.last_name,
      ticket_type: input.ticket_type,
      token_hash: input.token_hash,
    });
    return { result: this.view(input.id), events: [event] };
  }

  /** Serves the head of the line: the first queued VIP, else the first queued Regular. */
  processNext(ctx: CommandContext): CommandResult<ProcessUpdate | null> {
    const head = this.headOfLine();
    if (head === undefined) return { result: null, events: [] };
    const event = this.processTicket(head, ctx);
    return { result: this.updateFor(event), events: [event] };
  }

  /**
   * Serves the line in priority order up to and including the given ticket. A ticket that was
   * already served is answered as it stands, so a repeated purchase is harmless.
   */
  processUpTo(id: string, ctx: CommandContext): CommandResult<{ updates: ProcessUpdate[]; ticket: TicketView }> {
    const ticket = this.requireTicket(id);
    if (ticket.status === 'Cancelled') throw new DomainError('ALREADY_CANCELLED', 'This ticket was cancelled');
    const events: JournalEvent[] = [];
    while (ticket.status === 'Queued') {
      const head = this.headOfLine();
      if (head === undefined) throw new Error(`queued ticket ${id} is not in line`);
      events.push(this.processTicket(head, ctx));
    }
    return { result: { updates: events.map((event) => this.updateFor(event)), ticket: this.view(id) }, events };
  }

  /** Cancels a ticket; a confirmed seat goes to the first on that type's waitlist, else back on sale. */
  cancel(id: string, ctx: CommandContext): CommandResult<{ ticket: TicketView; promoted: TicketView | null }> {
    const ticket = this.requireTicket(id);
    if (ticket.status === 'Cancelled') {
      throw new DomainError('ALREADY_CANCELLED', 'This ticket is already cancelled');
    }
    const wasConfirmed = ticket.status === 'Confirmed';
    const events = [this.emitForTicket(ctx, 'cancelled', ticket)];
    let promoted: TicketView | null = null;
    if (wasConfirmed) {
      const promotion = this.promoteFromWaitlist(ticket.ticket_type, ctx.at);
      events.push(...promotion);
      if (promotion[0]) promoted = this.view(promotion[0].ticket_id);
    }
    return { result: { ticket: this.view(id), promoted }, events };
  }

  /** Changes capacities; never below seats sold. Added seats go to the waitlist first. */
  setCapacity(capacities: Partial<PerType<number>>, ctx: CommandContext): CommandResult<Summary> {
    for (const type of TICKET_TYPES) {
      const wanted = capacities[type];
      if (wanted !== undefined && wanted < this.sold(type)) {
        throw new DomainError(
          'CAPACITY_BELOW_SOLD',
          `${type} capacity cannot be ${wanted}: ${this.sold(type)} seats are already sold`,
          { ticket_type: type, sold: this.sold(type) },
        );
      }
    }
    const events: JournalEvent[] = [];
    for (const type of TICKET_TYPES) {
      const wanted = capacities[type];
      if (wanted === undefined || wanted === this.capacity[type]) continue;
      events.push(this.emit(ctx, 'capacity_set', { ticket_type: type, capacity: wanted }));
      events.push(...this.promoteFromWaitlist(type, ctx.at));
    }
    return { result: this.summary(), events };
  }

  // ---- queries --------------------------------------------------------------------------------

  has(id: string): boolean {
    return this.tickets.has(ticketKey(id));
  }

  record(id: string): TicketRecord | undefined {
    return this.tickets.get(ticketKey(id));
  }

  /** The SHA-256 digest (hex) of a ticket's owner token: '' when it has none, undefined when there is no such ticket. */
  ownerTokenHash(id: string): string | undefined {
    return this.tickets.get(ticketKey(id))?.token_hash;
  }

  view(id: string): TicketView {
    const ticket = this.requireTicket(id);
    const view: TicketView = {
      id: ticket.id,
      first_name: ticket.first_name,
      last_name: ticket.last_name,
      ticket_type: ticket.ticket_type,
      status: ticket.status,
      created_at: ticket.created_at,
    };
    if (ticket.status === 'Queued') {
      const position = this.queues[ticket.ticket_type].positionOf(ticket) as number;
      const ahead = position - 1 + (ticket.ticket_type === 'Regular' ? this.queues.VIP.size : 0);
      view.queue_position = position;
      view.people_ahead = ahead;
      view.estimated_wait_seconds = this.estimateWaitSeconds(ahead + 1);
    } else if (ticket.status === 'Sold Out') {
      view.waitlist_position = this.waitlists[ticket.ticket_type].positionOf(ticket) as number;
    }
    return view;
  }

  /**
   * Tickets with this exact name and type, oldest first (names compared as stored, trimmed). A scan:
   * only staff cancelling by name, as the original app did, asks this, and an index would cost memory
   * for every ticket.
   */
  findByName(first_name: string, last_name: string, ticket_type: TicketType): TicketRecord[] {
    const found: TicketRecord[] = [];
    for (const ticket of this.tickets.values()) {
      if (ticket.ticket_type === ticket_type && ticket.first_name === first_name && ticket.last_name === last_name) {
        found.push(ticket);
      }
    }
    return found;
  }

  /** Length of the whole line (both types). */
  get queueLength(): number {
    return this.queues.VIP.size + this.queues.Regular.size;
  }

  queue(type: TicketType, limit?: number): TicketRecord[] {
    return this.listed(this.queues[type], limit);
  }

  waitlist(type: TicketType, limit?: number): TicketRecord[] {
    return this.listed(this.waitlists[type], limit);
  }

  queueSize(type: TicketType): number {
    return this.queues[type].size;
  }

  /** Confirmed tickets of a type, in the order they got their seat. */
  seatHolders(type: TicketType, limit?: number): TicketRecord[] {
    return this.listed(this.holders[type], limit);
  }

  sold(type: TicketType): number {
    return this.holders[type].size;
  }

  waitlistSize(type: TicketType): number {
    return this.waitlists[type].size;
  }

  remaining(type: TicketType): number {
    return this.capacity[type] - this.sold(type);
  }

  /** The figures as of now; the same object until the next change, since they depend on nothing else. */
  summary(): Readonly<Summary> {
    if (this.latestSummary?.version !== this.seq) this.latestSummary = Object.freeze(this.computeSummary());
    return this.latestSummary;
  }

  private computeSummary(): Summary {
    const sold = perType((type) => this.sold(type));
    const remaining = perType((type) => this.remaining(type));
    return {
      vip_sold: sold.VIP,
      regular_sold: sold.Regular,
      vip_remaining: remaining.VIP,
      regular_remaining: remaining.Regular,
      total_sold: sold.VIP + sold.Regular,
      total_remaining: remaining.VIP + remaining.Regular,
      vip_capacity: this.capacity.VIP,
      regular_capacity: this.capacity.Regular,
      total_capacity: this.capacity.VIP + this.capacity.Regular,
      vip_queue_length: this.queues.VIP.size,
      regular_queue_length: this.queues.Regular.size,
      vip_waitlist_length: this.waitlists.VIP.size,
      regular_waitlist_length: this.waitlists.Regular.size,
      queue_length: this.queues.VIP.size + this.queues.Regular.size,
      waitlist_length: this.waitlists.VIP.size + this.waitlists.Regular.size,
      serving_rate_per_minute: this.servingRatePerMinute(),
      updated_at: this.lastChangeAt,
      version: this.seq,
    };
  }

  // ---- the one place state changes ------------------------------------------------------------

  /** Applies one event. Events must arrive in seq order and agree with the state they follow. */
  apply(event: JournalEvent): void {
    this.applyTo(event, undefined);
  }

  /** apply(), given the event's ticket when the caller already holds it (saves a lookup per command). */
  private applyTo(event: JournalEvent, known: StoredTicket | undefined): void {
    if (event.seq !== this.seq + 1) inconsistent(event, `expected event ${this.seq + 1} next, found ${event.seq}`);
    const type = event.ticket_type;

    if (event.action === 'capacity_set') {
      const capacity = event.capacity;
      if (capacity === null || !Number.isInteger(capacity) || capacity < 0)
        inconsistent(event, 'capacity must be a whole number');
      if ((capacity as number) < this.sold(type))
        inconsistent(event, `${type} capacity below the ${this.sold(type)} sold`);
      this.capacity[type] = capacity as number;
    } else if (event.action === 'registered') {
      const index = this.digests.add(event.token_hash) ?? inconsistent(event, 'its token hash is malformed');
      const ticket = new StoredTicket(
        event.ticket_id,
        event.first_name,
        event.last_name,
        type,
        event.at,
        this.digests,
        index,
      );
      // One lookup, not two: a size that did not grow means the id was taken (a command never gets here
      // with a taken id, so only a damaged journal does, and its engine is thrown away).
      const before = this.tickets.size;
      this.tickets.set(ticketKey(ticket.id), ticket);
      if (this.tickets.size === before) inconsistent(event, `ticket ${event.ticket_id} registered twice`);
      this.queues[type].push(ticket);
    } else {
      const ticket =
        known ??
        this.tickets.get(ticketKey(event.ticket_id)) ??
        inconsistent(event, `unknown ticket ${event.ticket_id}`);
      if (ticket.ticket_type !== type) inconsistent(event, `ticket ${ticket.id} is ${ticket.ticket_type}, not ${type}`);
      const from = ticket.status;
      switch (event.action) {
        case 'confirmed':
        case 'sold_out': {
          if (this.headOfLine() !== ticket) inconsistent(event, `ticket ${ticket.id} processed out of priority order`);
          const seatFree = this.sold(type) < this.capacity[type];
          if (seatFree !== (event.action === 'confirmed'))
            inconsistent(event, `ticket ${ticket.id} ${event.action} disagrees with seats left`);
          this.queues[type].remove(ticket);
          if (seatFree) this.holders[type].push(ticket);
          else this.waitlists[type].push(ticket);
          this.noteProcessing(event.at);
          break;
        }
        case 'promoted':
          if (this.waitlists[type].peek() !== ticket)
            inconsistent(event, `ticket ${ticket.id} promoted out of waitlist order`);
          if (this.sold(type) >= this.capacity[type])
            inconsistent(event, `ticket ${ticket.id} promoted without a free seat`);
          this.waitlists[type].shift();
          this.holders[type].push(ticket);
          break;
        case 'cancelled':
          if (from === 'Cancelled') inconsistent(event, `ticket ${ticket.id} cancelled twice`);
          if (from === 'Queued') this.queues[type].remove(ticket);
          else if (from === 'Sold Out') this.waitlists[type].remove(ticket);
          else this.holders[type].remove(ticket);
          break;
      }
      ticket.status = STATUS_AFTER[event.action];
    }
    this.seq = event.seq;
    this.lastChangeAt = event.at;
  }

  // ---- internals ------------------------------------------------------------------------------

  private headOfLine(): StoredTicket | undefined {
    return this.queues.VIP.peek() ?? this.queues.Regular.peek();
  }

  private processTicket(ticket: StoredTicket, ctx: CommandContext): JournalEvent {
    const action = this.remaining(ticket.ticket_type) > 0 ? 'confirmed' : 'sold_out';
    return this.emitForTicket(ctx, action, ticket);
  }

  /** Fills free seats of a type from the front of its waitlist. */
  private promoteFromWaitlist(type: TicketType, at: string): JournalEvent[] {
    const events: JournalEvent[] = [];
    while (this.remaining(type) > 0) {
      const next = this.waitlists[type].peek();
      if (next === undefined) break;
      events.push(this.emitForTicket({ at, actor: 'system' }, 'promoted', next));
    }
    return events;
  }

  private emitForTicket(ctx: CommandContext, action: EventAction, ticket: StoredTicket): JournalEvent {
    return this.emit(
      ctx,
      action,
      {
        ticket_id: ticket.id,
        first_name: ticket.first_name,
        last_name: ticket.last_name,
        ticket_type: ticket.ticket_type,
      },
      ticket,
    );
  }

  private emit(
    ctx: CommandContext,
    action: EventAction,
    fields: Partial<JournalEvent> & { ticket_type: TicketType },
    ticket?: StoredTicket,
  ): JournalEvent {
    const event: JournalEvent = {
      seq: this.seq + 1,
      at: ctx.at,
      action,
      actor: ctx.actor,
      ticket_id: '',
      first_name: '',
      last_name: '',
      status: action === 'capacity_set' ? '' : STATUS_AFTER[action],
      capacity: null,
      token_hash: '',
      ...fields,
    };
    this.applyTo(event, ticket);
    return event;
  }

  private updateFor(event: JournalEvent): ProcessUpdate {
    return {
      id: event.ticket_id,
      first_name: event.first_name,
      last_name: event.last_name,
      ticket_type: event.ticket_type,
      status: event.status as TicketStatus,
      remaining: this.remaining(event.ticket_type),
    };
  }

  private requireTicket(id: string): StoredTicket {
    const ticket = this.tickets.get(ticketKey(id));
    if (!ticket) throw new DomainError('TICKET_NOT_FOUND', 'Ticket not found');
    return ticket;
  }

  private listed(line: OrderedQueue<StoredTicket>, limit?: number): TicketRecord[] {
    return Array.from(line.items(limit));
  }

  private noteProcessing(at: string): void {
    this.recentProcessing.push(Date.parse(at));
    if (this.recentProcessing.length > RATE_WINDOW) this.recentProcessing.shift();
  }

  private servingRatePerMinute(): number | null {
    const times = this.recentProcessing;
    if (times.length < 2) return null;
    const spanMs = (times[times.length - 1] as number) - (times[0] as number);
    if (spanMs <= 0) return null;
    return ((times.length - 1) * 60_000) / spanMs;
  }

  private estimateWaitSeconds(ticketsToServe: number): number | null {
    const rate = this.servingRatePerMinute();
    return rate === null ? null : Math.round((ticketsToServe * 60) / rate);
  }
}

function inconsistent(event: JournalEvent, reason: string): never {
  throw new InconsistentEventError(event.seq, reason);
}

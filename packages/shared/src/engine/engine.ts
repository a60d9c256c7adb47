// The queue engine: every rule of the product as pure, synchronous code over in-memory state.
// Commands decide which events happen; apply() is the only place state changes, so replaying the
// journal at start runs exactly the code that made it.

import { DomainError } from '../errors.ts';
import { type Actor, capacityBelowSoldMessage, TICKET_TYPES, type TicketStatus, type TicketType } from '../tickets.ts';
import { type EventAction, type JournalEvent, STATUS_AFTER } from './events.ts';
import { OrderedQueue } from './ordered-queue.ts';
import { type Row, type RowBytes, TicketTable, ticketNumber } from './ticket-table.ts';

export { RowBytes } from './ticket-table.ts';

export interface TicketRecord {
  readonly id: string;
  readonly first_name: string;
  readonly last_name: string;
  readonly ticket_type: TicketType;
  readonly status: TicketStatus;
  readonly created_at: string;
}

/**
 * The key a ticket id is filed under: an id of the product's shape ("ABC-DEF") as its number in base 31
 * (a small integer, below 31^6), any other id as itself.
 */
export function ticketKey(id: string): number | string {
  const number = ticketNumber(id);
  return number < 0 ? id : number;
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

/** A copy of the line at one moment (see TicketEngine.frozenLine). */
export interface FrozenLine {
  readonly size: number;
  /** Fills `into` with the fields of the ticket at this place (from 0), as bytes. */
  readBytes(place: number, into: RowBytes): void;
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

/** The ticket Process next served: its update, and when it registered, as a ticket says. */
export interface ProcessedTicket extends ProcessUpdate {
  created_at: string;
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

/**
 * The serving rate is measured over the most recent processing that spans at least RATE_SPAN_MS, and over
 * RATE_SPAN_MS at least when serving has not gone on that long: a burst (Process all, or a Purchase serving
 * everyone ahead, all within a few milliseconds) reads neither as thousands a minute, nor, with every time
 * equal, as no rate at all. The summary and the wait estimates use the same rate; a wait is estimated at the
 * pace up to the moment it is asked for, so while nobody is served it lengthens.
 *
 * The times kept are checkpoints: a processing at least CHECKPOINT_MS after the last checkpoint becomes one,
 * with the count of processing up to it. RATE_HISTORY of them reach back more than RATE_SPAN_MS however fast
 * people are served (thousands a minute during Process all), so the rate is never capped by how many times are
 * kept; and when serving is slower than one per CHECKPOINT_MS, every processing is a checkpoint and the span is
 * exact.
 */
const RATE_SPAN_MS = 60_000;
const CHECKPOINT_MS = 100;
const RATE_HISTORY = 1024;

/** The latest minute or more of serving as of event `seq`: `served` people after `fromMs`, up to `toMs`. */
interface ServingSpan {
  seq: number;
  served: number;
  fromMs: number;
  toMs: number;
}

export class TicketEngine {
  private readonly tickets = new TicketTable();
  private readonly queues: PerType<OrderedQueue> = perType(() => new OrderedQueue(this.tickets));
  private readonly waitlists: PerType<OrderedQueue> = perType(() => new OrderedQueue(this.tickets));
  private readonly capacity: PerType<number> = perType(() => 0);
  /** seat holders per type, in the order they got their seat; its size is the seats sold */
  private readonly holders: PerType<OrderedQueue> = perType(() => new OrderedQueue(this.tickets));
  /** serving-rate checkpoints, a ring of RATE_HISTORY: epoch ms of a confirmed / sold_out event ... */
  private readonly checkpointMs = new Float64Array(RATE_HISTORY);
  /** ... and how many such events there were up to and including it */
  private readonly checkpointCount = new Float64Array(RATE_HISTORY);
  private checkpoints = 0;
  private processedCount = 0;
  private lastProcessingMs = 0;
  /** the latest serving span as of an event seq: read with every ticket view, it changes only with processing */
  private span: ServingSpan = { seq: -1, served: 0, fromMs: 0, toMs: 0 };
  private seq = 0;
  private latestSummary: Readonly<Summary> | undefined;
  private lastChangeAt: string | null = null;

  /** Rebuilds an engine from a journal. Throws InconsistentEventError naming the first bad event. */
  static replay(events: Iterable<JournalEvent>): TicketEngine {
    const engine = new TicketEngine();
    for (const event of events) engine.apply(event);
    return engine;
  }

  /**
   * Makes room at once for about `tickets` tickets, whose names and registration times take about `textBytes`
   * (see TicketTable.reserve); more than that still fits, only at the cost of growing.
   */
  reserve(tickets: number, textBytes: number): void {
    this.tickets.reserve(tickets, textBytes);
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
    return { result: this.viewOf(this.tickets.size - 1, epochMs(ctx.at)), events: [event] };
  }

  /** Serves the head of the line: the first queued VIP, else the first queued Regular. */
  processNext(ctx: CommandContext): CommandResult<ProcessedTicket | null> {
    const head = this.headOfLine();
    if (head === undefined) return { result: null, events: [] };
    const event = this.processTicket(head, ctx);
    return { result: { ...this.updateFor(event), created_at: this.tickets.createdAtOf(head) }, events: [event] };
  }

  /**
   * Serves the line in priority order up to and including the given ticket. A ticket that was
   * already served is answered as it stands, so a repeated purchase is harmless.
   */
  processUpTo(id: string, ctx: CommandContext): CommandResult<{ updates: ProcessUpdate[]; ticket: TicketView }> {
    const row = this.requireRow(id);
    if (this.tickets.status(row) === 'Cancelled')
      throw new DomainError('ALREADY_CANCELLED', 'This ticket was cancelled');
    const events: JournalEvent[] = [];
    const updates: ProcessUpdate[] = [];
    while (this.tickets.status(row) === 'Queued') {
      const head = this.headOfLine();
      if (head === undefined) throw new Error(`queued ticket ${id} is not in line`);
      const event = this.processTicket(head, ctx);
      events.push(event);
      // Each step's seats left as they were right after it, as Process next answers them.
      updates.push(this.updateFor(event));
    }
    return { result: { updates, ticket: this.viewOf(row) }, events };
  }

  /** Cancels a ticket; a confirmed seat goes to the first on that type's waitlist, else back on sale. */
  cancel(id: string, ctx: CommandContext): CommandResult<{ ticket: TicketView; promoted: TicketView | null }> {
    const row = this.requireRow(id);
    const status = this.tickets.status(row);
    if (status === 'Cancelled') {
      throw new DomainError('ALREADY_CANCELLED', 'This ticket is already cancelled');
    }
    const events = [this.emitForTicket(ctx, 'cancelled', row)];
    let promoted: TicketView | null = null;
    if (status === 'Confirmed') {
      const first = this.waitlists[this.tickets.type(row)].peek();
      const promotion = this.promoteFromWaitlist(this.tickets.type(row), ctx.at);
      events.push(...promotion);
      if (promotion.length > 0 && first !== undefined) promoted = this.viewOf(first);
    }
    return { result: { ticket: this.viewOf(row), promoted }, events };
  }

  /** Changes capacities; never below seats sold. Added seats go to the waitlist first. */
  setCapacity(capacities: Partial<PerType<number>>, ctx: CommandContext): CommandResult<Summary> {
    for (const type of TICKET_TYPES) {
      const wanted = capacities[type];
      const sold = this.sold(type);
      if (wanted !== undefined && wanted < sold) {
        throw new DomainError('CAPACITY_BELOW_SOLD', capacityBelowSoldMessage(type, wanted, sold), {
          ticket_type: type,
          sold,
        });
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

  /**
   * Gives seats left free to the people on the waitlists; answers how many were promoted. Every change that
   * frees a seat fills it itself, so this only mends a journal whose last change a crash cut short (a
   * cancellation written without the promotion that followed it, which was never acknowledged).
   */
  fillFreeSeats(at: string): CommandResult<number> {
    const events = TICKET_TYPES.flatMap((type) => this.promoteFromWaitlist(type, at));
    return { result: events.length, events };
  }

  // ---- queries --------------------------------------------------------------------------------

  has(id: string): boolean {
    return this.tickets.find(id) !== undefined;
  }

  record(id: string): TicketRecord | undefined {
    const row = this.tickets.find(id);
    return row === undefined ? undefined : this.recordOf(row);
  }

  /** The SHA-256 digest (hex) of a ticket's owner token: '' when it has none, undefined when there is no such ticket. */
  ownerTokenHash(id: string): string | undefined {
    const row = this.tickets.find(id);
    return row === undefined ? undefined : this.tickets.tokenHash(row);
  }

  /**
   * A ticket as its owner sees it; a queued one's estimated wait is as of `nowMs` (epoch ms), by default as if
   * asked the moment the latest person was served.
   */
  view(id: string, nowMs?: number): TicketView {
    return this.viewOf(this.requireRow(id), nowMs);
  }

  /**
   * Tickets with this exact name and type, oldest first (names compared as stored, trimmed). A scan:
   * only staff cancelling by name, as the original app did, asks this, and an index would cost memory
   * for every ticket.
   */
  findByName(first_name: string, last_name: string, ticket_type: TicketType): TicketRecord[] {
    return this.tickets.rowsNamed(first_name, last_name, ticket_type).map((row) => this.recordOf(row));
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

  /**
   * The whole line as it stands now, VIP first, to be read a page at a time (queue.csv): later changes to the
   * line do not move it, and what a place shows of its ticket (id, type, names, time) never changes.
   */
  frozenLine(): FrozenLine {
    const vip = this.queues.VIP.copy();
    const rows = new Int32Array(vip.length + this.queues.Regular.size);
    rows.set(vip);
    rows.set(this.queues.Regular.copy(), vip.length);
    return {
      size: rows.length,
      readBytes: (place, into) => this.tickets.readBytes(rows[place] as Row, into),
    };
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
      serving_rate_per_minute: roundToTenth(this.servingRatePerMinute()),
      updated_at: this.lastChangeAt,
      version: this.seq,
    };
  }

  // ---- the one place state changes ------------------------------------------------------------

  /** Applies one event. Events must arrive in seq order and agree with the state they follow. */
  apply(event: JournalEvent): void {
    this.applyTo(event, undefined);
  }

  /**
   * apply(), given the event's ticket row when the caller already holds it (saves a lookup per command).
   * Nothing here keeps the event object: a replay may hand in the same object again for the next line.
   */
  private applyTo(event: JournalEvent, known: Row | undefined): void {
    if (event.seq !== this.seq + 1) inconsistent(event, `expected event ${this.seq + 1} next, found ${event.seq}`);
    const type = event.ticket_type;
    const tickets = this.tickets;

    if (event.action === 'capacity_set') {
      const capacity = event.capacity;
      if (capacity === null || !Number.isInteger(capacity) || capacity < 0)
        inconsistent(event, 'capacity must be a whole number');
      if ((capacity as number) < this.sold(type))
        inconsistent(event, `${type} capacity below the ${this.sold(type)} sold`);
      this.capacity[type] = capacity as number;
    } else if (event.action === 'registered') {
      const row = tickets.add({
        id: event.ticket_id,
        first_name: event.first_name,
        last_name: event.last_name,
        ticket_type: type,
        created_at: event.at,
        token_hash: event.token_hash,
      });
      if (row === undefined) {
        inconsistent(
          event,
          this.has(event.ticket_id)
            ? `ticket ${event.ticket_id} registered twice`
            : 'its token hash is malformed or one of its texts is longer than 64 KiB',
        );
      }
      this.queues[type].push(row);
    } else {
      const row = known ?? tickets.find(event.ticket_id) ?? inconsistent(event, `unknown ticket ${event.ticket_id}`);
      const ticketType = tickets.type(row);
      if (ticketType !== type) inconsistent(event, `ticket ${event.ticket_id} is ${ticketType}, not ${type}`);
      const from = tickets.status(row);
      switch (event.action) {
        case 'confirmed':
        case 'sold_out': {
          if (this.headOfLine() !== row)
            inconsistent(event, `ticket ${event.ticket_id} processed out of priority order`);
          const seatFree = this.sold(type) < this.capacity[type];
          if (seatFree !== (event.action === 'confirmed'))
            inconsistent(event, `ticket ${event.ticket_id} ${event.action} disagrees with seats left`);
          this.queues[type].remove(row);
          if (seatFree) this.holders[type].push(row);
          else this.waitlists[type].push(row);
          this.noteProcessing(event.at);
          break;
        }
        case 'promoted':
          if (this.waitlists[type].peek() !== row)
            inconsistent(event, `ticket ${event.ticket_id} promoted out of waitlist order`);
          if (this.sold(type) >= this.capacity[type])
            inconsistent(event, `ticket ${event.ticket_id} promoted without a free seat`);
          this.waitlists[type].shift();
          this.holders[type].push(row);
          break;
        case 'cancelled':
          if (from === 'Cancelled') inconsistent(event, `ticket ${event.ticket_id} cancelled twice`);
          if (from === 'Queued') this.queues[type].remove(row);
          else if (from === 'Sold Out') this.waitlists[type].remove(row);
          else this.holders[type].remove(row);
          break;
      }
      tickets.setStatus(row, STATUS_AFTER[event.action]);
    }
    this.seq = event.seq;
    this.lastChangeAt = event.at;
  }

  // ---- internals ------------------------------------------------------------------------------

  private headOfLine(): Row | undefined {
    return this.queues.VIP.peek() ?? this.queues.Regular.peek();
  }

  private processTicket(row: Row, ctx: CommandContext): JournalEvent {
    const action = this.remaining(this.tickets.type(row)) > 0 ? 'confirmed' : 'sold_out';
    return this.emitForTicket(ctx, action, row);
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

  private emitForTicket(ctx: CommandContext, action: EventAction, row: Row): JournalEvent {
    const tickets = this.tickets;
    return this.emit(
      ctx,
      action,
      {
        ticket_id: tickets.id(row),
        first_name: tickets.firstName(row),
        last_name: tickets.lastName(row),
        ticket_type: tickets.type(row),
      },
      row,
    );
  }

  private emit(
    ctx: CommandContext,
    action: EventAction,
    fields: Partial<JournalEvent> & { ticket_type: TicketType },
    row?: Row,
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
    this.applyTo(event, row);
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

  private requireRow(id: string): Row {
    const row = this.tickets.find(id);
    if (row === undefined) throw new DomainError('TICKET_NOT_FOUND', 'Ticket not found');
    return row;
  }

  private recordOf(row: Row): TicketRecord {
    const tickets = this.tickets;
    return {
      id: tickets.id(row),
      first_name: tickets.firstName(row),
      last_name: tickets.lastName(row),
      ticket_type: tickets.type(row),
      status: tickets.status(row),
      created_at: tickets.createdAtOf(row),
    };
  }

  private viewOf(row: Row, nowMs?: number): TicketView {
    const view: TicketView = this.recordOf(row);
    const type = view.ticket_type;
    if (view.status === 'Queued') {
      const position = this.queues[type].positionOf(row) as number;
      const ahead = position - 1 + (type === 'Regular' ? this.queues.VIP.size : 0);
      view.queue_position = position;
      view.people_ahead = ahead;
      view.estimated_wait_seconds = this.estimateWaitSeconds(ahead + 1, nowMs);
    } else if (view.status === 'Sold Out') {
      view.waitlist_position = this.waitlists[type].positionOf(row) as number;
    }
    return view;
  }

  private listed(line: OrderedQueue, limit?: number): TicketRecord[] {
    return Array.from(line.items(limit), (row) => this.recordOf(row));
  }

  private noteProcessing(at: string): void {
    const ms = epochMs(at);
    this.processedCount++;
    this.lastProcessingMs = ms;
    const last = (this.checkpoints - 1) % RATE_HISTORY;
    if (this.checkpoints === 0 || ms - (this.checkpointMs[last] as number) >= CHECKPOINT_MS) {
      const slot = this.checkpoints % RATE_HISTORY;
      this.checkpointMs[slot] = ms;
      this.checkpointCount[slot] = this.processedCount;
      this.checkpoints++;
    }
  }

  /**
   * People served a minute over the latest serving span, taken as a minute at least; with `untilMs`, the
   * pace for a wait from then on: counted up to then when that is later.
   */
  private servingRatePerMinute(untilMs?: number): number | null {
    if (this.span.seq !== this.seq) this.span = { seq: this.seq, ...this.measureServingSpan() };
    const { served, fromMs, toMs } = this.span;
    const spanMs = Math.max(Math.max(untilMs ?? toMs, toMs) - fromMs, RATE_SPAN_MS);
    return served > 0 ? (served * 60_000) / spanMs : null;
  }

  /**
   * From the newest processing back to the latest checkpoint RATE_SPAN_MS or more before it (or the oldest
   * kept): how many were served after that one, and when.
   */
  private measureServingSpan(): Omit<ServingSpan, 'seq'> {
    if (this.processedCount < 2) return { served: 0, fromMs: 0, toMs: 0 };
    const newest = this.lastProcessingMs;
    const oldest = Math.max(0, this.checkpoints - RATE_HISTORY);
    let from = this.checkpoints - 1;
    while (from > oldest && newest - (this.checkpointMs[from % RATE_HISTORY] as number) < RATE_SPAN_MS) from--;
    return {
      served: this.processedCount - (this.checkpointCount[from % RATE_HISTORY] as number),
      fromMs: this.checkpointMs[from % RATE_HISTORY] as number,
      toMs: newest,
    };
  }

  private estimateWaitSeconds(ticketsToServe: number, nowMs?: number): number | null {
    const rate = this.servingRatePerMinute(nowMs);
    return rate === null ? null : Math.round((ticketsToServe * 60) / rate);
  }
}

/** A rate as people read it (12.3 per minute), not to the 16th digit; the wait estimate uses the exact rate. */
function roundToTenth(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10;
}

/**
 * Epoch milliseconds of an ISO-8601 time. The engine's own times are all "YYYY-MM-DDTHH:MM:SS.sssZ", read
 * here digit by digit (a replay reads hundreds of thousands of them); any other form goes to Date.parse.
 */
function epochMs(at: string): number {
  if (at.length !== 24 || at.charCodeAt(10) !== 84 /* T */ || at.charCodeAt(23) !== 90 /* Z */) return Date.parse(at);
  const ms = Date.UTC(
    digitsAt(at, 0, 4),
    digitsAt(at, 5, 2) - 1,
    digitsAt(at, 8, 2),
    digitsAt(at, 11, 2),
    digitsAt(at, 14, 2),
    digitsAt(at, 17, 2),
    digitsAt(at, 20, 3),
  );
  return Number.isNaN(ms) ? Date.parse(at) : ms;
}

/** The number written by `count` decimal digits from `from`; NaN when one is not a digit. */
function digitsAt(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
}

function inconsistent(event: JournalEvent, reason: string): never {
  throw new InconsistentEventError(event.seq, reason);
}

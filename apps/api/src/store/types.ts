// The seam between the HTTP routes and persistence: every state change and every read the API makes.
// The embedded CSV store and the PostgreSQL store both implement it with the same guarantees:
// a method that changes state resolves only once the change is durable, and rejects with
// StorageUnavailableError (nothing done) when it cannot be made durable.

import type {
  Actor,
  JournalEvent,
  ProcessedTicket,
  ProcessUpdate,
  QueueList,
  Summary,
  TicketRecord,
  TicketStatus,
  TicketType,
  TicketView,
  TransactionsResponse,
} from '@ticketing/shared';
import type { IdempotencyClaim } from '../idempotency/types.ts';

export interface ChangeContext {
  actor: Actor;
  /**
   * The Idempotency-Key claim the change answers, if any. A store whose keys several servers share commits
   * the change only while the claim is still this request's, and marks it committed in the same transaction.
   */
  claim?: IdempotencyClaim | undefined;
}

export interface NewTicket {
  first_name: string;
  last_name: string;
  ticket_type: TicketType;
  token_hash: string;
  /**
   * Under an Idempotency-Key, the ids to try in turn (see keyed-ticket-id.ts) instead of random ones: the
   * first that is free becomes the ticket's, and one held by a ticket with this very token hash is the ticket
   * an earlier attempt with the key registered, which is then answered instead of registering again.
   */
  ids?: ((attempt: number) => string) | undefined;
}

export interface RegisteredTicket {
  ticket: TicketView;
  current_queue_length: number;
  /** true when an earlier attempt with the same Idempotency-Key had registered this ticket: nothing changed */
  replayed?: boolean;
}

/**
 * The seats left right after a change, taken as the change was decided: they are on disk when the change is,
 * so its answer needs no second read (which, under load, would wait for the next write to the disk).
 */
export interface SeatsLeft {
  remaining_tickets: PerType<number>;
}

export interface ProcessedNext extends SeatsLeft {
  /** the ticket served, or null when nobody was in line */
  processed: ProcessedTicket | null;
}

export interface ProcessedUpTo extends SeatsLeft {
  updates: ProcessUpdate[];
  ticket: TicketView;
}

export interface CancelOutcome extends SeatsLeft {
  ticket: TicketView;
  promoted: TicketView | null;
}

/** The summary after a capacity change, and how many on each waitlist got the seats it added. */
export interface CapacityChange extends Summary {
  promoted: PerType<number>;
}

export interface TransactionFilter {
  /**
   * a ticket id, or part of a first or last name, composed (NFC) as names are kept (the route composes it);
   * case, accents and apostrophe style are ignored (search-fold.ts)
   */
  q?: string;
  ticket_type?: TicketType;
  status?: string;
  limit: number;
  offset: number;
  /** only events up to this seq: the log as it stood then, so deeper pages hold still while events arrive */
  up_to_seq?: number | undefined;
}

export type PerType<T> = Record<TicketType, T>;

/** Each staff list (see QUEUE_LISTS) up to a limit, with its full length. */
export type QueueListing = Record<QueueList, { entries: TicketRecord[]; total: number }>;

export interface StoreHealth {
  ready: boolean;
  detail?: string;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export interface TicketStore {
  /** which implementation this is, for logs */
  readonly kind: string;

  register(ticket: NewTicket, ctx: ChangeContext): Promise<RegisteredTicket>;
  processNext(ctx: ChangeContext): Promise<ProcessedNext>;
  processUpTo(id: string, ctx: ChangeContext): Promise<ProcessedUpTo>;
  /** With `expectedStatus`, refused (STATUS_CHANGED) unless the ticket still has that status. */
  cancel(id: string, ctx: ChangeContext, expectedStatus?: TicketStatus): Promise<CancelOutcome>;
  setCapacity(capacity: Partial<PerType<number>>, ctx: ChangeContext): Promise<CapacityChange>;

  /** the ticket with its current place and its owner's token hash (to authorise the caller), or undefined */
  ticket(id: string): Promise<{ ticket: TicketView; ownerTokenHash: string } | undefined>;
  /** sha-256 hex of the ticket owner's token ('' when it has none), or undefined for an unknown ticket */
  ownerTokenHash(id: string): Promise<string | undefined>;
  findByName(first_name: string, last_name: string, ticket_type: TicketType): Promise<TicketRecord[]>;
  summary(): Promise<Summary>;
  /**
   * The summary when it can be answered at once, from memory, with nothing to wait for; undefined when
   * summary() would have to wait (for the disk, or for the database). Every open summary page polls it.
   */
  summaryAtOnce(): Summary | undefined;
  queue(limit: number): Promise<QueueListing>;
  transactions(filter: TransactionFilter): Promise<Omit<TransactionsResponse, 'limit' | 'offset'>>;
  /** the whole journal, oldest first, as stored (with token hashes): for exports and moves */
  journal(): AsyncIterable<JournalEvent>;

  /** the configured staff token, or one generated once and kept with the event's data */
  staffToken(configured: string | undefined): Promise<string>;

  health(): Promise<StoreHealth>;
  /** finishes pending writes, writes final snapshots and releases locks and connections */
  close(): Promise<void>;
}

/** The store could not make a change durable, or cannot be reached: nothing was done. */
export class StorageUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageUnavailableError';
  }
}

/** The data on disk cannot be trusted as it is; the server must not start until a person looks. */
export class StorageDamagedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageDamagedError';
  }
}

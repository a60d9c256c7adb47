// The HTTP contract: JSON schemas of every request and response, and the TypeScript types derived
// from them, so the API validates and serialises with exactly the shapes the client compiles against.

import { type Static, Type } from '@sinclair/typebox';
import { CAPACITY_MAX, TICKET_ID_PATTERN, type TICKET_STATUSES, type TICKET_TYPES } from './tickets.ts';

export const TicketTypeSchema = Type.Union([Type.Literal('VIP'), Type.Literal('Regular')]);
export const TicketStatusSchema = Type.Union([
  Type.Literal('Queued'),
  Type.Literal('Confirmed'),
  Type.Literal('Sold Out'),
  Type.Literal('Cancelled'),
]);
// The schemas above must list exactly the vocabulary of tickets.ts.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemasMatchVocabulary: [
  Same<Static<typeof TicketTypeSchema>, (typeof TICKET_TYPES)[number]>,
  Same<Static<typeof TicketStatusSchema>, (typeof TICKET_STATUSES)[number]>,
] = [true, true];
void schemasMatchVocabulary;
// Raw inputs are only bounded here; trimming, case and the name rules are applied by checkRegistration,
// which the page shares, so both say the same thing about the same input.
const RawName = Type.String({ maxLength: 1000 });
const RawTicketType = Type.String({ maxLength: 100 });
export const TicketIdSchema = Type.String({ minLength: 1, maxLength: 40 });

export const ErrorSchema = Type.Object({
  error: Type.String(),
  code: Type.String(),
  details: Type.Optional(Type.Unknown()),
});
export type ApiError = Static<typeof ErrorSchema>;

export const RegisterBodySchema = Type.Object(
  { first_name: RawName, last_name: RawName, ticket_type: RawTicketType },
  { additionalProperties: true },
);
export type RegisterBody = Static<typeof RegisterBodySchema>;

export const TicketSchema = Type.Object({
  id: Type.String({ pattern: TICKET_ID_PATTERN }),
  first_name: Type.String(),
  last_name: Type.String(),
  ticket_type: TicketTypeSchema,
  status: TicketStatusSchema,
  created_at: Type.String({ format: 'date-time' }),
  queue_position: Type.Optional(Type.Integer()),
  people_ahead: Type.Optional(Type.Integer()),
  waitlist_position: Type.Optional(Type.Integer()),
  estimated_wait_seconds: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
});
export type Ticket = Static<typeof TicketSchema>;

export const RegisterResponseSchema = Type.Intersect([
  TicketSchema,
  Type.Object({
    /** the owner's secret: shown once, needed to purchase, view or cancel this ticket */
    token: Type.String(),
    queue_position: Type.Integer(),
    people_ahead: Type.Integer(),
    current_queue_length: Type.Integer(),
  }),
]);
export type RegisterResponse = Static<typeof RegisterResponseSchema>;

export const TicketIdBodySchema = Type.Object({ id: TicketIdSchema }, { additionalProperties: true });
export type TicketIdBody = Static<typeof TicketIdBodySchema>;

export const ProcessUpdateSchema = Type.Object({
  id: Type.String(),
  first_name: Type.String(),
  last_name: Type.String(),
  ticket_type: TicketTypeSchema,
  status: TicketStatusSchema,
  remaining: Type.Integer(),
});
export type ProcessUpdateItem = Static<typeof ProcessUpdateSchema>;

export const AvailabilitySchema = Type.Object({ VIP: Type.Integer(), Regular: Type.Integer() });
export type Availability = Static<typeof AvailabilitySchema>;

export const ProcessUserResponseSchema = Type.Object({
  updates: Type.Array(ProcessUpdateSchema),
  final_status: TicketStatusSchema,
  ticket: TicketSchema,
  remaining_tickets: AvailabilitySchema,
});
export type ProcessUserResponse = Static<typeof ProcessUserResponseSchema>;

export const ProcessNextResponseSchema = Type.Object({
  processed: Type.Union([
    Type.Composite([ProcessUpdateSchema, Type.Object({ created_at: Type.String() })]),
    Type.Null(),
  ]),
  status: Type.Optional(TicketStatusSchema),
  message: Type.Optional(Type.String()),
  remaining_tickets: AvailabilitySchema,
});
export type ProcessNextResponse = Static<typeof ProcessNextResponseSchema>;

/** Cancel by id (owner or staff), or by name as the original app did (staff only). */
export const CancelBodySchema = Type.Object(
  {
    id: Type.Optional(TicketIdSchema),
    first_name: Type.Optional(RawName),
    last_name: Type.Optional(RawName),
    ticket_type: Type.Optional(RawTicketType),
    /**
     * Cancel only while the ticket still has this status: what the person confirming was told. Served or
     * promoted meanwhile, it is refused with 409 STATUS_CHANGED and nothing changes.
     */
    expected_status: Type.Optional(TicketStatusSchema),
  },
  { additionalProperties: true },
);
export type CancelBody = Static<typeof CancelBodySchema>;

export const CancelResponseSchema = Type.Object({
  message: Type.String(),
  ticket: TicketSchema,
  promoted: Type.Union([TicketSchema, Type.Null()]),
  remaining_tickets: AvailabilitySchema,
});
export type CancelResponse = Static<typeof CancelResponseSchema>;

export const SummarySchema = Type.Object({
  vip_sold: Type.Integer(),
  regular_sold: Type.Integer(),
  vip_remaining: Type.Integer(),
  regular_remaining: Type.Integer(),
  total_sold: Type.Integer(),
  total_remaining: Type.Integer(),
  vip_capacity: Type.Integer(),
  regular_capacity: Type.Integer(),
  total_capacity: Type.Integer(),
  vip_queue_length: Type.Integer(),
  regular_queue_length: Type.Integer(),
  vip_waitlist_length: Type.Integer(),
  regular_waitlist_length: Type.Integer(),
  queue_length: Type.Integer(),
  waitlist_length: Type.Integer(),
  serving_rate_per_minute: Type.Union([Type.Number(), Type.Null()]),
  updated_at: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
});
export type SummaryData = Static<typeof SummarySchema>;

/** PUT /api/capacity: the summary with the new capacities, and how many on each waitlist got the seats added. */
export const CapacityResponseSchema = Type.Composite([
  SummarySchema,
  Type.Object({ promoted: Type.Object({ VIP: Type.Integer(), Regular: Type.Integer() }) }),
]);
export type CapacityResponse = Static<typeof CapacityResponseSchema>;

export const QueueEntrySchema = Type.Object({
  position: Type.Integer(),
  id: Type.String(),
  first_name: Type.String(),
  last_name: Type.String(),
  ticket_type: TicketTypeSchema,
  created_at: Type.String(),
});
export type QueueEntry = Static<typeof QueueEntrySchema>;

export const QueueQuerySchema = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 })),
});

export const QueueResponseSchema = Type.Object({
  'VIP Queue': Type.Array(QueueEntrySchema),
  'Regular Queue': Type.Array(QueueEntrySchema),
  'VIP Waitlist': Type.Array(QueueEntrySchema),
  'Regular Waitlist': Type.Array(QueueEntrySchema),
  'VIP Confirmed': Type.Array(QueueEntrySchema),
  'Regular Confirmed': Type.Array(QueueEntrySchema),
  /** full lengths: the lists stop at `limit` entries each */
  totals: Type.Object({
    'VIP Queue': Type.Integer(),
    'Regular Queue': Type.Integer(),
    'VIP Waitlist': Type.Integer(),
    'Regular Waitlist': Type.Integer(),
    'VIP Confirmed': Type.Integer(),
    'Regular Confirmed': Type.Integer(),
  }),
});
export type QueueResponse = Static<typeof QueueResponseSchema>;

/** The transaction log's columns, in the order the CSV download and the journal use. */
export const TRANSACTION_COLUMNS = [
  'seq',
  'time',
  'action',
  'actor',
  'ticket_id',
  'first_name',
  'last_name',
  'ticket_type',
  'status',
  'capacity',
] as const;

export const TransactionSchema = Type.Object({
  seq: Type.Integer(),
  time: Type.String(),
  action: Type.String(),
  actor: Type.String(),
  ticket_id: Type.String(),
  first_name: Type.String(),
  last_name: Type.String(),
  ticket_type: TicketTypeSchema,
  status: Type.String(),
  capacity: Type.Union([Type.Integer(), Type.Null()]),
});
export type Transaction = Static<typeof TransactionSchema>;

/** The largest event number or offset taken: past it a number is no longer exact here, nor a PostgreSQL bigint. */
const SEQ_MAX = Number.MAX_SAFE_INTEGER;

export const TransactionsQuerySchema = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200, description: 'matches a ticket id or part of a name' })),
  ticket_type: Type.Optional(RawTicketType),
  status: Type.Optional(Type.String({ maxLength: 20 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: SEQ_MAX, default: 0 })),
  up_to_seq: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: SEQ_MAX,
      description: 'only events up to this seq: the log as it stood then, so deeper pages hold still during a sale',
    }),
  ),
});
export type TransactionsQuery = Static<typeof TransactionsQuerySchema>;

export const TransactionsResponseSchema = Type.Object({
  items: Type.Array(TransactionSchema),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});
export type TransactionsResponse = Static<typeof TransactionsResponseSchema>;

export const CapacityBodySchema = Type.Object(
  {
    VIP: Type.Optional(Type.Integer({ minimum: 0, maximum: CAPACITY_MAX })),
    Regular: Type.Optional(Type.Integer({ minimum: 0, maximum: CAPACITY_MAX })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type CapacityBody = Static<typeof CapacityBodySchema>;

export const HealthSchema = Type.Object({ status: Type.String(), detail: Type.Optional(Type.String()) });

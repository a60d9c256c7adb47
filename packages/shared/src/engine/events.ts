// The journal's vocabulary: one flat record per thing that happened, enough on its own to rebuild all state.

import type { Actor, TicketStatus, TicketType } from '../tickets.ts';

export const EVENT_ACTIONS = ['capacity_set', 'registered', 'confirmed', 'sold_out', 'promoted', 'cancelled'] as const;
export type EventAction = (typeof EVENT_ACTIONS)[number];

export interface JournalEvent {
  /** 1, 2, 3... with no gaps: the journal's line order */
  seq: number;
  /** ISO-8601 time the change was made */
  at: string;
  action: EventAction;
  actor: Actor;
  /** empty for capacity_set */
  ticket_id: string;
  first_name: string;
  last_name: string;
  ticket_type: TicketType;
  /** the ticket's status after this event; empty for capacity_set */
  status: TicketStatus | '';
  /** the new capacity of ticket_type, for capacity_set only */
  capacity: number | null;
  /** sha-256 of the owner's token, for registered only; empty when the ticket has no owner token */
  token_hash: string;
}

/** The status each ticket action leaves the ticket in. */
export const STATUS_AFTER: Readonly<Record<Exclude<EventAction, 'capacity_set'>, TicketStatus>> = {
  registered: 'Queued',
  confirmed: 'Confirmed',
  sold_out: 'Sold Out',
  promoted: 'Confirmed',
  cancelled: 'Cancelled',
};

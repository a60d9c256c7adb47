// API answers shaped exactly like @ticketing/shared's types, for component and fetcher tests.

import type { CancelResponse, QueueResponse, RegisterResponse, SummaryData, Ticket } from '@ticketing/shared';

export const SAMPLE_SUMMARY: SummaryData = {
  vip_sold: 2,
  regular_sold: 3,
  vip_remaining: 1,
  regular_remaining: 2,
  total_sold: 5,
  total_remaining: 3,
  vip_capacity: 3,
  regular_capacity: 5,
  total_capacity: 8,
  vip_queue_length: 4,
  regular_queue_length: 7,
  vip_waitlist_length: 1,
  regular_waitlist_length: 0,
  queue_length: 11,
  waitlist_length: 1,
  serving_rate_per_minute: null,
  updated_at: '2030-01-01T10:00:00.000Z',
  version: 42,
};

export function queuedTicket(overrides: Partial<Ticket> = {}): Ticket {
  return {
    id: 'ABC-DEF',
    first_name: 'Ann',
    last_name: 'Lee',
    ticket_type: 'VIP',
    status: 'Queued',
    created_at: '2030-01-01T10:00:00.000Z',
    queue_position: 2,
    people_ahead: 1,
    estimated_wait_seconds: null,
    ...overrides,
  };
}

/** The API's answer to a cancellation of `ticket` (given as it was), with the API's sentence. */
export function cancelAnswer(ticket: Ticket, message: string, promoted: Ticket | null = null): CancelResponse {
  const cancelled = { ...ticket, status: 'Cancelled' as const, queue_position: undefined, people_ahead: undefined };
  return { message, ticket: cancelled, promoted, remaining_tickets: { VIP: 1, Regular: 2 } };
}

export function registered(overrides: Partial<RegisterResponse> = {}): RegisterResponse {
  return {
    ...queuedTicket(),
    token: 'owner-token',
    queue_position: 2,
    people_ahead: 1,
    current_queue_length: 2,
    ...overrides,
  };
}

export function emptyQueue(): QueueResponse {
  return {
    'VIP Queue': [],
    'Regular Queue': [],
    'VIP Waitlist': [],
    'Regular Waitlist': [],
    'VIP Confirmed': [],
    'Regular Confirmed': [],
    totals: {
      'VIP Queue': 0,
      'Regular Queue': 0,
      'VIP Waitlist': 0,
      'Regular Waitlist': 0,
      'VIP Confirmed': 0,
      'Regular Confirmed': 0,
    },
  };
}

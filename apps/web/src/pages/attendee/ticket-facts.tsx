// Where a ticket stands, in words: its place and wait while queued, its waitlist place while sold out.

import type { Ticket } from '@ticketing/shared';
import { formatEstimatedWait } from '../../lib/format.ts';

export function TicketFacts({ ticket }: { ticket: Ticket }) {
  return <div className="ticket-facts">{facts(ticket)}</div>;
}

function facts(ticket: Ticket) {
  switch (ticket.status) {
    case 'Queued':
      return (
        <>
          <p>
            Place in {ticket.ticket_type} queue: <strong className="num">{ticket.queue_position ?? '—'}</strong>
          </p>
          <p>
            People ahead: <strong className="num">{ticket.people_ahead ?? '—'}</strong>
          </p>
          <p>
            Estimated wait: <strong>{formatEstimatedWait(ticket.estimated_wait_seconds)}</strong>
          </p>
        </>
      );
    case 'Sold Out':
      return (
        <>
          <p>
            Waitlist place: <strong className="num">{ticket.waitlist_position ?? '—'}</strong>
          </p>
          <p className="muted">
            No {ticket.ticket_type} seat was left when your turn came. If someone gives theirs up, it goes to the
            waitlist in order.
          </p>
        </>
      );
    case 'Confirmed':
      return <p>You have a {ticket.ticket_type} seat. See you at the event.</p>;
    case 'Cancelled':
      return <p className="muted">This ticket no longer holds a place.</p>;
  }
}

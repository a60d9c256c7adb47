// Where a ticket stands, in words: its place and wait while queued, its waitlist place while sold out.

import type { Ticket } from '@ticketing/shared';
import { formatCount, formatEstimatedWait } from '../../lib/format.ts';

/** `seatsLeft`: unsold seats of the ticket's type, when known; fewer than the line ahead, the card says so. */
export function TicketFacts({ ticket, seatsLeft }: { ticket: Ticket; seatsLeft?: number }) {
  // A seat held or given up is where the ticket ends: no room kept for facts it will not show again.
  const settled = ticket.status === 'Confirmed' || ticket.status === 'Cancelled';
  return (
    <div className={settled ? 'ticket-facts ticket-facts--settled' : 'ticket-facts'}>{facts(ticket, seatsLeft)}</div>
  );
}

function facts(ticket: Ticket, seatsLeft: number | undefined) {
  switch (ticket.status) {
    case 'Queued':
      return (
        <>
          <SeatsWarning ticket={ticket} seatsLeft={seatsLeft} />
          <p>
            Place in {ticket.ticket_type} queue: <strong className="num">{formatCount(ticket.queue_position)}</strong>
          </p>
          <p>
            People ahead: <strong className="num">{formatCount(ticket.people_ahead)}</strong>
          </p>
          <p>
            Estimated wait:{' '}
            <strong>
              {ticket.people_ahead === 0 ? 'you are next' : formatEstimatedWait(ticket.estimated_wait_seconds)}
            </strong>
          </p>
        </>
      );
    case 'Sold Out':
      return (
        <>
          <p>
            Waitlist place: <strong className="num">{formatCount(ticket.waitlist_position)}</strong>
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

/** Seats run out before this ticket's turn: when served it joins the waitlist, which the card says up front. */
function SeatsWarning({ ticket, seatsLeft }: { ticket: Ticket; seatsLeft: number | undefined }) {
  const place = ticket.queue_position;
  if (seatsLeft === undefined || place === undefined || seatsLeft >= place) return null;
  const type = ticket.ticket_type;
  return (
    <p className="ticket-facts__warning">
      {seatsLeft === 0
        ? `No ${type} seats are left: when your turn comes you join the ${type} waitlist.`
        : `${formatCount(seatsLeft)} ${type} ${seatsLeft === 1 ? 'seat is' : 'seats are'} left for the ${formatCount(place)} people up to you: you may join the waitlist.`}
    </p>
  );
}

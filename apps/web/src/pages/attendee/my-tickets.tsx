// The "My tickets" region: every ticket held in this browser, newest first, and the live announcements.

import { useId } from 'react';
import { useStoredTickets, useUnsavedTickets } from '../../lib/tickets-storage.ts';
import { TicketCard } from './ticket-card.tsx';

interface MyTicketsProps {
  announcement: string;
  announce: (message: string) => void;
  newTicketId: string | null;
}

export function MyTickets({ announcement, announce, newTicketId }: MyTicketsProps) {
  const headingId = useId();
  const tickets = useStoredTickets();
  const unsaved = useUnsavedTickets();
  return (
    <section className="my-tickets" aria-labelledby={headingId}>
      {/* Focusable from script: it takes focus when the last ticket is removed (see TicketCard). */}
      <h2 id={headingId} tabIndex={-1}>
        My tickets
      </h2>
      {/* Always rendered: a live region must exist before its text changes for the change to be read. */}
      <p role="status" className="announcement">
        {announcement}
      </p>
      {unsaved && (
        // The token that lets this person see and cancel the ticket is in this page only: say so while it is.
        <p role="alert" className="alert">
          This browser did not let the page keep your ticket, so it will be gone if you reload or close this page. Note
          its ID: staff can find your ticket by it.
        </p>
      )}
      {tickets.length === 0 ? (
        <p className="card muted">You have no tickets in this browser yet. Register and your ticket will show here.</p>
      ) : (
        <div className="stack">
          {tickets.map((ticket) => (
            <TicketCard
              key={ticket.id}
              id={ticket.id}
              token={ticket.token}
              announce={announce}
              isNew={ticket.id === newTicketId}
            />
          ))}
        </div>
      )}
    </section>
  );
}

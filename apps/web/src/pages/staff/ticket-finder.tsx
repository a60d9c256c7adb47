// "Find a ticket": any ticket by the id on it, however far down its list, with its cancel button. The
// lists show only their first entries; this reaches everyone else.

import { parseTicketId, type QueueEntry, type QueueList, type Ticket } from '@ticketing/shared';
import { type FormEvent, type Ref, useEffect, useId, useState } from 'react';
import { useTicket } from '../../api/ticket.ts';
import { Button } from '../../components/button.tsx';
import { QueryErrorAlert } from '../../components/error-alert.tsx';
import { StatusBadge } from '../../components/status-badge.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { formatCount, fullName } from '../../lib/format.ts';
import { useAnnouncement } from '../../lib/use-announcement.ts';
import { listOf } from './queue-table.tsx';

interface TicketFinderProps {
  token: string;
  /** what the last cancellation made here did; announced, and shown under the heading */
  notice: string;
  onCancel: (entry: QueueEntry, list: QueueList) => void;
  headingRef?: Ref<HTMLHeadingElement>;
}

export function TicketFinder({ token, notice, onCancel, headingRef }: TicketFinderProps) {
  const headingId = useId();
  const [input, setInput] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [id, setId] = useState<string | null>(null);
  const [announcement, announce] = useAnnouncement();

  const find = (event: FormEvent) => {
    event.preventDefault();
    const wanted = parseTicketId(input);
    if (wanted === undefined) {
      setError('A ticket ID is six letters and digits, such as K7Q-WJE.');
      // The last search's result would read as this one's.
      setId(null);
      return;
    }
    setError(null);
    setId(wanted);
  };

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId} ref={headingRef} tabIndex={-1}>
        Find a ticket
      </h2>
      <p role="status" className="queue-card__notice">
        {notice}
      </p>
      <form className="field" noValidate onSubmit={find} aria-labelledby={headingId}>
        <label htmlFor={`${headingId}-id`} className="field__label">
          Ticket ID
        </label>
        <p id={`${headingId}-hint`} className="field__hint">
          On the attendee's ticket; the transaction log below finds it by name.
        </p>
        <div className="finder">
          <input
            id={`${headingId}-id`}
            className="field__input finder__input"
            autoComplete="off"
            spellCheck={false}
            value={input}
            aria-invalid={error ? true : undefined}
            aria-describedby={`${headingId}-hint${error ? ` ${headingId}-error` : ''}`}
            onChange={(event) => setInput(event.target.value)}
          />
          <Button type="submit">Find</Button>
        </div>
        {error && (
          <p id={`${headingId}-error`} role="alert" className="field__error">
            {error}
          </p>
        )}
      </form>
      {/* The result is polled; what it says is announced once per search and when its status changes. */}
      <p role="status" className="visually-hidden">
        {id ? announcement : ''}
      </p>
      {id && <FoundTicket key={id} id={id} token={token} onCancel={onCancel} announce={announce} />}
    </section>
  );
}

interface FoundTicketProps {
  id: string;
  token: string;
  onCancel: TicketFinderProps['onCancel'];
  announce: (message: string) => void;
}

function FoundTicket({ id, token, onCancel, announce }: FoundTicketProps) {
  const ticket = useTicket({ id, token });
  const notFound = isApiError(ticket.error) && ticket.error.status === 404;
  const found = ticket.data;
  const said = notFound
    ? `No ticket found with the ID ${id}.`
    : found
      ? `Found ${found.id}: ${fullName(found)}, ${found.ticket_type}, ${found.status}.`
      : '';
  useEffect(() => {
    if (said) announce(said);
  }, [said, announce]);

  if (notFound) {
    return (
      <div className="finder__result">
        <p>
          No ticket has the ID <span className="ticket-id">{id}</span>.
        </p>
      </div>
    );
  }
  if (!found) {
    return ticket.error ? <QueryErrorAlert error={ticket.error} /> : <p className="muted">Looking…</p>;
  }
  // A cancelled ticket is on no list, and has nothing left to cancel.
  const list = found.status === 'Cancelled' ? undefined : listOf(found.ticket_type, found.status);
  return (
    <div className="finder__result">
      <p>
        <span className="ticket-id">{found.id}</span> · {fullName(found)}, {found.ticket_type}{' '}
        <StatusBadge status={found.status} />
      </p>
      <p className="muted small">{whereItIs(found)}</p>
      {list && (
        <Button variant="danger-outline" className="button--small" onClick={() => onCancel(entryOf(found), list)}>
          Cancel ticket<span className="visually-hidden"> {found.id}</span>
        </Button>
      )}
    </div>
  );
}

function whereItIs(ticket: Ticket): string {
  switch (ticket.status) {
    case 'Queued':
      return `Place ${formatCount(ticket.queue_position)} in the ${ticket.ticket_type} queue.`;
    case 'Sold Out':
      return `Place ${formatCount(ticket.waitlist_position)} on the ${ticket.ticket_type} waitlist.`;
    case 'Confirmed':
      return `Holds a ${ticket.ticket_type} seat.`;
    case 'Cancelled':
      return 'Cancelled: it holds no place.';
  }
}

function entryOf(ticket: Ticket): QueueEntry {
  const { id, first_name, last_name, ticket_type, created_at } = ticket;
  const position = ticket.queue_position ?? ticket.waitlist_position ?? 0;
  return { position, id, first_name, last_name, ticket_type, created_at };
}

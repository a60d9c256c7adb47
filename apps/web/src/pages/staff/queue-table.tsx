// One list of the dashboard as a table: position, id, name, a time column, and a cancel button per ticket.

import { QUEUE_LISTS, type QueueEntry, type QueueList, type TicketStatus, type TicketType } from '@ticketing/shared';
import { type Ref, useId } from 'react';
import { Button } from '../../components/button.tsx';
import { formatCount, formatWaiting, fullName } from '../../lib/format.ts';

/** People in a queue or a waitlist are still waiting; seat holders are not, so theirs says when they registered. */
const TIME_COLUMN = {
  waiting: { header: 'Waiting', label: 'waiting', empty: 'Nobody here.' },
  seated: { header: 'Registered', label: 'registered', empty: 'Nobody holds a seat yet.' },
} as const;

export function isSeatList(list: QueueList): boolean {
  return list.endsWith('Confirmed');
}

/** A ticket's status while it is on each list. */
export const STATUS_ON_LIST = {
  'VIP Queue': 'Queued',
  'Regular Queue': 'Queued',
  'VIP Waitlist': 'Sold Out',
  'Regular Waitlist': 'Sold Out',
  'VIP Confirmed': 'Confirmed',
  'Regular Confirmed': 'Confirmed',
} as const satisfies Record<QueueList, TicketStatus>;

/** The list a ticket of this type and status is on; a cancelled one is on none. */
export function listOf(type: TicketType, status: Exclude<TicketStatus, 'Cancelled'>): QueueList {
  return QUEUE_LISTS.find((list) => list.startsWith(type) && STATUS_ON_LIST[list] === status) as QueueList;
}

interface QueueTableProps {
  list: QueueList;
  entries: QueueEntry[] | undefined;
  /** the list's full length; entries stop at the dashboard's limit */
  total: number | undefined;
  now: number;
  /** what the last cancellation from this list did; announced, and shown under the heading */
  notice: string;
  onCancel: (entry: QueueEntry) => void;
  /** the heading, where focus goes once a cancelled ticket's row (and its button) is gone */
  headingRef?: Ref<HTMLHeadingElement>;
}

export function QueueTable({ list, entries, total, now, notice, onCancel, headingRef }: QueueTableProps) {
  const headingId = useId();
  const tone = list.startsWith('VIP') ? 'vip' : 'regular';
  const seated = isSeatList(list);
  const time = TIME_COLUMN[seated ? 'seated' : 'waiting'];
  return (
    <section className={`card queue-card queue-card--${tone}`} aria-labelledby={headingId}>
      <div className="card__heading-row">
        <h2 id={headingId} ref={headingRef} tabIndex={-1} className="queue-card__title">
          {list}
        </h2>
        <span className="count-pill num">{formatCount(total)}</span>
      </div>
      {/* Always rendered (empty it takes no room): a live region must exist before its text changes. */}
      <p role="status" className="queue-card__notice">
        {notice}
      </p>
      {entries === undefined ? (
        <p className="muted">Loading…</p>
      ) : entries.length === 0 ? (
        <p className="muted">{time.empty}</p>
      ) : (
        <div className="table-scroll">
          <table className="table queue-table" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col" className="num queue-table__position">
                  Position
                </th>
                <th scope="col" className="queue-table__id">
                  ID
                </th>
                <th scope="col">Name</th>
                <th scope="col" className="num queue-table__time">
                  {time.header}
                </th>
                <th scope="col" className="queue-table__actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td className="num queue-table__position">{entry.position}</td>
                  <td className="ticket-id queue-table__id">{entry.id}</td>
                  <td className="queue-table__name">{fullName(entry)}</td>
                  {/* data-label: the column's name, shown before the value once the row is stacked */}
                  <td className="num nowrap queue-table__time" data-label={time.label}>
                    {formatWaiting(entry.created_at, now)}
                    {seated && ' ago'}
                  </td>
                  <td className="actions-cell queue-table__actions">
                    <Button variant="quiet" className="button--small" onClick={() => onCancel(entry)}>
                      Cancel<span className="visually-hidden"> ticket {entry.id}</span>
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {entries !== undefined && total !== undefined && total > entries.length && (
        <p className="muted small">
          Showing the first {entries.length} of {formatCount(total)}. Find anyone further down by their ticket ID,
          above.
        </p>
      )}
    </section>
  );
}

// One page of the transaction log as a table, newest first; every cell is plain text. In a narrow card each
// row is stacked into a small block of lines (components.css), so nothing needs a sideways scroll on a phone.

import type { Transaction } from '@ticketing/shared';
import { ScrollArea } from '../../components/scroll-area.tsx';
import { TicketTypeTag } from '../../components/ticket-type-tag.tsx';
import { formatCount, formatLogTime } from '../../lib/format.ts';

const ACTION_LABEL: Record<string, string> = {
  capacity_set: 'Capacity set',
  registered: 'Registered',
  confirmed: 'Confirmed',
  sold_out: 'Sold out, waitlisted',
  promoted: 'Promoted from waitlist',
  cancelled: 'Cancelled',
};

function describe(item: Transaction): string {
  const label = ACTION_LABEL[item.action] ?? item.action;
  return item.action === 'capacity_set' && item.capacity !== null ? `${label} to ${formatCount(item.capacity)}` : label;
}

export function TransactionsTable({ items }: { items: Transaction[] }) {
  return (
    <ScrollArea label="Transaction log">
      <table className="table transactions-table">
        <caption className="visually-hidden">Transaction log, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Event</th>
            <th scope="col">Ticket</th>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">By</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.seq} className={item.ticket_id ? undefined : 'transactions-table__no-ticket'}>
              <td className="nowrap transactions-table__time">
                <time dateTime={item.time}>{formatLogTime(item.time)}</time>
              </td>
              <td className="transactions-table__event">{describe(item)}</td>
              <td className="ticket-id transactions-table__ticket">{item.ticket_id || '—'}</td>
              <td className="transactions-table__name">
                {item.ticket_id ? `${item.first_name} ${item.last_name}` : '—'}
              </td>
              <td className="transactions-table__type">
                <TicketTypeTag type={item.ticket_type} />
              </td>
              {/* data-label: the column's name, shown before the value once the row is stacked */}
              <td className="muted transactions-table__actor" data-label="by">
                {item.actor}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollArea>
  );
}

// One queue or waitlist as a table: position, id, name, how long they have waited, and a cancel button.

import type { QueueEntry } from '@ticketing/shared';
import { useId } from 'react';
import { Button } from '../../components/button.tsx';
import { formatWaiting, fullName } from '../../lib/format.ts';

interface QueueTableProps {
  title: string;
  entries: QueueEntry[] | undefined;
  /** the list's full length; entries stop at the dashboard's limit */
  total: number | undefined;
  now: number;
  onCancel: (entry: QueueEntry) => void;
}

export function QueueTable({ title, entries, total, now, onCancel }: QueueTableProps) {
  const headingId = useId();
  const tone = title.startsWith('VIP') ? 'vip' : 'regular';
  return (
    <section className={`card queue-card queue-card--${tone}`} aria-labelledby={headingId}>
      <div className="card__heading-row">
        <h2 id={headingId} className="queue-card__title">
          {title}
        </h2>
        <span className="count-pill num">{total ?? '—'}</span>
      </div>
      {entries === undefined ? (
        <p className="muted">Loading…</p>
      ) : entries.length === 0 ? (
        <p className="muted">Nobody here.</p>
      ) : (
        <div className="table-scroll">
          <table className="table queue-table" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col" className="num">
                  Position
                </th>
                <th scope="col">ID</th>
                <th scope="col">Name</th>
                <th scope="col">Waiting</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td className="num">{entry.position}</td>
                  <td className="ticket-id">{entry.id}</td>
                  <td>{fullName(entry)}</td>
                  <td className="num nowrap">{formatWaiting(entry.created_at, now)}</td>
                  <td className="actions-cell">
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
          Showing the first {entries.length} of {total}.
        </p>
      )}
    </section>
  );
}

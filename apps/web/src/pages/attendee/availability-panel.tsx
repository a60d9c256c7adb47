// The "Availability" region: seats left per ticket type, refreshed every few seconds.

import { TICKET_TYPES } from '@ticketing/shared';
import { useId } from 'react';
import { useAvailability } from '../../api/availability.ts';
import { QueryErrorAlert } from '../../components/error-alert.tsx';
import { TicketTypeTag } from '../../components/ticket-type-tag.tsx';
import { formatCount } from '../../lib/format.ts';

export function AvailabilityPanel() {
  const headingId = useId();
  const availability = useAvailability();
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Availability</h2>
      <ul className="availability">
        {TICKET_TYPES.map((type) => {
          const left = availability.data?.[type];
          return (
            <li key={type} className="availability__item">
              <TicketTypeTag type={type} />
              <span className="availability__count">
                {left === undefined ? (
                  <span className="muted">Loading…</span>
                ) : (
                  <>
                    <strong className="num">{formatCount(left)}</strong> {left === 1 ? 'seat' : 'seats'} left
                  </>
                )}
              </span>
            </li>
          );
        })}
      </ul>
      <p className="muted small">
        Seats go to people in the order they are served. When a type has no seats left, you join its waitlist and move
        up if someone cancels.
      </p>
      <QueryErrorAlert error={availability.error} />
    </section>
  );
}

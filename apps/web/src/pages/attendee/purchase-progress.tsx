// The "Served before you" list after a purchase: everyone served up to and including this ticket, in order.

import type { ProcessUserResponse } from '@ticketing/shared';
import { useId } from 'react';
import { fullName } from '../../lib/format.ts';
import { useStaggeredReveal } from './use-staggered-reveal.ts';

export function PurchaseProgress({ result }: { result: ProcessUserResponse }) {
  const headingId = useId();
  const shown = useStaggeredReveal(result.updates.length);

  if (result.updates.length === 0) {
    return (
      <p className="purchase-note">
        Your ticket had already been processed before you pressed Purchase: it is {result.final_status}.
      </p>
    );
  }

  const lastIndex = result.updates.length - 1;
  return (
    <div className="purchase">
      <h4 id={headingId} className="purchase__title">
        Served before you
      </h4>
      {/* Scrolls inside the card when a rush put many people ahead; focusable so keyboards can scroll it. */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
      <ol aria-labelledby={headingId} className="purchase__list" tabIndex={0}>
        {result.updates.slice(0, shown).map((update, index) => (
          <li key={update.id} className={index === lastIndex ? 'purchase__item purchase__item--you' : 'purchase__item'}>
            {`${fullName(update)} (${update.ticket_type}) — ${update.status}`}
          </li>
        ))}
      </ol>
      {result.updates.length === 1 && <p className="muted small">Nobody was ahead of you.</p>}
    </div>
  );
}

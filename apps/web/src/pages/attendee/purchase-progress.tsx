// The "Served up to you" list after a purchase: everyone served up to and including this ticket, in order.

import type { ProcessUserResponse } from '@ticketing/shared';
import { useEffect, useId, useRef } from 'react';
import { fullName } from '../../lib/format.ts';
import { usePrefersReducedMotion } from '../../lib/use-reduced-motion.ts';
import { revealStepMs } from './use-staggered-reveal.ts';

/** Lines revealed faster than this are scrolled to at once: a smooth scroll would fall behind them. */
const SMOOTH_SCROLL_MIN_STEP_MS = 100;

interface PurchaseProgressProps {
  result: ProcessUserResponse;
  /** how many lines of the list are shown so far (useStaggeredReveal) */
  shown: number;
}

export function PurchaseProgress({ result, shown }: PurchaseProgressProps) {
  const headingId = useId();
  const newestRef = useRef<HTMLLIElement>(null);
  const reducedMotion = usePrefersReducedMotion();
  const smooth = !reducedMotion && revealStepMs(result.updates.length) >= SMOOTH_SCROLL_MIN_STEP_MS;

  // The line just revealed stays in view: the list scrolls inside the card (and the page, if it must), so
  // the reveal ends on the buyer's own line rather than below the list's cut.
  useEffect(() => {
    if (shown === 0) return;
    newestRef.current?.scrollIntoView?.({ block: 'nearest', behavior: smooth ? 'smooth' : 'auto' });
  }, [shown, smooth]);

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
        Served up to you
      </h4>
      {/* Scrolls inside the card when a rush put many people ahead; focusable so keyboards can scroll it. */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
      <ol aria-labelledby={headingId} className="purchase__list" tabIndex={0}>
        {result.updates.slice(0, shown).map((update, index) => (
          <li
            key={update.id}
            ref={index === shown - 1 ? newestRef : undefined}
            className={index === lastIndex ? 'purchase__item purchase__item--you' : 'purchase__item'}
          >
            {`${fullName(update)} (${update.ticket_type}) — ${update.status}`}
            {/* Said in words, not by the bold alone, so a screen reader tells the buyer which line is theirs. */}
            {index === lastIndex && ' (you)'}
          </li>
        ))}
      </ol>
      {result.updates.length === 1 && <p className="muted small">Nobody was ahead of you.</p>}
    </div>
  );
}

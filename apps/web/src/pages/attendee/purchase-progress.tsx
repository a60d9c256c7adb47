// The "Served up to you" list after a purchase: everyone served up to and including this ticket, in order.

import type { ProcessUserResponse } from '@ticketing/shared';
import { type CSSProperties, useEffect, useId, useRef } from 'react';
import { formatCount, fullName } from '../../lib/format.ts';
import { usePrefersReducedMotion } from '../../lib/use-reduced-motion.ts';
import { revealStepMs } from './use-staggered-reveal.ts';

/** Lines revealed faster than this are scrolled to at once: a smooth scroll would fall behind them. */
const SMOOTH_SCROLL_MIN_STEP_MS = 100;

/**
 * The most lines the list shows: the people served just before the buyer, and the buyer. A rush can put tens
 * of thousands ahead, whose lines nobody reads and a phone cannot lay out without freezing the page.
 */
const LINES_SHOWN = 100;

/** How many lines "Served up to you" shows for a purchase (and reveals one after another). */
export function servedLinesShown(result: ProcessUserResponse): number {
  return Math.min(result.updates.length, LINES_SHOWN);
}

interface PurchaseProgressProps {
  result: ProcessUserResponse;
  /** how many lines of the list are shown so far (useStaggeredReveal) */
  shown: number;
}

export function PurchaseProgress({ result, shown }: PurchaseProgressProps) {
  const headingId = useId();
  const newestRef = useRef<HTMLLIElement>(null);
  const reducedMotion = usePrefersReducedMotion();
  const total = result.updates.length;
  const skipped = total - servedLinesShown(result);
  const smooth = !reducedMotion && revealStepMs(total - skipped) >= SMOOTH_SCROLL_MIN_STEP_MS;

  // The line just revealed stays in view: the list scrolls inside the card (and the page, if it must), so
  // the reveal ends on the buyer's own line rather than below the list's cut.
  useEffect(() => {
    if (shown === 0) return;
    newestRef.current?.scrollIntoView?.({ block: 'nearest', behavior: smooth ? 'smooth' : 'auto' });
  }, [shown, smooth]);

  if (total === 0) {
    return (
      <p className="purchase-note">
        Your ticket had already been processed before you pressed Purchase: it is {result.final_status}.
      </p>
    );
  }

  const lastIndex = total - 1 - skipped;
  return (
    <div className="purchase">
      <h4 id={headingId} className="purchase__title">
        Served up to you
      </h4>
      {skipped > 0 && (
        <p className="muted small">
          {formatCount(total)} people were served, ending with you; the last {formatCount(total - skipped)} are listed.
        </p>
      )}
      {/* Scrolls inside the card when a rush put many people ahead; focusable so keyboards can scroll it. */}
      <ol
        aria-labelledby={headingId}
        className="purchase__list"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
        tabIndex={0}
        style={numberColumn(total)}
      >
        {result.updates.slice(skipped, skipped + shown).map((update, index) => (
          <li
            key={update.id}
            ref={index === shown - 1 ? newestRef : undefined}
            className={index === lastIndex ? 'purchase__item purchase__item--you' : 'purchase__item'}
          >
            {/* Its place in the serving order, grouped as every count is ("31,250."), which list markers cannot be. */}
            <span className="purchase__number">{formatCount(skipped + index + 1)}.</span>
            {`${fullName(update)} (${update.ticket_type}) — ${update.status}`}
            {/* Said in words, not by the bold alone, so a screen reader tells the buyer which line is theirs. */}
            {index === lastIndex && ' (you)'}
          </li>
        ))}
      </ol>
      {total === 1 && <p className="muted small">Nobody was ahead of you.</p>}
    </div>
  );
}

/** Room for the widest number of the list, so the names line up after it. */
function numberColumn(total: number): CSSProperties {
  return { '--purchase-number-width': `${formatCount(total).length + 1.5}ch` } as CSSProperties;
}

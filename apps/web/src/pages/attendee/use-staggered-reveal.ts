// Reveals a list one item after another, as the original app did while it processed the line.
// Purely visual: the work is already done when this starts. With reduced motion everything shows at once.

import { useEffect, useState } from 'react';
import { usePrefersReducedMotion } from '../../lib/use-reduced-motion.ts';

const STEP_MS = 180;
/** However long the list, the reveal finishes within this time. */
const MAX_TOTAL_MS = 2_000;

/** The time between two lines of a reveal of `count` lines. */
export function revealStepMs(count: number): number {
  return Math.min(STEP_MS, MAX_TOTAL_MS / count);
}

export function useStaggeredReveal(count: number): number {
  const reducedMotion = usePrefersReducedMotion();
  const [shown, setShown] = useState(reducedMotion ? count : Math.min(count, 1));

  useEffect(() => {
    if (reducedMotion || count <= 1) {
      setShown(count);
      return;
    }
    const total = count * revealStepMs(count);
    const start = performance.now();
    let frame = 0;
    const tick = (now: number) => {
      const next = Math.min(count, 1 + Math.floor(((now - start) / total) * count));
      setShown(next);
      if (next < count) frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [count, reducedMotion]);

  return Math.min(shown, count);
}

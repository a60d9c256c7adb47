// A horizontally scrolling box for wide tables on narrow screens, reachable and scrollable by keyboard.

import type { ReactNode } from 'react';

export function ScrollArea({ label, children }: { label: string; children: ReactNode }) {
  return (
    // A named section is a region landmark; it takes focus so arrow keys can scroll it.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
    <section className="table-scroll" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}

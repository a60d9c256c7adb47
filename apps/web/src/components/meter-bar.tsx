// A horizontal bar for "how much of a whole": seats sold of capacity, tickets processed of the batch.

import type { TicketType } from '@ticketing/shared';

interface MeterBarProps {
  /** the accessible name, e.g. "VIP seats sold" */
  label: string;
  value: number;
  max: number;
  /** "meter" for a level that goes up and down, "progressbar" for work being done */
  role?: 'meter' | 'progressbar';
  tone?: TicketType | 'accent';
  /** what a screen reader says instead of a bare percentage, e.g. "2 of 3" */
  valueText?: string;
}

export function MeterBar({ label, value, max, role = 'meter', tone = 'accent', valueText }: MeterBarProps) {
  const safeMax = Math.max(max, 0);
  const clamped = Math.min(Math.max(value, 0), safeMax);
  // The native elements give the roles; the explicit aria-value* attributes are there for scripts and tests
  // that read them, and say the same thing.
  const aria = {
    'aria-label': label,
    'aria-valuemin': 0,
    'aria-valuemax': safeMax,
    'aria-valuenow': clamped,
    'aria-valuetext': valueText ?? `${clamped} of ${safeMax}`,
    className: `meter meter--${tone.toLowerCase()}`,
  };
  // A zero maximum would make the native elements show indeterminate or full; an empty bar is the truth.
  const shownMax = safeMax === 0 ? 1 : safeMax;
  return role === 'meter' ? (
    <meter min={0} max={shownMax} value={clamped} {...aria} />
  ) : (
    <progress max={shownMax} value={clamped} {...aria} />
  );
}

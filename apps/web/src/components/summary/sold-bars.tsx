// Seats sold against capacity per type, as bars, so the state of the sale reads at a glance.

import type { SummaryData, TicketType } from '@ticketing/shared';
import { formatCount } from '../../lib/format.ts';
import { MeterBar } from '../meter-bar.tsx';

export function SoldBars({ summary }: { summary: SummaryData | undefined }) {
  const types: { type: TicketType; sold: number; capacity: number; remaining: number | undefined }[] = [
    {
      type: 'VIP',
      sold: summary?.vip_sold ?? 0,
      capacity: summary?.vip_capacity ?? 0,
      remaining: summary?.vip_remaining,
    },
    {
      type: 'Regular',
      sold: summary?.regular_sold ?? 0,
      capacity: summary?.regular_capacity ?? 0,
      remaining: summary?.regular_remaining,
    },
  ];
  return (
    <ul className="sold-bars">
      {types.map(({ type, sold, capacity, remaining }) => {
        const percent = capacity > 0 ? Math.round((sold / capacity) * 100) : 0;
        return (
          <li key={type} className="sold-bars__item">
            <div className="sold-bars__label">
              {/* "Sold out" in words, not only a full bar: the one fact a room watching the sale wants to know. */}
              <span className="sold-bars__type">
                {type} {remaining === 0 && <span className="badge badge--sold-out">Sold out</span>}
              </span>
              <span className="num">
                {summary ? `${formatCount(sold)} of ${formatCount(capacity)} sold · ${percent}%` : '—'}
              </span>
            </div>
            <MeterBar
              label={`${type} seats sold`}
              value={sold}
              max={capacity}
              tone={type}
              valueText={`${formatCount(sold)} of ${formatCount(capacity)} seats sold`}
            />
          </li>
        );
      })}
    </ul>
  );
}

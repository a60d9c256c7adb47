// Seats sold against capacity per type, as bars, so the state of the sale reads at a glance.

import type { SummaryData, TicketType } from '@ticketing/shared';
import { MeterBar } from '../meter-bar.tsx';

export function SoldBars({ summary }: { summary: SummaryData | undefined }) {
  const types: { type: TicketType; sold: number; capacity: number }[] = [
    { type: 'VIP', sold: summary?.vip_sold ?? 0, capacity: summary?.vip_capacity ?? 0 },
    { type: 'Regular', sold: summary?.regular_sold ?? 0, capacity: summary?.regular_capacity ?? 0 },
  ];
  return (
    <ul className="sold-bars">
      {types.map(({ type, sold, capacity }) => {
        const percent = capacity > 0 ? Math.round((sold / capacity) * 100) : 0;
        return (
          <li key={type} className="sold-bars__item">
            <div className="sold-bars__label">
              <span>{type}</span>
              <span className="num">{summary ? `${sold} of ${capacity} sold · ${percent}%` : '—'}</span>
            </div>
            <MeterBar
              label={`${type} seats sold`}
              value={sold}
              max={capacity}
              tone={type}
              valueText={`${sold} of ${capacity} seats sold`}
            />
          </li>
        );
      })}
    </ul>
  );
}

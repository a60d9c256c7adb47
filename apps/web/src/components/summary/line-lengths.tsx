// How many people wait: both queues and both waitlists, as a term list.

import type { SummaryData } from '@ticketing/shared';
import { formatCount } from '../../lib/format.ts';

export function LineLengths({ summary }: { summary: SummaryData | undefined }) {
  const items = [
    { term: 'VIP queue', value: summary?.vip_queue_length },
    { term: 'Regular queue', value: summary?.regular_queue_length },
    { term: 'VIP waitlist', value: summary?.vip_waitlist_length },
    { term: 'Regular waitlist', value: summary?.regular_waitlist_length },
  ];
  return (
    <dl className="stat-grid">
      {items.map((item) => (
        <div key={item.term} className="stat">
          <dt className="stat__term">{item.term}</dt>
          <dd className="stat__value num">{formatCount(item.value)}</dd>
        </div>
      ))}
    </dl>
  );
}

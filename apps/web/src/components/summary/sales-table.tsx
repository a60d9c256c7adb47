// The original app's table, Type | Sold | Remaining, with a total row; dashes until the first answer.

import type { SummaryData } from '@ticketing/shared';
import { formatCount } from '../../lib/format.ts';

interface SalesTableProps {
  summary: SummaryData | undefined;
  /** when the card around it already has a visible heading, the caption is for screen readers only */
  captionHidden?: boolean;
}

export function SalesTable({ summary, captionHidden = false }: SalesTableProps) {
  const rows = [
    { type: 'VIP', sold: summary?.vip_sold, remaining: summary?.vip_remaining },
    { type: 'Regular', sold: summary?.regular_sold, remaining: summary?.regular_remaining },
  ];
  return (
    <table className="table sales-table">
      <caption className={captionHidden ? 'visually-hidden' : undefined}>Ticket sales</caption>
      <thead>
        <tr>
          <th scope="col">Type</th>
          <th scope="col" className="num">
            Sold
          </th>
          <th scope="col" className="num">
            Remaining
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.type}>
            <th scope="row">
              <span className={`type-dot type-dot--${row.type.toLowerCase()}`} aria-hidden="true" />
              {row.type}
            </th>
            <td className="num">{formatCount(row.sold)}</td>
            <td className="num">{formatCount(row.remaining)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Total</th>
          <td className="num">{formatCount(summary?.total_sold)}</td>
          <td className="num">{formatCount(summary?.total_remaining)}</td>
        </tr>
      </tfoot>
    </table>
  );
}

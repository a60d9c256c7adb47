// The live sales page ("/summary"): the sales table, seats-sold bars and line lengths, polled every 2 s.

import { useId } from 'react';
import { useSummary } from '../api/summary.ts';
import { QueryErrorAlert } from '../components/error-alert.tsx';
import { PageTitle } from '../components/page-title.tsx';
import { LineLengths } from '../components/summary/line-lengths.tsx';
import { SalesTable } from '../components/summary/sales-table.tsx';
import { SoldBars } from '../components/summary/sold-bars.tsx';
import { UpdatedAgo } from '../components/summary/updated-ago.tsx';

export function SummaryPage() {
  const summaryQuery = useSummary();
  const summary = summaryQuery.data;
  const barsHeadingId = useId();
  const linesHeadingId = useId();
  return (
    <div className="summary-page">
      <PageTitle>Live sales</PageTitle>
      <div className="summary-page__status">
        <UpdatedAgo updatedAt={summaryQuery.dataUpdatedAt} />
        <QueryErrorAlert error={summaryQuery.error} />
      </div>
      <div className="summary-layout">
        <section className="card">
          <SalesTable summary={summary} />
        </section>
        <section className="card summary-layout__bars" aria-labelledby={barsHeadingId}>
          <h2 id={barsHeadingId}>Seats sold</h2>
          <SoldBars summary={summary} />
        </section>
        <section className="card summary-layout__wide" aria-labelledby={linesHeadingId}>
          <h2 id={linesHeadingId}>Waiting</h2>
          <LineLengths summary={summary} />
        </section>
      </div>
    </div>
  );
}

// The signed-in staff view: summary numbers, processing, the lines, the log and capacity, all kept live.

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef } from 'react';
import { QUEUE_ROOT } from '../../api/queue.ts';
import { useSummary } from '../../api/summary.ts';
import { ticketsReadWith } from '../../api/ticket.ts';
import { Button } from '../../components/button.tsx';
import { QueryErrorAlert } from '../../components/error-alert.tsx';
import { PageTitle } from '../../components/page-title.tsx';
import { LineLengths } from '../../components/summary/line-lengths.tsx';
import { SalesTable } from '../../components/summary/sales-table.tsx';
import { UpdatedAgo } from '../../components/summary/updated-ago.tsx';
import { STAFF_QUERY_ROOTS } from '../../lib/query-client.ts';
import { signOutStaff } from '../../lib/staff-session.ts';
import { CapacityPanel } from './capacity-panel.tsx';
import { ProcessingPanel } from './processing-panel.tsx';
import { QueuesPanel } from './queues-panel.tsx';
import { TransactionsPanel } from './transactions-panel.tsx';

export function StaffDashboard({ token }: { token: string }) {
  const client = useQueryClient();
  const summaryQuery = useSummary();
  const summary = summaryQuery.data;
  const summaryHeadingId = useId();

  // The lists and the Sales figures count the same lines: when the summary moves on, the lists are read again
  // at once rather than at their own next poll, so the two do not disagree for seconds (by hundreds of people
  // while Process all runs).
  const version = summary?.version;
  const shownVersion = useRef(version);
  useEffect(() => {
    if (version === undefined || version === shownVersion.current) return;
    if (shownVersion.current !== undefined) void client.invalidateQueries({ queryKey: [QUEUE_ROOT] });
    shownVersion.current = version;
  }, [client, version]);

  const signOut = () => {
    signOutStaff();
    // Nothing read with the token stays behind for whoever uses this browser next: the lists, the log, and
    // tickets looked up by staff (an attendee's own, held with its own token, stay).
    for (const root of STAFF_QUERY_ROOTS) client.removeQueries({ queryKey: [root] });
    client.removeQueries(ticketsReadWith(token));
  };

  return (
    <div className="staff">
      <div className="staff__top">
        <PageTitle>Staff dashboard</PageTitle>
        <Button onClick={signOut}>Sign out</Button>
      </div>

      <div className="staff-layout">
        <div className="stack">
          <ProcessingPanel token={token} />
          <QueuesPanel token={token} />
        </div>
        <div className="stack">
          <section className="card" aria-labelledby={summaryHeadingId}>
            <div className="card__heading-row">
              <h2 id={summaryHeadingId}>Sales</h2>
              <UpdatedAgo updatedAt={summaryQuery.dataUpdatedAt} />
            </div>
            <SalesTable summary={summary} captionHidden />
            <LineLengths summary={summary} />
            <QueryErrorAlert error={summaryQuery.error} />
          </section>
          <CapacityPanel token={token} summary={summary} />
        </div>
      </div>
      <TransactionsPanel token={token} />
    </div>
  );
}

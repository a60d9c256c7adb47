// The "Transactions" section: the log with a debounced search, paging, and the CSV download.

import type { TransactionsResponse } from '@ticketing/shared';
import { useId, useRef, useState } from 'react';
import { useTransactions } from '../../api/transactions.ts';
import { useDownloadTransactionsCsv } from '../../api/transactions-csv.ts';
import { Button } from '../../components/button.tsx';
import { ErrorAlert, QueryErrorAlert } from '../../components/error-alert.tsx';
import { formatCount, formatLogTime } from '../../lib/format.ts';
import { useActionError } from '../../lib/use-action-error.ts';
import { useResultAnnouncement } from '../../lib/use-announcement.ts';
import { useDebouncedValue } from '../../lib/use-debounced-value.ts';
import { transactionSearchQuery } from './transaction-search.ts';
import { TransactionsTable } from './transactions-table.tsx';

const PAGE_SIZE = 20;

interface Page {
  q: string;
  offset: number;
  /**
   * Beyond the first page, the log as it stood when staff paged on (its newest event then, and the time): the
   * pages are held there, so rows do not shift under the reader as the sale goes on. The first page is live.
   */
  heldAt?: { seq: number; time: string } | undefined;
}

export function TransactionsPanel({ token }: { token: string }) {
  const headingId = useId();
  const searchId = useId();
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(transactionSearchQuery(search), 300);
  const [page, setPage] = useState<Page>({ q, offset: 0 });
  // A new search starts at its first page, live.
  const { offset, heldAt } = page.q === q ? page : { offset: 0, heldAt: undefined };
  const transactions = useTransactions({ token, q, limit: PAGE_SIZE, offset, upToSeq: heldAt?.seq });
  const download = useDownloadTransactionsCsv();
  const downloadError = useActionError(download.error);
  const data = transactions.data;
  const total = data?.total ?? 0;
  // Rows of the search or page before, kept on screen while this one loads, are no place to page on from.
  const loading = transactions.isPlaceholderData;
  const announcement = useResultAnnouncement(
    JSON.stringify([q, offset]),
    data && !loading ? announceResult(data, q, offset) : null,
  );
  const nextPageRef = useRef<HTMLButtonElement>(null);
  const goTo = (to: number) => {
    const newest = data?.items[0];
    // Leaving the first page holds the log as it is; coming back to it goes live again.
    const held = heldAt ?? (newest && { seq: newest.seq, time: new Date().toISOString() });
    setPage({ q, offset: to, heldAt: to === 0 ? undefined : held });
  };

  return (
    <section className="card transactions-card" aria-labelledby={headingId}>
      <div className="card__heading-row">
        <h2 id={headingId}>Transactions</h2>
        <Button busy={download.isPending} onClick={() => download.mutate(token)}>
          Download CSV
        </Button>
      </div>
      <ErrorAlert error={downloadError} />
      <div className="field field--search">
        <label htmlFor={searchId} className="field__label">
          Search transactions
        </label>
        <input
          id={searchId}
          type="search"
          className="field__input"
          placeholder="Name or ticket id"
          autoComplete="off"
          spellCheck={false}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
      </div>
      {data && data.items.length > 0 && <TransactionsTable items={data.items} />}
      <div className="pager">
        {/* Said once per search and page, so a search that finds nothing is announced as such. */}
        <p role="status" className="visually-hidden">
          {announcement}
        </p>
        <p className="pager__range num">
          {describeResult(data, q, offset)}
          {heldAt && data && data.total > 0 && (
            <span className="muted"> · as at {formatLogTime(heldAt.time)}; newer events are on the first page</span>
          )}
        </p>
        {/* Nothing to page through when nothing matched. */}
        {total > 0 && (
          <div className="button-row">
            {offset > PAGE_SIZE && (
              <Button
                className="button--small"
                disabled={loading}
                onClick={() => {
                  goTo(0);
                  // This button goes with the pages it skipped: focus stays in the pager.
                  nextPageRef.current?.focus();
                }}
              >
                Newest
              </Button>
            )}
            <Button
              className="button--small"
              disabled={loading || offset === 0}
              onClick={() => goTo(Math.max(0, offset - PAGE_SIZE))}
            >
              Previous page
            </Button>
            <Button
              ref={nextPageRef}
              className="button--small"
              disabled={loading || offset + PAGE_SIZE >= total}
              onClick={() => goTo(offset + PAGE_SIZE)}
            >
              Next page
            </Button>
          </div>
        )}
      </div>
      <QueryErrorAlert error={transactions.error} />
    </section>
  );
}

/** What the table holds, in words: the range shown, or why there is nothing to show. */
function announceResult(data: TransactionsResponse, q: string, offset: number): string {
  if (data.total === 0) return q ? `Transactions: none match “${q}”.` : 'Transactions: nothing has happened yet.';
  const last = Math.min(offset + PAGE_SIZE, data.total);
  const matching = q ? ` match “${q}”` : '';
  return `Transactions: ${formatCount(data.total)}${matching}; showing ${formatCount(offset + 1)} to ${formatCount(last)}.`;
}

function describeResult(data: TransactionsResponse | undefined, q: string, offset: number): string {
  if (!data) return 'Loading…';
  if (data.total === 0) return q ? `No transactions match “${q}”.` : 'Nothing has happened yet.';
  return `Showing ${formatCount(offset + 1)}–${formatCount(Math.min(offset + PAGE_SIZE, data.total))} of ${formatCount(data.total)}`;
}

// The "Transactions" section: the log with a debounced search, filters by type and status, paging, and the CSV
// download.

import {
  TICKET_STATUSES,
  TICKET_TYPES,
  type TicketStatus,
  type TicketType,
  type TransactionsResponse,
} from '@ticketing/shared';
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

/** What the log is narrowed to: the search and the filters. */
interface Filter {
  q: string;
  ticketType: TicketType | undefined;
  status: TicketStatus | undefined;
}

interface Page {
  /** the filter the page belongs to, as its JSON */
  filter: string;
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
  const [ticketType, setTicketType] = useState<TicketType | undefined>();
  const [status, setStatus] = useState<TicketStatus | undefined>();
  const filter: Filter = { q: useDebouncedValue(transactionSearchQuery(search), 300), ticketType, status };
  const key = JSON.stringify(filter);
  const [page, setPage] = useState<Page>({ filter: key, offset: 0 });
  // A new search or filter starts at its first page, live.
  const { offset, heldAt } = page.filter === key ? page : { offset: 0, heldAt: undefined };
  const transactions = useTransactions({ token, ...filter, limit: PAGE_SIZE, offset, upToSeq: heldAt?.seq });
  const download = useDownloadTransactionsCsv();
  const downloadError = useActionError(download.error);
  const data = transactions.data;
  const total = data?.total ?? 0;
  // Rows of the search or page before, kept on screen while this one loads, are no place to page on from.
  const loading = transactions.isPlaceholderData;
  const announcement = useResultAnnouncement(
    JSON.stringify([key, offset]),
    data && !loading ? announceResult(data, filter, offset) : null,
  );
  const previousPageRef = useRef<HTMLButtonElement>(null);
  const nextPageRef = useRef<HTMLButtonElement>(null);
  const lastPageOffset = Math.floor(Math.max(0, total - 1) / PAGE_SIZE) * PAGE_SIZE;
  const goTo = (to: number) => {
    const newest = data?.items[0];
    // Leaving the first page holds the log as it is; coming back to it goes live again.
    const held = heldAt ?? (newest && { seq: newest.seq, time: new Date().toISOString() });
    setPage({ filter: key, offset: to, heldAt: to === 0 ? undefined : held });
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
      <div className="log-filters">
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
        <FilterSelect label="Type" all="All types" options={TICKET_TYPES} value={ticketType} onChange={setTicketType} />
        <FilterSelect label="Status" all="All statuses" options={TICKET_STATUSES} value={status} onChange={setStatus} />
      </div>
      {data && data.items.length > 0 && <TransactionsTable items={data.items} />}
      <div className="pager">
        {/* Said once per search and page, so a search that finds nothing is announced as such. */}
        <p role="status" className="visually-hidden">
          {announcement}
        </p>
        <p className="pager__range num">
          {describeResult(loading ? undefined : data, filter, offset)}
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
              ref={previousPageRef}
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
            {offset + PAGE_SIZE < lastPageOffset && (
              <Button
                className="button--small"
                disabled={loading}
                onClick={() => {
                  goTo(lastPageOffset);
                  // As for Newest: this button goes with the pages it skipped, and focus stays in the pager.
                  previousPageRef.current?.focus();
                }}
              >
                Oldest
              </Button>
            )}
          </div>
        )}
      </div>
      <QueryErrorAlert error={transactions.error} />
    </section>
  );
}

/** A filter of the log: one of `options`, or all of them (undefined). */
function FilterSelect<T extends string>(props: {
  label: string;
  all: string;
  options: readonly T[];
  value: T | undefined;
  onChange: (value: T | undefined) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id} className="field__label">
        {props.label}
      </label>
      <select
        id={id}
        className="field__input"
        value={props.value ?? ''}
        onChange={(event) => props.onChange(props.options.find((option) => option === event.target.value))}
      >
        <option value="">{props.all}</option>
        {props.options.map((option) => (
          <option key={option}>{option}</option>
        ))}
      </select>
    </div>
  );
}

/** The search and filters in words ("“Ann”, VIP, Confirmed"), or '' for the whole log. */
function filterWords({ q, ticketType, status }: Filter): string {
  return [q && `“${q}”`, ticketType, status].filter(Boolean).join(', ');
}

/** What the table holds, in words: the range shown, or why there is nothing to show. */
function announceResult(data: TransactionsResponse, filter: Filter, offset: number): string {
  const narrowed = filterWords(filter);
  if (data.total === 0) {
    return narrowed ? `Transactions: none match ${narrowed}.` : 'Transactions: nothing has happened yet.';
  }
  const last = Math.min(offset + PAGE_SIZE, data.total);
  const matching = narrowed ? ` match ${narrowed}` : '';
  return `Transactions: ${formatCount(data.total)}${matching}; showing ${formatCount(offset + 1)} to ${formatCount(last)}.`;
}

/** `data` undefined while this search or page loads: the rows still shown are the last one's, not its answer. */
function describeResult(data: TransactionsResponse | undefined, filter: Filter, offset: number): string {
  if (!data) return 'Loading…';
  const narrowed = filterWords(filter);
  if (data.total === 0) return narrowed ? `No transactions match ${narrowed}.` : 'Nothing has happened yet.';
  return `Showing ${formatCount(offset + 1)}–${formatCount(Math.min(offset + PAGE_SIZE, data.total))} of ${formatCount(data.total)}`;
}

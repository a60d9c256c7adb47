// The "Transactions" section: the log with a debounced search, paging, and the CSV download.

import { useId, useState } from 'react';
import { useTransactions } from '../../api/transactions.ts';
import { useDownloadTransactionsCsv } from '../../api/transactions-csv.ts';
import { Button } from '../../components/button.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useDebouncedValue } from '../../lib/use-debounced-value.ts';
import { transactionSearchQuery } from './transaction-search.ts';
import { TransactionsTable } from './transactions-table.tsx';

const PAGE_SIZE = 20;

export function TransactionsPanel({ token }: { token: string }) {
  const headingId = useId();
  const searchId = useId();
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(transactionSearchQuery(search), 300);
  const [page, setPage] = useState({ q, offset: 0 });
  // A new search starts at its first page.
  const offset = page.q === q ? page.offset : 0;
  const transactions = useTransactions({ token, q, limit: PAGE_SIZE, offset });
  const download = useDownloadTransactionsCsv();
  const data = transactions.data;
  const total = data?.total ?? 0;
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + PAGE_SIZE, total);

  return (
    <section className="card transactions-card" aria-labelledby={headingId}>
      <div className="card__heading-row">
        <h2 id={headingId}>Transactions</h2>
        <Button busy={download.isPending} onClick={() => download.mutate(token)}>
          Download CSV
        </Button>
      </div>
      <ErrorAlert error={download.error} />
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
      <TransactionsTable items={data?.items} query={q} />
      <div className="pager">
        <p className="pager__range num" aria-live="polite">
          {data ? `Showing ${first}–${last} of ${total}` : 'Loading…'}
        </p>
        <div className="button-row">
          <Button
            className="button--small"
            disabled={offset === 0}
            onClick={() => setPage({ q, offset: Math.max(0, offset - PAGE_SIZE) })}
          >
            Previous page
          </Button>
          <Button
            className="button--small"
            disabled={offset + PAGE_SIZE >= total}
            onClick={() => setPage({ q, offset: offset + PAGE_SIZE })}
          >
            Next page
          </Button>
        </div>
      </div>
      <ErrorAlert error={transactions.error} />
    </section>
  );
}

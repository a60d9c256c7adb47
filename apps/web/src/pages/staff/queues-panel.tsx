// Both queues, both waitlists and the seat holders of each type, live, with a cancel button per ticket behind
// one confirmation dialog.

import {
  QUEUE_LISTS,
  type QueueEntry,
  type QueueList,
  type QueueResponse,
  TICKET_STATUSES,
  type TicketStatus,
} from '@ticketing/shared';
import { useEffect, useRef, useState } from 'react';
import { useStaffCancelTicket } from '../../api/cancel-ticket.ts';
import { useQueue } from '../../api/queue.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { QueryErrorAlert } from '../../components/error-alert.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { fullName } from '../../lib/format.ts';
import { useActionError } from '../../lib/use-action-error.ts';
import { useNow } from '../../lib/use-now.ts';
import { isSeatList, listOf, QueueTable, STATUS_ON_LIST } from './queue-table.tsx';
import { TicketFinder } from './ticket-finder.tsx';
import { QUEUE_LIMIT } from './use-staff-sign-in.ts';

/** The lists in the order shown: the lines, then who holds a seat. */
const LISTS = QUEUE_LISTS;

interface CancelTarget {
  entry: QueueEntry;
  list: QueueList;
  /** where the cancel button was: a list, or the finder */
  from: QueueList | 'finder';
  /** where the server last said the ticket is, when refusing a cancellation of it as it was shown */
  reported?: QueueList;
}

export function QueuesPanel({ token }: { token: string }) {
  const queue = useQueue({ token, limit: QUEUE_LIMIT });
  const cancel = useStaffCancelTicket();
  const cancelError = useActionError(cancel.error);
  const [target, setTarget] = useState<CancelTarget | null>(null);
  // The API's own sentence ("… its seat went to … from the waitlist."), shown where it was cancelled from.
  const [lastCancel, setLastCancel] = useState<{ from: CancelTarget['from']; message: string } | null>(null);
  const headings = useRef<Partial<Record<CancelTarget['from'], HTMLHeadingElement | null>>>({});
  // Waiting times are shown in minutes; a 10 s tick keeps them honest between polls.
  const now = useNow(10_000);

  // The cancelled row, and the button that opened the dialog with it, are about to go: focus stays in
  // their list. This parent effect runs after the dialog's own, so the dialog has closed (and the page is
  // no longer inert) by now.
  useEffect(() => {
    if (lastCancel) headings.current[lastCancel.from]?.focus({ preventScroll: true });
  }, [lastCancel]);

  // The dialog follows the ticket while it is open: served or promoted meanwhile, it says what cancelling
  // does now, and the cancellation asks the server for that status, so it never cancels what was not shown.
  const shown = target && followed(target, queue.data);

  const confirmCancel = () => {
    if (!target || !shown) return;
    cancel.mutate(
      { id: target.entry.id, token, asStaff: true, expectedStatus: STATUS_ON_LIST[shown.list] },
      {
        onSuccess: (result) => {
          // A row cancelled from a list that it has left since the dialog opened is reported in its new list.
          setLastCancel({ from: target.from === 'finder' ? 'finder' : shown.list, message: result.message });
          setTarget(null);
        },
        onError: (error) => {
          // Served or promoted meanwhile: the refusal says its status now, which the lists may not show (the
          // finder reaches tickets beyond their first 100). The dialog shows that, and a second "Yes, cancel"
          // cancels the ticket as it is now.
          const status = isApiError(error) && error.code === 'STATUS_CHANGED' ? reportedStatus(error.details) : null;
          if (status) setTarget((t) => t && { ...t, reported: listOf(t.entry.ticket_type, status) });
        },
      },
    );
  };

  return (
    <div className="stack">
      <QueryErrorAlert error={queue.error} />
      <TicketFinder
        token={token}
        notice={lastCancel?.from === 'finder' ? lastCancel.message : ''}
        headingRef={(element) => {
          headings.current.finder = element;
        }}
        onCancel={(entry, list) => {
          cancel.reset();
          setTarget({ entry, list, from: 'finder' });
        }}
      />
      <div className="queues">
        {LISTS.map((list) => (
          <QueueTable
            key={list}
            list={list}
            entries={queue.data?.[list]}
            total={queue.data?.totals[list]}
            now={now}
            notice={lastCancel?.from === list ? lastCancel.message : ''}
            headingRef={(element) => {
              headings.current[list] = element;
            }}
            onCancel={(entry) => {
              cancel.reset();
              setTarget({ entry, list, from: list });
            }}
          />
        ))}
      </div>
      <ConfirmDialog
        open={target !== null}
        title={`Cancel ticket ${target?.entry.id ?? ''}?`}
        confirmLabel="Yes, cancel"
        cancelLabel="Keep ticket"
        busy={cancel.isPending}
        error={cancelError}
        onCancel={() => setTarget(null)}
        onConfirm={confirmCancel}
      >
        {shown && (
          <p>
            {fullName(shown.entry)}, {shown.entry.ticket_type}.{' '}
            {shown.list !== target?.list && `Since you opened this, they moved to ${shown.list}. `}
            {consequence(shown, queue.data)} This cannot be undone.
          </p>
        )}
      </ConfirmDialog>
    </div>
  );
}

/**
 * The list the ticket is on in the newest look at the lists; if it is not shown there, where the server last
 * said it is, or else the one it was on.
 */
function followed(target: CancelTarget, lists: QueueResponse | undefined): CancelTarget {
  const now =
    (lists && LISTS.find((list) => lists[list].some((entry) => entry.id === target.entry.id))) ?? target.reported;
  return now ? { ...target, list: now } : target;
}

/** The status in a STATUS_CHANGED refusal's details, if it is one a ticket on a list can have. */
function reportedStatus(details: unknown): Exclude<TicketStatus, 'Cancelled'> | null {
  const status = details !== null && typeof details === 'object' ? (details as { status?: unknown }).status : null;
  const known = TICKET_STATUSES.find((candidate) => candidate === status);
  return known === undefined || known === 'Cancelled' ? null : known;
}

/** What cancelling does besides, as far as this dashboard's last look at the lists can tell. */
function consequence({ entry, list }: CancelTarget, lists: QueueResponse | undefined): string {
  if (!isSeatList(list)) {
    return list.endsWith('Waitlist') ? 'They lose their place on the waitlist.' : 'They lose their place in the queue.';
  }
  const next = lists?.[`${entry.ticket_type} Waitlist`][0];
  return next
    ? `Their seat goes to ${fullName(next)} (${next.id}), first on the ${entry.ticket_type} waitlist.`
    : `Their seat goes back on sale: nobody is on the ${entry.ticket_type} waitlist.`;
}

// Both queues and both waitlists, live, with a cancel button per ticket behind one confirmation dialog.

import type { QueueEntry } from '@ticketing/shared';
import { useState } from 'react';
import { useStaffCancelTicket } from '../../api/cancel-ticket.ts';
import { useQueue } from '../../api/queue.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { fullName } from '../../lib/format.ts';
import { useNow } from '../../lib/use-now.ts';
import { QueueTable } from './queue-table.tsx';
import { QUEUE_LIMIT } from './use-staff-sign-in.ts';

const LISTS = ['VIP Queue', 'Regular Queue', 'VIP Waitlist', 'Regular Waitlist'] as const;

export function QueuesPanel({ token }: { token: string }) {
  const queue = useQueue({ token, limit: QUEUE_LIMIT });
  const cancel = useStaffCancelTicket();
  const [target, setTarget] = useState<QueueEntry | null>(null);
  const [lastCancelled, setLastCancelled] = useState('');
  // Waiting times are shown in minutes; a 10 s tick keeps them honest between polls.
  const now = useNow(10_000);

  const confirmCancel = () => {
    if (!target) return;
    cancel.mutate(
      { id: target.id, token, asStaff: true },
      {
        onSuccess: (result) => {
          const promoted = result.promoted
            ? ` ${fullName(result.promoted)} (${result.promoted.id}) was promoted from the waitlist.`
            : '';
          setLastCancelled(`Ticket ${result.ticket.id} (${fullName(result.ticket)}) was cancelled.${promoted}`);
          setTarget(null);
        },
      },
    );
  };

  return (
    <div className="stack">
      <p role="status" className="queues-status">
        {lastCancelled}
      </p>
      <ErrorAlert error={queue.error} />
      <div className="queues">
        {LISTS.map((name) => (
          <QueueTable
            key={name}
            title={name}
            entries={queue.data?.[name]}
            total={queue.data?.totals[name]}
            now={now}
            onCancel={(entry) => {
              cancel.reset();
              setTarget(entry);
            }}
          />
        ))}
      </div>
      <ConfirmDialog
        open={target !== null}
        title={`Cancel ticket ${target?.id ?? ''}?`}
        confirmLabel="Yes, cancel"
        cancelLabel="Keep ticket"
        busy={cancel.isPending}
        error={cancel.error}
        onCancel={() => setTarget(null)}
        onConfirm={confirmCancel}
      >
        {target && (
          <p>
            {fullName(target)}, {target.ticket_type}. This cannot be undone.
          </p>
        )}
      </ConfirmDialog>
    </div>
  );
}

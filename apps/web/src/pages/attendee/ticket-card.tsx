// One ticket held in this browser, as an article: who, what, where it stands, and what can be done with it.

import type { Ticket, TicketStatus } from '@ticketing/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useAvailability, useRefreshAvailability } from '../../api/availability.ts';
import { useCancelTicket } from '../../api/cancel-ticket.ts';
import { useProcessUser } from '../../api/process-user.ts';
import { useTicket } from '../../api/ticket.ts';
import { Button } from '../../components/button.tsx';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorAlert, QueryErrorAlert } from '../../components/error-alert.tsx';
import { StatusBadge } from '../../components/status-badge.tsx';
import { TicketTypeTag } from '../../components/ticket-type-tag.tsx';
import { isApiError, isUnreachable } from '../../lib/api-client.ts';
import { fullName } from '../../lib/format.ts';
import { removeStoredTicket } from '../../lib/tickets-storage.ts';
import { useActionError } from '../../lib/use-action-error.ts';
import { PurchaseProgress, servedLinesShown } from './purchase-progress.tsx';
import { TicketFacts } from './ticket-facts.tsx';
import { useStaggeredReveal } from './use-staggered-reveal.ts';
import { useStatusChange } from './use-status-change.ts';

/** What cancelling gives up, as the ticket stands: the question follows it when it is served meanwhile. */
const CANCEL_CONSEQUENCE: Record<TicketStatus, string> = {
  Queued: 'You will lose your place in line.',
  'Sold Out': 'You will lose your place on the waitlist.',
  Confirmed: 'Your seat goes to the first person on the waitlist, or back on sale if nobody is waiting.',
  Cancelled: 'It is already cancelled.',
};

interface TicketCardProps {
  id: string;
  token: string;
  announce: (message: string) => void;
  /** just registered: scroll it into view once */
  isNew?: boolean;
}

export function TicketCard({ id, token, announce, isNew = false }: TicketCardProps) {
  const articleRef = useRef<HTMLElement>(null);
  const ticketQuery = useTicket({ id, token });
  // Shared with the page's availability panel, so it costs no request of its own.
  const availability = useAvailability();
  const purchase = useProcessUser();
  const cancel = useCancelTicket();
  const purchaseError = useActionError(purchase.error);
  const cancelError = useActionError(cancel.error);
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const [cancelledHere, setCancelledHere] = useState(false);
  const [ticketAtPurchase, setTicketAtPurchase] = useState<Ticket | null>(null);
  const ticket = ticketQuery.data;

  const served = purchase.data ? servedLinesShown(purchase.data) : 0;
  const revealed = useStaggeredReveal(served);
  // From Purchase until "Served up to you" has been revealed line by line, the badge and facts show the
  // ticket as it was when Purchase was pressed, so they (and the announcement) change when the list reaches
  // this ticket, not before. (The new ticket is in the cache a moment before the answer, hence isPending.)
  const purchasing = purchase.isPending || revealed < served;
  const shownTicket = purchasing && ticketAtPurchase ? ticketAtPurchase : ticket;
  useStatusChange(
    shownTicket?.status,
    useCallback((status) => announce(`Ticket ${id} is now ${status}`), [id, announce]),
  );
  // A ticket's status changes when a seat is sold, freed or found gone: the seats left beside it follow at
  // once instead of at their next poll, so the card and the Availability panel do not disagree.
  useStatusChange(ticket?.status, useRefreshAvailability());

  // The server will never show this ticket to this browser again (data reset, wrong token): let it go.
  const lost = isApiError(ticketQuery.error) && [401, 403, 404].includes(ticketQuery.error.status);
  // The buttons that vanish after an action would otherwise drop focus to the top of the page.
  const keepFocusHere = () => articleRef.current?.focus();

  // Only scrolled, not focused: the person may want to register someone else next.
  useEffect(() => {
    if (isNew) articleRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [isNew]);

  // Closing the dialog hands focus back to "Cancel ticket", which a cancelled ticket no longer has. This
  // effect runs after the dialog's own (a parent's effects run after its children's), so the card takes
  // focus once the dialog has closed.
  // The same when it was cancelled elsewhere (by staff, or in another tab) while the question was open here.
  const cancelledWhileAsked = confirmingCancel && ticket?.status === 'Cancelled';
  useEffect(() => {
    if (cancelledHere) articleRef.current?.focus();
  }, [cancelledHere]);
  useEffect(() => {
    if (!cancelledWhileAsked) return;
    setConfirmingCancel(false);
    articleRef.current?.focus();
  }, [cancelledWhileAsked]);

  return (
    <article ref={articleRef} tabIndex={-1} aria-label={`Ticket ${id}`} className="card ticket-card">
      <div className="ticket-card__header">
        <h3 className="ticket-card__title">
          Ticket <span className="ticket-id">{id}</span>
        </h3>
        {shownTicket && <StatusBadge status={shownTicket.status} />}
      </div>

      {shownTicket ? (
        <>
          <p className="ticket-card__holder">
            <span className="ticket-card__name">{fullName(shownTicket)}</span>{' '}
            <TicketTypeTag type={shownTicket.ticket_type} />
          </p>
          <TicketFacts ticket={shownTicket} seatsLeft={availability.data?.[shownTicket.ticket_type]} />
        </>
      ) : (
        // Still loading while the server cannot be reached: the page's notice says why.
        (!ticketQuery.error || isUnreachable(ticketQuery.error)) && (
          <p className="muted ticket-card__loading">Loading ticket…</p>
        )
      )}

      <QueryErrorAlert error={ticketQuery.error} />
      <ErrorAlert error={purchaseError} />
      {purchase.data && <PurchaseProgress result={purchase.data} shown={revealed} />}

      <div className="ticket-card__actions">
        {ticket?.status === 'Queued' && (
          <Button
            variant="primary"
            busy={purchase.isPending}
            onClick={() => {
              setTicketAtPurchase(ticket);
              purchase.mutate({ id, token }, { onSuccess: keepFocusHere });
            }}
          >
            Purchase
          </Button>
        )}
        {ticket && ticket.status !== 'Cancelled' && (
          <Button
            variant="danger-outline"
            onClick={() => {
              cancel.reset();
              setConfirmingCancel(true);
            }}
          >
            Cancel ticket
          </Button>
        )}
        {(ticket?.status === 'Cancelled' || lost) && (
          <Button
            variant="quiet"
            onClick={() => {
              // The card goes: focus moves to the card after it, or before it, or else to the list's heading.
              const card = articleRef.current;
              const neighbour = card?.nextElementSibling ?? card?.previousElementSibling;
              const heading = card?.closest('section')?.querySelector<HTMLElement>('h2');
              (neighbour instanceof HTMLElement ? neighbour : heading)?.focus();
              removeStoredTicket(id);
            }}
          >
            Remove from this browser
          </Button>
        )}
      </div>

      <ConfirmDialog
        // A ticket cancelled meanwhile (by staff, or in another tab) closes the question by itself.
        open={confirmingCancel && !cancelledWhileAsked}
        title={`Cancel ticket ${id}?`}
        confirmLabel="Yes, cancel"
        cancelLabel="Keep ticket"
        busy={cancel.isPending}
        error={cancelError}
        onCancel={() => setConfirmingCancel(false)}
        onConfirm={() =>
          cancel.mutate(
            // What the question says depends on the status: served meanwhile, it is asked again.
            { id, token, expectedStatus: ticket?.status },
            {
              onSuccess: () => {
                setConfirmingCancel(false);
                setCancelledHere(true);
              },
            },
          )
        }
      >
        <p>
          {ticket && `${fullName(ticket)}, ${ticket.ticket_type}. `}
          {ticket && `${CANCEL_CONSEQUENCE[ticket.status]} This cannot be undone.`}
        </p>
      </ConfirmDialog>
    </article>
  );
}

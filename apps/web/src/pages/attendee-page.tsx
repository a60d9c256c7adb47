// The attendee page ("/"): register, see seats left, and follow the tickets held in this browser.

import { useState } from 'react';
import { PageTitle } from '../components/page-title.tsx';
import { useStoredTickets } from '../lib/tickets-storage.ts';
import { useAnnouncement } from '../lib/use-announcement.ts';
import { useMediaQuery } from '../lib/use-media-query.ts';
import { AvailabilityPanel } from './attendee/availability-panel.tsx';
import { MyTickets } from './attendee/my-tickets.tsx';
import { RegistrationForm } from './attendee/registration-form.tsx';

/** The width from which "My tickets" sits beside the form (.attendee-layout in layout.css). */
const SIDE_BY_SIDE = '(min-width: 56rem)';

export function AttendeePage() {
  // One live region for the page: registrations and ticket changes are announced in the same place.
  const [announcement, announce] = useAnnouncement();
  // The card of a ticket just registered is brought into view.
  const [newTicketId, setNewTicketId] = useState<string | null>(null);
  const holdsTickets = useStoredTickets().length > 0;
  const sideBySide = useMediaQuery(SIDE_BY_SIDE);
  // In one column, tickets held come first, so the card a registration made appears right at the top
  // instead of a screen or two below the form. Reordered in the DOM, not only on screen, so reading and
  // Tab order follow what is seen; the keys keep both parts mounted, with their state, as they swap.
  const ticketsFirst = holdsTickets && !sideBySide;

  const registration = (
    <div key="registration" className="stack">
      <RegistrationForm
        onRegistered={(id, message) => {
          setNewTicketId(id);
          announce(message);
        }}
      />
      <AvailabilityPanel />
    </div>
  );
  const myTickets = (
    <MyTickets key="my-tickets" announcement={announcement} announce={announce} newTicketId={newTicketId} />
  );
  return (
    <>
      <PageTitle lead="Register for the event, then buy your seat when you are ready. VIP tickets are served first.">
        Get your tickets
      </PageTitle>
      <div className="attendee-layout">{ticketsFirst ? [myTickets, registration] : [registration, myTickets]}</div>
    </>
  );
}

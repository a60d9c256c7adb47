// The attendee page ("/"): register, see seats left, and follow the tickets held in this browser.

import { useState } from 'react';
import { PageTitle } from '../components/page-title.tsx';
import { useAnnouncement } from '../lib/use-announcement.ts';
import { AvailabilityPanel } from './attendee/availability-panel.tsx';
import { MyTickets } from './attendee/my-tickets.tsx';
import { RegistrationForm } from './attendee/registration-form.tsx';

export function AttendeePage() {
  // One live region for the page: registrations and ticket changes are announced in the same place.
  const [announcement, announce] = useAnnouncement();
  // The card of a ticket just registered is brought into view: on a phone it is below the form.
  const [newTicketId, setNewTicketId] = useState<string | null>(null);
  return (
    <>
      <PageTitle lead="Register for the event, then buy your seat when you are ready. VIP tickets are served first.">
        Get your tickets
      </PageTitle>
      <div className="attendee-layout">
        <div className="stack">
          <RegistrationForm
            onRegistered={(id, message) => {
              setNewTicketId(id);
              announce(message);
            }}
          />
          <AvailabilityPanel />
        </div>
        <MyTickets announcement={announcement} announce={announce} newTicketId={newTicketId} />
      </div>
    </>
  );
}

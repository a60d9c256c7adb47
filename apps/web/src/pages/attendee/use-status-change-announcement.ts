// Announces a ticket's status when it changes while the page is open (not when it first loads).

import type { TicketStatus } from '@ticketing/shared';
import { useEffect, useRef } from 'react';

export function useStatusChangeAnnouncement(
  id: string,
  status: TicketStatus | undefined,
  announce: (message: string) => void,
): void {
  const previous = useRef(status);
  useEffect(() => {
    if (status === undefined) return;
    if (previous.current !== undefined && previous.current !== status) announce(`Ticket ${id} is now ${status}`);
    previous.current = status;
  }, [id, status, announce]);
}

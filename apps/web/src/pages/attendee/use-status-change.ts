// Acts on a ticket's status when it changes while the page is open (not when it first loads).

import type { TicketStatus } from '@ticketing/shared';
import { useEffect, useRef } from 'react';

/** Calls `onChange` with the new status each time it differs from the last one seen; keep `onChange` stable. */
export function useStatusChange(status: TicketStatus | undefined, onChange: (status: TicketStatus) => void): void {
  const previous = useRef(status);
  useEffect(() => {
    if (status === undefined) return;
    if (previous.current !== undefined && previous.current !== status) onChange(status);
    previous.current = status;
  }, [status, onChange]);
}

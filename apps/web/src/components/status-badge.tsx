// A ticket's status as a badge: the words themselves, with colour and a symbol only as extra cues.

import type { TicketStatus } from '@ticketing/shared';

export function StatusBadge({ status }: { status: TicketStatus }) {
  // The symbol comes from CSS (with empty alt text), so the badge's text is exactly the status.
  return <span className={`badge badge--${status.toLowerCase().replace(' ', '-')}`}>{status}</span>;
}

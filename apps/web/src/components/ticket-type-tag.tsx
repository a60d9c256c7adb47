// The ticket type as a small tag, VIP and Regular styled apart (and always spelled out).

import type { TicketType } from '@ticketing/shared';

export function TicketTypeTag({ type }: { type: TicketType }) {
  return <span className={`type-tag type-tag--${type.toLowerCase()}`}>{type}</span>;
}

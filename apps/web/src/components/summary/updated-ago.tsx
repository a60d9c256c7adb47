// "Updated N s ago": seconds since the last successful fetch, ticking every second.

import { secondsSince } from '../../lib/format.ts';
import { useNow } from '../../lib/use-now.ts';

/** `updatedAt` is React Query's dataUpdatedAt: 0 until the first answer. */
export function UpdatedAgo({ updatedAt }: { updatedAt: number }) {
  const now = useNow(1_000);
  return (
    <p className="updated-ago">
      {updatedAt > 0 ? `Updated ${secondsSince(updatedAt, Math.max(now, updatedAt))} s ago` : 'Loading…'}
    </p>
  );
}

// A long start-up says how far it has got: a replay of millions of events takes a while, and a server that
// prints nothing for half a minute looks stuck to whoever restarted it.

import { groupThousands } from '@ticketing/shared';
import type { Logger } from './types.ts';

/** How often a long replay says how far it has got; a replay shorter than this says nothing of it. */
export const REPLAY_PROGRESS_INTERVAL_MS = 2000;

export class ReplayProgress {
  private readonly startedAt = performance.now();
  private saidAt = this.startedAt;

  constructor(
    private readonly logger: Logger,
    /** what is replayed, as the message names it */
    private readonly what: string,
    /** where the replay starts and where it ends, in the unit of `update`'s `at` (bytes of a file, say) */
    private readonly range: { from: number; to: number },
    private readonly intervalMs = REPLAY_PROGRESS_INTERVAL_MS,
  ) {}

  /** The replay has got to `at`, making `events` events in all. Says so when the interval has passed. */
  update(at: number, events: number): void {
    const now = performance.now();
    const { from, to } = this.range;
    if (now - this.saidAt < this.intervalMs || to <= from) return;
    this.saidAt = now;
    const share = Math.min(1, (at - from) / (to - from));
    const left = share > 0 && share < 1 ? Math.ceil(((now - this.startedAt) * (1 - share)) / share / 1000) : undefined;
    this.logger.info(
      `Replaying ${this.what}: ${Math.floor(share * 100)}% (${groupThousands(events)} events)${left === undefined ? '' : `, about ${left} s left`}…`,
    );
  }
}

// Idempotency-Keys that follow what a person means rather than each press. Pressing again after a press that
// got no definite answer (no answer came back, the server failed, or it was still busy with it) sends the
// same request with the same key, so the server answers with what the first press did instead of doing it
// twice: a registration made just before the server restarted is found, not made again. After a definite
// answer, or for another request, the next press is a new request with a new key.

import { isApiError, newIdempotencyKey } from './api-client.ts';

/**
 * Whether the server answered this request for certain: a refusal in 4xx, other than a timeout (408), "the
 * first attempt is still running" (409) and "too many requests" (429), which refuses this attempt unread and so
 * says nothing of an earlier one under the same key. Anything else may have been carried out unseen; sending it
 * again with the same key is harmless when it was not.
 */
export function answeredDefinitely(error: unknown): boolean {
  return (
    isApiError(error) &&
    error.status >= 400 &&
    error.status < 500 &&
    error.status !== 408 &&
    error.status !== 429 &&
    error.code !== 'IDEMPOTENCY_IN_FLIGHT'
  );
}

interface Pending {
  request: string;
  key: string;
}

export class RetryKeys {
  private pending: Pending | undefined;

  /** @param kept where the pending key also lives (sessionStorage), so a reload of the page keeps it */
  constructor(private readonly kept?: { storage: Storage; name: string }) {
    this.pending = kept ? readPending(kept.storage, kept.name) : undefined;
  }

  /** The key to send this request with: the last one's, when it was this same request and got no definite answer. */
  keyFor(request: unknown): string {
    const text = JSON.stringify(request);
    if (this.pending?.request !== text) this.remember({ request: text, key: newIdempotencyKey() });
    return (this.pending as Pending).key;
  }

  /** The request ended, with this error or none (null): its key is kept only while no definite answer came. */
  settled(error: unknown): void {
    if (!error || answeredDefinitely(error)) this.remember(undefined);
  }

  /** Something else has done what the pending request meant to do: its next press is a new request. */
  forget(): void {
    this.remember(undefined);
  }

  private remember(pending: Pending | undefined): void {
    this.pending = pending;
    if (!this.kept) return;
    try {
      if (pending) this.kept.storage.setItem(this.kept.name, JSON.stringify(pending));
      else this.kept.storage.removeItem(this.kept.name);
    } catch {
      // Storage full or blocked: the key still holds until the page is left.
    }
  }
}

/** This tab's sessionStorage under that name, where the browser allows it. */
export function inSessionStorage(name: string): { storage: Storage; name: string } | undefined {
  try {
    return { storage: window.sessionStorage, name };
  } catch {
    return undefined;
  }
}

function readPending(storage: Storage, name: string): Pending | undefined {
  try {
    const value = JSON.parse(storage.getItem(name) ?? 'null');
    return typeof value?.request === 'string' && typeof value?.key === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

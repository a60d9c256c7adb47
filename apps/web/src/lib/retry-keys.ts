// Idempotency-Keys that follow what a person means rather than each press. Pressing again after a press whose
// outcome is unknown (no answer came back, the server failed, or it was still busy with it) sends the same
// request with the same key, so the server answers with what the first press did instead of doing it twice:
// a registration retried after the server restarted gets the ticket it made. After an answer, or with
// another request, the next press is a new request with a new key.

import { isApiError, newIdempotencyKey } from './api-client.ts';

/** Whether the server may have carried out a request that failed this way. */
export function outcomeUnknown(error: unknown): boolean {
  if (!isApiError(error)) return false;
  return error.isUnreachable || error.status >= 500 || error.status === 408 || error.code === 'IDEMPOTENCY_IN_FLIGHT';
}

export class RetryKeys {
  private pending: { request: string; key: string } | undefined;

  /** The key to send this request with: the last one's, when it was this same request and its outcome is unknown. */
  keyFor(request: unknown): string {
    const text = JSON.stringify(request);
    if (this.pending?.request !== text) this.pending = { request: text, key: newIdempotencyKey() };
    return this.pending.key;
  }

  /** The request ended, with this error or none: its key is kept only while its outcome is unknown. */
  settled(error: unknown): void {
    if (!error || !outcomeUnknown(error)) this.pending = undefined;
  }
}

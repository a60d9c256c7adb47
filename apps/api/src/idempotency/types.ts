// Where Idempotency-Key answers are kept: in memory for the embedded store, in the database when
// several servers share one event, so a retry that lands on another server still gets the first answer.

/** What the same key with another request body is told (422). */
export const KEY_MISMATCH_MESSAGE = 'This Idempotency-Key was already used with a different request body.';

export interface StoredAnswer {
  status: number;
  /** the answer's body, with any `token` field taken out */
  body: string;
  contentType: string;
  /** the answer's Location header, if it had one (a registration's) */
  location?: string;
}

/** A request's hold on its key: the scope (caller, route and key) and this attempt's own id. */
export interface IdempotencyClaim {
  scope: string;
  id: string;
}

export type Claim =
  | { state: 'new'; claim: IdempotencyClaim }
  | { state: 'in_flight' }
  | { state: 'mismatch' }
  | { state: 'done'; answer: StoredAnswer }
  /** the change was made, but the server making it stopped before it could keep the answer */
  | { state: 'answer_lost' };

export interface IdempotencyStore {
  /**
   * Claims a key for this request body, or reports what earlier requests with it did. With `rerunLost`, for a
   * request whose rerun finds the change an earlier attempt made rather than making it again (a registration,
   * see keyed-ticket-id.ts), an attempt whose answer was lost is claimed again instead of reported lost.
   */
  claim(scope: string, fingerprint: string, options?: { rerunLost?: boolean }): Promise<Claim>;
  complete(claim: IdempotencyClaim, answer: StoredAnswer): Promise<void>;
  /** Forgets a claim whose request did nothing (a 5xx), so a retry may try again. */
  release(claim: IdempotencyClaim): Promise<void>;
  /**
   * The owner token of a ticket registered under this key. Derived, not stored, so a replayed
   * registration can hand out its token again while only the token's hash is ever kept.
   */
  ticketToken(scope: string): string;
}

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * How long a claim holds its key without an answer. A retry after that, of an attempt whose server stopped
 * before changing anything, runs again; the attempt, should it still be running, can then no longer commit.
 */
export const IDEMPOTENCY_LEASE_MS = 30 * 1000;

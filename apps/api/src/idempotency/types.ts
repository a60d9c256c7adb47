// Where Idempotency-Key answers are kept: in memory for the embedded store, in the database when
// several servers share one event, so a retry that lands on another server still gets the first answer.

export interface StoredAnswer {
  status: number;
  /** the answer's body, with any `token` field taken out */
  body: string;
  contentType: string;
}

export type Claim =
  | { state: 'new' }
  | { state: 'in_flight' }
  | { state: 'mismatch' }
  | { state: 'done'; answer: StoredAnswer };

export interface IdempotencyStore {
  /** Claims a key for this request body, or reports what earlier requests with it did. */
  claim(scope: string, fingerprint: string): Promise<Claim>;
  complete(scope: string, answer: StoredAnswer): Promise<void>;
  /** Forgets a claim whose request did nothing (a 5xx), so a retry may try again. */
  release(scope: string): Promise<void>;
  /**
   * The owner token of a ticket registered under this key. Derived, not stored, so a replayed
   * registration can hand out its token again while only the token's hash is ever kept.
   */
  ticketToken(scope: string): string;
}

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

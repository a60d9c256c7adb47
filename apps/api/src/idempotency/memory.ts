// Idempotency-Key answers kept in this process's memory: for one server on its own data directory.

import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import {
  type Claim,
  IDEMPOTENCY_TTL_MS,
  type IdempotencyClaim,
  type IdempotencyStore,
  type StoredAnswer,
} from './types.ts';

const MAX_KEYS = 100_000;

type Entry = { fingerprint: string; expires: number; claimId: string; answer?: StoredAnswer };

export class MemoryIdempotencyStore implements IdempotencyStore {
  /** insertion order is age order, so eviction starts with the oldest */
  private readonly entries = new Map<string, Entry>();
  /**
   * @param secret derives registrations' tokens (and so their ids) from their keys. Kept across restarts (in
   * the data directory), it lets a retry find the ticket its key registered after the answers here are gone.
   */
  constructor(private readonly secret: Buffer = randomBytes(32)) {}

  async claim(scope: string, fingerprint: string): Promise<Claim> {
    const now = Date.now();
    this.evict(now);
    const entry = this.entries.get(scope);
    if (entry && entry.expires > now) {
      if (entry.fingerprint !== fingerprint) return { state: 'mismatch' };
      // One process holds every claim, so one in flight is still running: no lease is needed.
      return entry.answer ? { state: 'done', answer: entry.answer } : { state: 'in_flight' };
    }
    const claimId = randomUUID();
    this.entries.set(scope, { fingerprint, expires: now + IDEMPOTENCY_TTL_MS, claimId });
    return { state: 'new', claim: { scope, id: claimId } };
  }

  async complete(claim: IdempotencyClaim, answer: StoredAnswer): Promise<void> {
    const entry = this.entries.get(claim.scope);
    if (entry?.claimId === claim.id) entry.answer = answer;
  }

  async release(claim: IdempotencyClaim): Promise<void> {
    const entry = this.entries.get(claim.scope);
    if (entry?.claimId === claim.id && !entry.answer) this.entries.delete(claim.scope);
  }

  ticketToken(scope: string): string {
    return deriveTicketToken(this.secret, scope);
  }

  private evict(now: number): void {
    for (const [scope, entry] of this.entries) {
      if (entry.expires > now && this.entries.size <= MAX_KEYS) break;
      this.entries.delete(scope);
    }
  }
}

/** 32 url-safe characters, like a random token, from the secret and the key's scope. */
export function deriveTicketToken(secret: Buffer, scope: string): string {
  return createHmac('sha256', secret).update(`ticket-token\n${scope}`).digest('base64url').slice(0, 32);
}

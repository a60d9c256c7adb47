// Idempotency-Key answers in PostgreSQL, shared by every server on the event: a retry that reaches
// another server still gets the first answer. Expired keys are swept now and then.

import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { PostgresStore } from '../store/postgres/postgres-store.ts';
import { StorageUnavailableError } from '../store/types.ts';
import { deriveTicketToken } from './memory.ts';
import {
  type Claim,
  IDEMPOTENCY_LEASE_MS,
  IDEMPOTENCY_TTL_MS,
  type IdempotencyClaim,
  type IdempotencyStore,
  type StoredAnswer,
} from './types.ts';

const SWEEP_EVERY_MS = 10 * 60 * 1000;

/** The settings row holding the secret that derives keyed registrations' tokens, in hex. */
export const IDEMPOTENCY_SECRET_SETTING = 'idempotency_secret';

/** The token-deriving secret, shared by all servers on the database: made by whichever asks first. */
export async function sharedIdempotencySecret(store: Pick<PostgresStore, 'sharedSetting'>): Promise<Buffer> {
  const hex = await store.sharedSetting(IDEMPOTENCY_SECRET_SETTING, () => randomBytes(32).toString('hex'));
  return Buffer.from(hex, 'hex');
}

export class PostgresIdempotencyStore implements IdempotencyStore {
  private readonly sweeper: NodeJS.Timeout;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly secret: Buffer,
  ) {
    this.sweeper = setInterval(() => {
      void this.pool.query('delete from idempotency_keys where expires_at < now()').catch(() => {});
    }, SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  static async open(store: PostgresStore): Promise<PostgresIdempotencyStore> {
    return new PostgresIdempotencyStore(store.connectionPool, await sharedIdempotencySecret(store));
  }

  async claim(scope: string, fingerprint: string, options: { rerunLost?: boolean } = {}): Promise<Claim> {
    const rerunLost = options.rerunLost === true;
    return this.guard(async () => {
      // Take the key; or take it over when it expired, or when its claim ran out without an answer: without
      // committing a change (its server stopped, or is stuck: its change can no longer commit, see holdClaims),
      // or with one, when a rerun finds that change instead of making it twice (rerunLost).
      const claimId = randomUUID();
      const taken = await this.pool.query(
        `insert into idempotency_keys (scope, fingerprint, claim_id, claimed_until, expires_at)
         values ($1, $2, $3, now() + $4 * interval '1 millisecond', now() + $5 * interval '1 millisecond')
         on conflict (scope) do update
           set fingerprint = excluded.fingerprint, claim_id = excluded.claim_id, claimed_until = excluded.claimed_until,
               committed_at = null, status = null, body = null, content_type = null, location = null,
               expires_at = excluded.expires_at
           where idempotency_keys.expires_at < now()
              or (idempotency_keys.status is null and (idempotency_keys.committed_at is null or $6)
                  and idempotency_keys.fingerprint = excluded.fingerprint and idempotency_keys.claimed_until < now())
         returning scope`,
        [scope, fingerprint, claimId, IDEMPOTENCY_LEASE_MS, IDEMPOTENCY_TTL_MS, rerunLost],
      );
      if (taken.rowCount === 1) return { state: 'new', claim: { scope, id: claimId } };
      const { rows } = await this.pool.query<{
        fingerprint: string;
        status: number | null;
        body: string | null;
        content_type: string | null;
        location: string | null;
        answer_lost: boolean;
      }>(
        `select fingerprint, status, body, content_type, location,
                (committed_at is not null and claimed_until < now()) as answer_lost
           from idempotency_keys where scope = $1`,
        [scope],
      );
      const row = rows[0];
      if (!row) return this.claim(scope, fingerprint, options); // released between the two statements
      if (row.fingerprint !== fingerprint) return { state: 'mismatch' };
      if (row.status === null) {
        if (!row.answer_lost) return { state: 'in_flight' };
        // The lease ran out between the two statements: a rerun may take the key over after all.
        return rerunLost ? this.claim(scope, fingerprint, options) : { state: 'answer_lost' };
      }
      return {
        state: 'done',
        answer: {
          status: row.status,
          body: row.body ?? '',
          contentType: row.content_type ?? 'application/json',
          ...(row.location ? { location: row.location } : {}),
        },
      };
    });
  }

  async complete(claim: IdempotencyClaim, answer: StoredAnswer): Promise<void> {
    await this.guard(() =>
      this.pool.query(
        `update idempotency_keys set status = $3, body = $4, content_type = $5, location = $6
          where scope = $1 and claim_id = $2`,
        [claim.scope, claim.id, answer.status, answer.body, answer.contentType, answer.location ?? null],
      ),
    );
  }

  async release(claim: IdempotencyClaim): Promise<void> {
    // A claim whose change committed stays: a retry must not make it twice.
    await this.guard(() =>
      this.pool.query(
        'delete from idempotency_keys where scope = $1 and claim_id = $2 and status is null and committed_at is null',
        [claim.scope, claim.id],
      ),
    );
  }

  ticketToken(scope: string): string {
    return deriveTicketToken(this.secret, scope);
  }

  close(): void {
    clearInterval(this.sweeper);
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw new StorageUnavailableError('The database cannot be reached right now.', { cause: error });
    }
  }
}

/**
 * Inside a change's transaction: marks the claims it answers as committed, if each is still its request's
 * (not taken over after its lease ran out). Resolves to the ids of the claims still held: by id, not by key,
 * since an attempt and the retry that took its key over can wait in one batch. A request whose claim was taken
 * over must not change anything. The marks commit or roll back with the change itself, so a claim marked
 * committed always has its change in the journal.
 */
export async function holdClaims(client: pg.PoolClient, claims: IdempotencyClaim[]): Promise<Set<string>> {
  if (claims.length === 0) return new Set();
  const { rows } = await client.query<{ claim_id: string }>(
    `update idempotency_keys k set committed_at = now()
       from ${CLAIMS} where k.scope = c.scope and k.claim_id = c.claim_id and k.status is null
     returning k.claim_id`,
    claimColumns(claims),
  );
  return new Set(rows.map((row) => row.claim_id));
}

/** Inside a change's transaction: takes the mark back from claims whose requests changed nothing (refused, say). */
export async function unholdClaims(client: pg.PoolClient, claims: IdempotencyClaim[]): Promise<void> {
  if (claims.length === 0) return;
  await client.query(
    `update idempotency_keys k set committed_at = null from ${CLAIMS} where k.scope = c.scope and k.claim_id = c.claim_id`,
    claimColumns(claims),
  );
}

/** Claims as a table `c(scope, claim_id)` in a statement, from the parameters claimColumns gives. */
const CLAIMS = 'unnest($1::text[], $2::text[]) as c(scope, claim_id)';

function claimColumns(claims: IdempotencyClaim[]): [string[], string[]] {
  return [claims.map((claim) => claim.scope), claims.map((claim) => claim.id)];
}

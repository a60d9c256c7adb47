// Idempotency-Key answers in PostgreSQL, shared by every server on the event: a retry that reaches
// another server still gets the first answer. Expired keys are swept now and then.

import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { StorageUnavailableError } from '../store/types.ts';
import { deriveTicketToken } from './memory.ts';
import { type Claim, IDEMPOTENCY_TTL_MS, type IdempotencyStore, type StoredAnswer } from './types.ts';

const SWEEP_EVERY_MS = 10 * 60 * 1000;

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

  /** The token-deriving secret is shared by all servers, kept in the settings table. */
  static async open(pool: pg.Pool): Promise<PostgresIdempotencyStore> {
    await pool.query(
      "insert into settings (name, value) values ('idempotency_secret', $1) on conflict (name) do nothing",
      [randomBytes(32).toString('hex')],
    );
    const { rows } = await pool.query<{ value: string }>(
      "select value from settings where name = 'idempotency_secret'",
    );
    return new PostgresIdempotencyStore(pool, Buffer.from(rows[0]?.value as string, 'hex'));
  }

  async claim(scope: string, fingerprint: string): Promise<Claim> {
    return this.guard(async () => {
      // Take the key, or take it over if it expired.
      const taken = await this.pool.query(
        `insert into idempotency_keys (scope, fingerprint, expires_at)
         values ($1, $2, now() + $3 * interval '1 millisecond')
         on conflict (scope) do update
           set fingerprint = excluded.fingerprint, status = null, body = null, content_type = null,
               expires_at = excluded.expires_at
           where idempotency_keys.expires_at < now()
         returning scope`,
        [scope, fingerprint, IDEMPOTENCY_TTL_MS],
      );
      if (taken.rowCount === 1) return { state: 'new' };
      const { rows } = await this.pool.query<{
        fingerprint: string;
        status: number | null;
        body: string | null;
        content_type: string | null;
      }>('select fingerprint, status, body, content_type from idempotency_keys where scope = $1', [scope]);
      const row = rows[0];
      if (!row) return this.claim(scope, fingerprint); // released between the two statements
      if (row.fingerprint !== fingerprint) return { state: 'mismatch' };
      if (row.status === null) return { state: 'in_flight' };
      return {
        state: 'done',
        answer: { status: row.status, body: row.body ?? '', contentType: row.content_type ?? 'application/json' },
      };
    });
  }

  async complete(scope: string, answer: StoredAnswer): Promise<void> {
    await this.guard(() =>
      this.pool.query('update idempotency_keys set status = $2, body = $3, content_type = $4 where scope = $1', [
        scope,
        answer.status,
        answer.body,
        answer.contentType,
      ]),
    );
  }

  async release(scope: string): Promise<void> {
    await this.guard(() =>
      this.pool.query('delete from idempotency_keys where scope = $1 and status is null', [scope]),
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

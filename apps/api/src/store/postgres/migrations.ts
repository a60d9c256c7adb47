// The database schema, as numbered migrations the server applies itself at start. An advisory lock
// makes servers that start at the same moment apply them one at a time, each exactly once.

import type { Pool } from 'pg';
import type { Logger } from '../types.ts';
import { withConnection } from './connection.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'journal, seats, idempotency and settings',
    sql: `
      -- The journal: the same events, one row each, as transactions.csv holds for the embedded store.
      create table events (
        seq bigint primary key,
        at timestamptz not null,
        action text not null check (action in ('capacity_set', 'registered', 'confirmed', 'sold_out', 'promoted', 'cancelled')),
        actor text not null check (actor in ('attendee', 'staff', 'system')),
        ticket_id text not null default '',
        first_name text not null default '',
        last_name text not null default '',
        ticket_type text not null check (ticket_type in ('VIP', 'Regular')),
        status text not null default '',
        capacity integer check (capacity >= 0),
        token_hash text not null default ''
      );
      create unique index events_one_registration_per_ticket on events (ticket_id) where action = 'registered';
      create index events_by_ticket on events (ticket_id, seq);

      -- One row: the last seq. Writers lock it for the length of one transaction, which orders
      -- every change of every server into one history.
      create table event_head (
        id smallint primary key check (id = 1),
        last_seq bigint not null
      );
      insert into event_head values (1, 0);

      -- Seats per type, kept in step with the journal in the same transaction. The check makes
      -- overselling impossible whatever any server believes.
      create table seats (
        ticket_type text primary key check (ticket_type in ('VIP', 'Regular')),
        capacity integer not null check (capacity >= 0),
        sold integer not null check (sold >= 0),
        constraint no_oversell check (sold <= capacity)
      );

      create table idempotency_keys (
        scope text primary key,
        fingerprint text not null,
        status integer,
        body text,
        content_type text,
        expires_at timestamptz not null
      );
      create index idempotency_keys_expiry on idempotency_keys (expires_at);

      create table settings (
        name text primary key,
        value text not null
      );
    `,
  },
  {
    version: 2,
    name: 'idempotency claims with a lease, and the change they committed',
    sql: `
      -- claim_id: the attempt holding the key. claimed_until: when another attempt may take it over, if
      -- no change was committed. committed_at: set in the change's own transaction. location: the answer's
      -- Location header, replayed with it.
      alter table idempotency_keys
        add column claim_id text,
        add column claimed_until timestamptz,
        add column committed_at timestamptz,
        add column location text;
      update idempotency_keys set claimed_until = expires_at where status is null;
    `,
  },
];

/** Applies the migrations this database lacks. Safe to run from several servers at once. */
export async function migrate(pool: Pool, logger?: Logger): Promise<number[]> {
  return withConnection(
    pool,
    async (client) => {
      await client.query(`select pg_advisory_lock(hashtext(current_schema() || ':event-ticketing-migrations'))`);
      try {
        await client.query(
          'create table if not exists schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())',
        );
        const { rows } = await client.query<{ version: number }>('select version from schema_migrations');
        const applied = new Set(rows.map((row) => row.version));
        const done: number[] = [];
        for (const migration of MIGRATIONS) {
          if (applied.has(migration.version)) continue;
          await client.query('begin');
          try {
            await client.query(migration.sql);
            await client.query('insert into schema_migrations (version, name) values ($1, $2)', [
              migration.version,
              migration.name,
            ]);
            await client.query('commit');
          } catch (error) {
            await client.query('rollback');
            throw new Error(
              `Database migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`,
            );
          }
          done.push(migration.version);
        }
        return done;
      } finally {
        await client.query(`select pg_advisory_unlock(hashtext(current_schema() || ':event-ticketing-migrations'))`);
      }
    },
    { logger },
  );
}

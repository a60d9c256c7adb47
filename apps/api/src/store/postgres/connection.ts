// Connections to PostgreSQL that fail a request, never the process, and never hold a server up for good.

import type pg from 'pg';
import { type Logger, silentLogger } from '../types.ts';

/** How long the database and this server wait before giving up on a stuck connection (see poolSettings). */
export interface Timeouts {
  /** a change waiting for the journal head held by another server gives up after this */
  lockTimeoutMs: number;
  /** the database ends a transaction whose server has gone quiet (paused, cut off) after this */
  idleInTransactionMs: number;
  /** the database cancels any one statement after this */
  statementTimeoutMs: number;
  /** this server gives up on an answer that does not come (a network that drops packets) after this */
  queryTimeoutMs: number;
}

/**
 * Every transaction here is a few round trips long, so these only ever stop a connection that is stuck. One
 * server paused in the middle of a change holds the journal head; the database ends its transaction after
 * idleInTransactionMs, and the others, waiting at most lockTimeoutMs, carry on (or answer 503) instead of
 * waiting for TCP to notice.
 */
export const DEFAULT_TIMEOUTS: Timeouts = {
  lockTimeoutMs: 8_000,
  idleInTransactionMs: 5_000,
  statementTimeoutMs: 15_000,
  queryTimeoutMs: 20_000,
};

/** The pg.Pool settings that apply the timeouts. */
export function poolSettings(timeouts: Timeouts): pg.PoolConfig {
  return {
    connectionTimeoutMillis: 5000,
    keepAlive: true,
    lock_timeout: timeouts.lockTimeoutMs,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
    statement_timeout: timeouts.statementTimeoutMs,
    query_timeout: timeouts.queryTimeoutMs,
  };
}

/**
 * Runs work on one connection of the pool, then gives it back: closed if the work failed, as a connection that
 * failed mid-query is not trusted again. While a connection is checked out the pool does not listen for its
 * errors, and an 'error' event nobody hears ends the process: a connection lost mid-query (a database restart,
 * a network reset) must fail only that query, which it does once someone listens.
 */
export async function withConnection<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
  options: {
    logger?: Logger | undefined;
    /** what a failure to get a connection at all is reported as (by default, as it is) */
    connectFailed?: (error: unknown) => Error;
  } = {},
): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw options.connectFailed ? options.connectFailed(error) : error;
  }
  const logger = options.logger ?? silentLogger;
  const onError = (error: Error) => logger.warn(`PostgreSQL connection lost: ${error.message}`);
  client.on('error', onError);
  try {
    const result = await work(client);
    client.off('error', onError);
    client.release();
    return result;
  } catch (error) {
    // Closed by the pool, it may still report errors while it closes: the listener stays.
    client.release(error as Error);
    throw error;
  }
}

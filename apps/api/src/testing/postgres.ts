// Test access to PostgreSQL: where it is, whether it is there, and a fresh schema per test server.
// Without a database the PostgreSQL tests are skipped, saying why, unless REQUIRE_POSTGRES=1 (CI).

import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const newSchemaName = () => `ticketing_test_${randomBytes(6).toString('hex')}`;

export async function withDatabase<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** undefined when PostgreSQL answers, else the reason it cannot be used. */
export async function postgresUnavailable(): Promise<string | undefined> {
  try {
    await withDatabase((client) => client.query('select 1'));
    return undefined;
  } catch (error) {
    return `cannot connect to ${TEST_DATABASE_URL.replace(/:[^:@/]*@/, ':***@')} (${(error as Error).message || (error as NodeJS.ErrnoException).code})`;
  }
}

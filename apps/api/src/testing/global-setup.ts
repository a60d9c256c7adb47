// Runs once before the API tests: finds out whether the PostgreSQL half of the suite can run.

import type { TestProject } from 'vitest/node';
import { postgresUnavailable } from './postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** undefined when the PostgreSQL tests run, else why they are skipped */
    postgresSkipReason: string | undefined;
  }
}

export default async function setup(project: TestProject) {
  const reason = await postgresUnavailable();
  if (reason) {
    if (process.env.REQUIRE_POSTGRES === '1') {
      throw new Error(`REQUIRE_POSTGRES=1 but PostgreSQL is not usable: ${reason}. Set TEST_DATABASE_URL.`);
    }
    console.warn(`\n  PostgreSQL tests SKIPPED: ${reason}.\n  Set TEST_DATABASE_URL to a database they may use.\n`);
  }
  project.provide('postgresSkipReason', reason);
}

// The suites that hold for every store run once per store: one suite, two stores.

import { inject } from 'vitest';
import type { StoreKind } from './harness.ts';

export const STORE_KINDS: StoreKind[] = inject('postgresSkipReason') === undefined ? ['csv', 'postgres'] : ['csv'];

/** true when the PostgreSQL tests run here */
export const postgresAvailable = STORE_KINDS.includes('postgres');

import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { openCsvStore } from '../store/csv/csv-store.ts';
import type { TicketStore } from '../store/types.ts';
import { logCollector, tempDir } from '../testing/harness.ts';

let root: string | undefined;
let store: TicketStore | undefined;

afterEach(async () => {
  await store?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

/** An app whose log lines (JSON) are collected, with a route that fails unexpectedly. */
async function appLoggingAt(level: string) {
  root = await tempDir();
  store = await openCsvStore({ dataDir: join(root, 'data'), initialCapacity: { VIP: 1, Regular: 1 } });
  const { stream, lines } = logCollector();
  const app = await buildApp({ store, staffToken: 'staff-token', registerRateLimit: 0, logger: { level, stream } });
  app.get('/broken', async () => {
    throw new Error('a bug');
  });
  return { app, lines };
}

describe('an unexpected error', () => {
  it.each(['warn', 'info'])(
    'is answered 500 without details and logged once, naming the request (level %s)',
    async (level) => {
      const { app, lines } = await appLoggingAt(level);
      const answer = await app.inject({ method: 'GET', url: '/broken' });
      expect(answer.statusCode).toBe(500);
      expect(answer.json()).toEqual({
        error: 'Something went wrong on our side. Please try again.',
        code: 'INTERNAL_ERROR',
      });
      const errors = lines.filter((line) => line.msg === 'unexpected error');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ reqId: expect.any(String), err: { message: 'a bug' } });
      await app.close();
    },
  );
});

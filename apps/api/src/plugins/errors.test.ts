import { describe, expect, it } from 'vitest';
import { loggingAppPerTest } from '../testing/harness.ts';

const loggingApp = loggingAppPerTest();

/** An app whose log lines (JSON) are collected, with a route that fails unexpectedly. */
async function appLoggingAt(level: string) {
  const { app, lines } = await loggingApp(level, { VIP: 1, Regular: 1 });
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

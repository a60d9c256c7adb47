import { describe, expect, it } from 'vitest';
import { StorageUnavailableError } from '../store/types.ts';
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

describe('storage that cannot be reached', () => {
  it('is answered 503 with Retry-After, saying that nothing was changed only of a change', async () => {
    const { app } = await appLoggingAt('warn');
    const unreachable = async () => {
      throw new StorageUnavailableError('The database cannot be reached right now.');
    };
    app.get('/unreachable', unreachable);
    app.post('/unreachable', unreachable);
    const read = await app.inject({ method: 'GET', url: '/unreachable' });
    expect(read.statusCode).toBe(503);
    expect(read.headers['retry-after']).toBe('5');
    expect(read.json()).toEqual({
      error: 'Tickets cannot be read right now. Please try again shortly.',
      code: 'STORAGE_UNAVAILABLE',
    });
    const change = await app.inject({ method: 'POST', url: '/unreachable' });
    expect(change.statusCode).toBe(503);
    expect(change.json()).toEqual({
      error: 'Tickets cannot be saved right now; nothing was changed. Please try again shortly.',
      code: 'STORAGE_UNAVAILABLE',
    });
    await app.close();
  });
});

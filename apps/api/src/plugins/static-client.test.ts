import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { MemoryIdempotencyStore } from '../idempotency/memory.ts';
import { openCsvStore } from '../store/csv/csv-store.ts';
import type { TicketStore } from '../store/types.ts';
import { tempDir } from '../testing/harness.ts';

let root: string;
let store: TicketStore;
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  root = await tempDir();
  const webDist = join(root, 'web');
  await mkdir(join(webDist, 'assets'), { recursive: true });
  await writeFile(join(webDist, 'index.html'), '<!doctype html><title>app</title>');
  await writeFile(join(webDist, 'assets', 'main-abc123.js'), 'console.log(1)');
  store = await openCsvStore({ dataDir: join(root, 'data'), initialCapacity: { VIP: 1, Regular: 1 } });
  app = await buildApp({
    store,
    idempotency: new MemoryIdempotencyStore(),
    staffToken: 'staff-token-for-tests',
    registerRateLimit: 0,
    webDist,
  });
});
afterAll(async () => {
  await app.close();
  await store.close();
  await rm(root, { recursive: true, force: true });
});

describe('the built client', () => {
  it.each(['/', '/summary', '/staff', '/staff/'])('is served for the page %s', async (url) => {
    const answer = await app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toContain('text/html');
    expect(answer.headers['cache-control']).toBe('no-cache');
    expect(answer.body).toContain('<title>app</title>');
    expect(answer.headers['content-security-policy']).toContain("script-src 'self'");
    expect(answer.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it.each(['/', '/summary', '/staff'])(
    'answers another method than GET or HEAD on the page %s with 405',
    async (url) => {
      const answer = await app.inject({ method: 'POST', url, payload: {} });
      expect(answer.statusCode).toBe(405);
      expect(answer.headers.allow).toBe('GET, HEAD');
      expect(answer.json()).toEqual({ error: `${url} is a page: it takes GET or HEAD.`, code: 'METHOD_NOT_ALLOWED' });
      expect((await app.inject({ method: 'POST', url: '/nowhere', payload: {} })).statusCode).toBe(404);
    },
  );

  it('sends /index.html to the page it is, "/", rather than showing "Page not found" there', async () => {
    const answer = await app.inject({ method: 'GET', url: '/index.html' });
    expect(answer.statusCode).toBe(301);
    expect(answer.headers.location).toBe('/');
  });

  it('keeps the page policy on a 304 revalidation of index.html', async () => {
    const first = await app.inject({ method: 'GET', url: '/' });
    const again = await app.inject({
      method: 'GET',
      url: '/',
      headers: { 'if-none-match': String(first.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    expect(again.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('serves hashed assets as immutable', async () => {
    const answer = await app.inject({ method: 'GET', url: '/assets/main-abc123.js' });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it.each(['/nope', '/staff/nope', '/Summary', '/summary.html/x'])(
    'serves the client for %s with 404, so the status says what its page says',
    async (url) => {
      const answer = await app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      expect(answer.statusCode).toBe(404);
      expect(answer.headers['content-type']).toContain('text/html');
      expect(answer.body).toContain('<title>app</title>');
      expect(answer.headers['content-security-policy']).toContain("script-src 'self'");
    },
  );

  it('answers a revalidation or a range request of a missing page with the whole page and 404', async () => {
    const etag = String((await app.inject({ method: 'GET', url: '/' })).headers.etag);
    for (const headers of [{ 'if-none-match': etag }, { 'if-none-match': '*' }, { range: 'bytes=0-4' }]) {
      const answer = await app.inject({ method: 'GET', url: '/nope', headers });
      expect(answer.statusCode, JSON.stringify(headers)).toBe(404);
      expect(answer.body).toBe('<!doctype html><title>app</title>');
    }
  });

  it.each(['/assets/missing.js', '/api/nope', '/queue/extra', '/favicon.ico', '/API/register', '/Summary_Data'])(
    'answers %s with the JSON 404',
    async (url) => {
      const answer = await app.inject({ method: 'GET', url });
      expect(answer.statusCode).toBe(404);
      expect(answer.json()).toMatchObject({ code: 'NOT_FOUND' });
    },
  );

  it('answers an API path whose id is longer than the router takes with 414, not a 405 for its own method', async () => {
    const answer = await app.inject({ method: 'GET', url: `/api/tickets/${'A'.repeat(300)}` });
    expect(answer.statusCode).toBe(414);
    expect(answer.json()).toEqual({ error: 'The request path is too long.', code: 'URI_TOO_LONG' });
  });
});

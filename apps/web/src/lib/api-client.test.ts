import { describe, expect, it, vi } from 'vitest';
import { jsonResponse } from '../test/utils.tsx';
import { ApiError, apiJson, apiRequest, NETWORK_ERROR_MESSAGE, parseRetryAfter } from './api-client.ts';

async function failureOf(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error('expected the request to fail');
}

describe('api client', () => {
  it('sends JSON with the bearer token and returns the parsed answer', async () => {
    const fetchMock = vi.fn(async () => jsonResponse({ ok: true }, 201));
    vi.stubGlobal('fetch', fetchMock);

    await expect(apiJson('/api/register', { method: 'POST', body: { a: 1 }, token: 'secret' })).resolves.toEqual({
      ok: true,
    });

    const [path, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(path).toBe('/api/register');
    expect(init.method).toBe('POST');
    expect(init.body).toBe('{"a":1}');
    expect(init.headers).toMatchObject({ Authorization: 'Bearer secret', 'Content-Type': 'application/json' });
  });

  it("turns the API's JSON error into an ApiError carrying its sentence, code and status", async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => jsonResponse({ error: 'Ticket not found', code: 'TICKET_NOT_FOUND' }, 404)),
    );

    const error = await failureOf(apiJson('/api/tickets/ABC-DEF'));
    expect(error.message).toBe('Ticket not found');
    expect(error.code).toBe('TICKET_NOT_FOUND');
    expect(error.status).toBe(404);
    expect(error.retryAfter).toBeNull();
  });

  it('keeps the details of a 409 for callers that need them', async () => {
    const body = {
      error: 'VIP capacity cannot be 1: 2 seats are already sold',
      code: 'CAPACITY_BELOW_SOLD',
      details: { sold: 2 },
    };
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => jsonResponse(body, 409)),
    );

    const error = await failureOf(apiJson('/api/capacity', { method: 'PUT', body: { VIP: 1 } }));
    expect(error.message).toBe(body.error);
    expect(error.details).toEqual({ sold: 2 });
  });

  it('reports a network failure as "Cannot reach the server"', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );

    const error = await failureOf(apiJson('/availability'));
    expect(error.message).toBe(NETWORK_ERROR_MESSAGE);
    expect(error.status).toBe(0);
    expect(error.isNetworkError).toBe(true);
    expect(error.isUnreachable).toBe(true);
  });

  it('lets an abort through untouched, since React Query cancels that way', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new DOMException('The operation was aborted.', 'AbortError');
      }),
    );

    await expect(apiJson('/availability')).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('asks people to wait for the Retry-After seconds on a 429', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        jsonResponse({ error: 'Too many registrations, slow down', code: 'RATE_LIMITED' }, 429, {
          'Retry-After': '30',
        }),
      ),
    );

    const error = await failureOf(apiJson('/api/register', { method: 'POST', body: {} }));
    expect(error.status).toBe(429);
    expect(error.retryAfter).toBe(30);
    expect(error.message).toBe('Too many registrations, slow down. Please wait 30 seconds and try again.');
  });

  it("keeps the API's own sentence on a 429 when it already says how long to wait", async () => {
    const error = 'Too many registrations from your address. Please wait 55 s and try again.';
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => jsonResponse({ error, code: 'RATE_LIMITED' }, 429, { 'Retry-After': '55' })),
    );

    expect((await failureOf(apiJson('/api/register', { method: 'POST', body: {} }))).message).toBe(error);
  });

  it('still mentions waiting on a 429 without Retry-After or JSON body', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('slow down', { status: 429 })),
    );

    const error = await failureOf(apiJson('/api/register', { method: 'POST', body: {} }));
    expect(error.retryAfter).toBeNull();
    expect(error.message).toBe('Too many requests. Please wait a moment and try again.');
  });

  it('gives a readable sentence when something other than the API answers with an error page', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('<html>Internal error</html>', { status: 500 })),
    );

    const error = await failureOf(apiJson('/summary_data'));
    expect(error.message).toBe('The server had a problem (500). Please try again in a moment.');
    expect(error.code).toBe('HTTP_500');
  });

  it('treats a gateway that cannot reach the API like a failed connection', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('', { status: 502 })),
    );

    const error = await failureOf(apiJson('/summary_data'));
    expect(error.message).toBe(NETWORK_ERROR_MESSAGE);
    expect(error.status).toBe(502);
    expect(error.isUnreachable).toBe(true);
  });

  it("prefers the API's own sentence on a 503 (storage unavailable)", async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => jsonResponse({ error: 'Storage is unavailable', code: 'STORAGE_UNAVAILABLE' }, 503)),
    );

    const error = await failureOf(apiJson('/api/register', { method: 'POST', body: {} }));
    expect(error.message).toBe('Storage is unavailable');
    expect(error.isUnreachable).toBe(false);
  });

  it('passes statuses the caller accepts (a 304) through as responses', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(null, { status: 304 })),
    );

    const response = await apiRequest('/summary_data', { accept: [304] });
    expect(response.status).toBe(304);
    await expect(apiRequest('/summary_data')).rejects.toBeInstanceOf(ApiError);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(parseRetryAfter('12', now)).toBe(12);
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:00:45 GMT', now)).toBe(45);
    expect(parseRetryAfter('Mon, 31 Dec 2029 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

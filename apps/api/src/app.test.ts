import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BODY_LIMIT } from './app.ts';
import { STAFF_TOKEN, serverPerTest, startServer } from './testing/harness.ts';
import { STORE_KINDS } from './testing/stores.ts';

describe.each(STORE_KINDS)('with the %s store', (kind) => {
  const server = serverPerTest({ kind });

  /** Every error answer has the product's shape. */
  function expectErrorShape(body: unknown) {
    expect(body).toEqual(expect.objectContaining({ error: expect.any(String), code: expect.any(String) }));
  }

  describe('hostile input', () => {
    it.each([
      ['malformed JSON', '{"first_name": "Ann",', 400],
      ['a JSON array', '[1,2,3]', 400],
      ['a JSON string', '"hello"', 400],
      ['null', 'null', 400],
      ['an empty body', '', 400],
    ])('%s is a clear 400', async (_label, raw, status) => {
      const answer = await server().http.request('POST', '/api/register', { raw });
      expect(answer.status).toBe(status);
      expectErrorShape(answer.body);
    });

    it.each([
      { first_name: 123, last_name: 'Lee', ticket_type: 'VIP' },
      { first_name: ['Ann'], last_name: 'Lee', ticket_type: 'VIP' },
      { first_name: 'Ann', last_name: { $gt: '' }, ticket_type: 'VIP' },
      { first_name: 'Ann', last_name: 'Lee', ticket_type: true },
      { first_name: 'Ann', last_name: null, ticket_type: 'VIP' },
    ])('wrong types %j are a 400, never coerced', async (body) => {
      const answer = await server().http.request('POST', '/api/register', { body });
      expect(answer.status).toBe(400);
      expectErrorShape(answer.body);
    });

    it('a huge body is a 413', async () => {
      const answer = await server().http.register('A'.repeat(BODY_LIMIT + 10), 'Lee', 'VIP');
      expect(answer.status).toBe(413);
      expect(answer.body.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('a body that is not JSON is a 415', async () => {
      const answer = await server().http.request('POST', '/api/register', {
        raw: 'first_name=Ann',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(answer.status).toBe(415);
      expectErrorShape(answer.body);
    });

    it.each(['Ann\u0000', 'An\nn', 'An\tn', '\u202EnnA', 'A\u0007', 'An\uD800n'])(
      'a name with control characters (%j) is a 400',
      async (name) => {
        const answer = await server().http.register(name, 'Lee', 'VIP');
        expect(answer.status).toBe(400);
        expect(answer.body.error).toBe('Names cannot contain control or invisible formatting characters');
      },
    );

    it.each([101, 5000])('a name of %i characters is a 400 saying how long a name may be', async (length) => {
      const answer = await server().http.register('x'.repeat(length), 'Lee', 'VIP');
      expect(answer.status).toBe(400);
      expect(answer.body.error).toBe('Names can be at most 100 characters');
    });

    it.each(['\u200B', '\u00AD\u200E', '\u0301'])('a name with nothing visible (%j) is a 400', async (name) => {
      const answer = await server().http.register(name, 'Lee', 'VIP');
      expect(answer.status).toBe(400);
      expectErrorShape(answer.body);
    });

    it('a body sent as text/plain is a 415, not a string to validate', async () => {
      const answer = await server().http.request('POST', '/api/register', {
        raw: '{"first_name":"Ann","last_name":"Lee","ticket_type":"VIP"}',
        headers: { 'content-type': 'text/plain' },
      });
      expect(answer.status).toBe(415);
      expect(answer.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('says what a field may hold in words, not in JSON Schema terms', async () => {
      const said = async (method: string, path: string, body: unknown) =>
        (await server().http.request(method, path, { body, token: STAFF_TOKEN })).body.error;
      expect(await said('DELETE', '/api/cancel_ticket', { id: 'ABC-DEF', expected_status: 'queued' })).toBe(
        'Invalid body: expected_status must be one of Queued, Confirmed, Sold Out, Cancelled.',
      );
      expect(await said('PUT', '/api/capacity', { VIP: -1 })).toBe('Invalid body: VIP must be at least 0.');
      expect(await said('PUT', '/api/capacity', { VIP: 1.5 })).toBe('Invalid body: VIP must be a whole number.');
      expect(await said('POST', '/api/process_user', { id: '' })).toBe('Invalid body: id must not be empty.');
      expect(await said('POST', '/api/process_user', {})).toBe('Invalid body: id is required.');
    });

    it("lists each field's finding once, in the message's words", async () => {
      const answer = await server().http.request('DELETE', '/api/cancel_ticket', {
        body: { id: 'ABC-DEF', expected_status: 'queued' },
        token: STAFF_TOKEN,
      });
      expect(answer.body.details).toEqual({
        field: 'expected_status',
        issues: [{ path: '/expected_status', message: 'must be one of Queued, Confirmed, Sold Out, Cancelled' }],
      });
    });

    it('a compressed body is a 415 saying so, not broken JSON', async () => {
      const answer = await server().http.request('POST', '/api/register', {
        raw: gzipSync(JSON.stringify({ first_name: 'Ann', last_name: 'Lee', ticket_type: 'VIP' })),
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      });
      expect(answer.status).toBe(415);
      expect(answer.body.error).toBe('Send the request body uncompressed, not as gzip.');
    });

    it('an empty JSON body is none on a route that takes none, and still a 400 on one that takes one', async () => {
      const headers = { 'content-type': 'application/json' };
      const serve = await server().http.request('POST', '/api/process_next', { raw: '', headers, token: STAFF_TOKEN });
      expect(serve.status).toBe(200);
      expect(serve.body.message).toBe('No users in queue.');
      const register = await server().http.request('POST', '/api/register', { raw: '', headers });
      expect(register.status).toBe(400);
      expect(register.body.code).toBe('INVALID_JSON');
    });

    it('a wrong method on a real path is a 405 naming the right ones', async () => {
      for (const [method, path, allow] of [
        ['GET', '/api/register', 'POST'],
        ['POST', '/api/cancel_ticket', 'DELETE'],
        ['PUT', '/api/tickets/ABC-DEF', 'GET, HEAD'],
      ] as const) {
        const answer = await server().http.request(method, path);
        expect(answer.status, `${method} ${path}`).toBe(405);
        expect(answer.headers.get('allow')).toBe(allow);
        expect(answer.body.code).toBe('METHOD_NOT_ALLOWED');
      }
      expect((await server().http.request('GET', '/api/nothing-here')).status).toBe(404);
    });

    it('a path part longer than the router takes is a 414, not a 405 for the method the path takes', async () => {
      const answer = await server().http.request('GET', `/api/tickets/${'A'.repeat(300)}`);
      expect(answer.status).toBe(414);
      expect(answer.body).toEqual({ error: 'The request path is too long.', code: 'URI_TOO_LONG' });
    });

    it('a path that is not valid URL encoding, or headers too large, get the product error shape', async () => {
      const badUrl = await rawGet(server().url, '/api/tickets/%E0%A4%A');
      expect(badUrl.status).toBe(400);
      expect(JSON.parse(badUrl.body)).toEqual({
        error: 'The request path is not valid URL encoding.',
        code: 'VALIDATION_ERROR',
      });
      const hugeHeaders = await rawGet(server().url, '/summary_data', { 'x-padding': 'x'.repeat(20_000) });
      expect(hugeHeaders.status).toBe(431);
      expect(JSON.parse(hugeHeaders.body)).toMatchObject({ code: 'HEADERS_TOO_LARGE' });
    });

    it.each(['__proto__', 'constructor'])('prototype pollution through %s is refused', async (key) => {
      const raw =
        key === '__proto__'
          ? '{"first_name":"Ann","last_name":"Lee","ticket_type":"VIP","__proto__":{"isStaff":true}}'
          : '{"first_name":"Ann","last_name":"Lee","ticket_type":"VIP","constructor":{"prototype":{"isStaff":true}}}';
      const answer = await server().http.request('POST', '/api/register', { raw });
      expect(answer.status).toBe(400);
      expectErrorShape(answer.body);
      expect(({} as Record<string, unknown>).isStaff).toBeUndefined();
    });

    it('path traversal finds nothing', async () => {
      for (const path of ['/../../etc/passwd', '/api/tickets/..%2F..%2Fetc%2Fpasswd', '/%2e%2e/%2e%2e/etc/passwd']) {
        const answer = await rawGet(server().url, path);
        expect([400, 401, 404]).toContain(answer.status);
        expect(answer.body).not.toContain('root:');
        expectErrorShape(JSON.parse(answer.body));
      }
    });

    it('names in any script, and names that look like formulas, round-trip exactly, also through the files', async () => {
      const names = [
        'José',
        '李',
        "O'Brien",
        'Anne-Marie',
        'Zoë Ångström',
        'محمد',
        '=1+2',
        '+SUM(A1)',
        '-5',
        '@cmd',
        "'quoted",
        '"Ann, the 1st"',
        '👩‍🚀 Nova',
      ];
      const ids: string[] = [];
      for (const name of names) {
        const answer = await server().http.register(name, name, 'Regular');
        expect(answer.status, name).toBe(201);
        expect(answer.body.first_name).toBe(name);
        ids.push(answer.body.id);
      }
      const queue = await server().http.staff('GET', '/queue');
      expect(queue.body['Regular Queue'].map((e: { first_name: string }) => e.first_name)).toEqual(names);
      // After a restart the names come back from the journal exactly.
      const again = await server().restart();
      try {
        const ticket = await again.http.staff('GET', `/api/tickets/${ids[6]}`);
        expect(ticket.body.first_name).toBe('=1+2');
        const log = await again.http.staff('GET', '/api/transactions?limit=100');
        expect(
          log.body.items
            .map((t: { first_name: string }) => t.first_name)
            .reverse()
            .slice(2),
        ).toEqual(names);
        // No cell in the files on disk starts a formula.
        for (const file of kind === 'csv' ? ['transactions.csv', 'queue.csv'] : []) {
          const text = await readFile(join(server().location, file), 'utf8');
          for (const line of text.trim().split('\n')) {
            for (const cell of line.split(','))
              expect(cell.replace(/^"/, ''), `${file}: ${line}`).not.toMatch(/^[=+\-@]/);
          }
        }
      } finally {
        await again.close();
      }
    });
  });

  describe('shutting down', () => {
    it('serves a request that arrives on an open connection while closing, then closes the connection', async () => {
      const url = new URL(server().url);
      const socket = connect(Number(url.port), url.hostname);
      let received = '';
      socket.on('data', (chunk) => {
        received += chunk;
      });
      const body = JSON.stringify({ first_name: 'Ann', last_name: 'Lee', ticket_type: 'VIP' });
      // A registration whose body is still arriving keeps the connection busy while the server closes.
      socket.write(
        `POST /api/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
      );
      await once(socket, 'connect');
      await new Promise((resolve) => setTimeout(resolve, 50));
      const stopping = server().stop();
      socket.write(`${body.slice(5)}GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n`);
      await once(socket, 'close');
      await stopping;
      const [first, second] = received.split(/(?=HTTP\/1\.1 )/);
      expect(first).toMatch(/^HTTP\/1\.1 201 /);
      expect(second).toMatch(/^HTTP\/1\.1 200 /);
      expect(second).toMatch(/connection: close/i);
      // The registration served during the close was kept.
      const again = await server().restart();
      try {
        expect((await again.http.request('GET', '/summary_data')).body.vip_queue_length).toBe(1);
      } finally {
        await again.stop();
      }
    });
  });

  describe('Idempotency-Key', () => {
    const body = { first_name: 'Ann', last_name: 'Lee', ticket_type: 'VIP' };

    it('a retry with the same key and body gets the first answer and registers once', async () => {
      const headers = { 'idempotency-key': 'retry-1' };
      const first = await server().http.request('POST', '/api/register', { body, headers });
      const retry = await server().http.request('POST', '/api/register', { body, headers });
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      // The replayed token is the ticket's real token, though no token is ever stored.
      const owner = await server().http.request('GET', `/api/tickets/${retry.body.id}`, { token: retry.body.token });
      expect(owner.status).toBe(200);
      expect((await server().http.request('GET', '/summary_data')).body.vip_queue_length).toBe(1);
    });

    it('the same key with another body is a 422', async () => {
      const headers = { 'idempotency-key': 'retry-2' };
      await server().http.request('POST', '/api/register', { body, headers });
      const other = await server().http.request('POST', '/api/register', {
        body: { ...body, first_name: 'Bob' },
        headers,
      });
      expect(other.status).toBe(422);
      expect(other.body.code).toBe('IDEMPOTENCY_MISMATCH');
      // The same fields in another order are the same body.
      const reordered = Object.fromEntries(Object.entries(body).reverse());
      const replay = await server().http.request('POST', '/api/register', { body: reordered, headers });
      expect(replay.status).toBe(201);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
    });

    it('a retry after a restart gets the ticket its key registered, and registers nothing', async () => {
      const headers = { 'idempotency-key': 'retry-across-restart' };
      const first = await server().http.request('POST', '/api/register', { body, headers });
      expect(first.status).toBe(201);
      // A restart forgets what the embedded store kept in memory; the key still leads to the same ticket.
      const again = await server().restart();
      try {
        const other = await again.http.request('POST', '/api/register', {
          body: { ...body, last_name: 'Ray' },
          headers,
        });
        expect(other.status).toBe(422);
        expect(other.body.code).toBe('IDEMPOTENCY_MISMATCH');
        for (let retries = 0; retries < 2; retries++) {
          const retry = await again.http.request('POST', '/api/register', { body, headers });
          expect(retry.status).toBe(201);
          expect(retry.headers.get('idempotent-replayed')).toBe('true');
          expect(retry.headers.get('location')).toBe(`/api/tickets/${first.body.id}`);
          expect(retry.body).toMatchObject({ id: first.body.id, token: first.body.token, status: 'Queued' });
        }
        const owner = await again.http.request('GET', `/api/tickets/${first.body.id}`, { token: first.body.token });
        expect(owner.status).toBe(200);
        expect((await again.http.request('GET', '/summary_data')).body.vip_queue_length).toBe(1);
        // Another key is another registration.
        const fresh = await again.http.request('POST', '/api/register', {
          body,
          headers: { 'idempotency-key': 'another-key' },
        });
        expect(fresh.status).toBe(201);
        expect(fresh.body.id).not.toBe(first.body.id);
        expect((await again.http.request('GET', '/summary_data')).body.vip_queue_length).toBe(2);
      } finally {
        await again.close();
      }
    });

    it('a request refused for its sign-in is not kept against its key, so keys cost nothing without one', async () => {
      const headers = { 'idempotency-key': 'no-sign-in', authorization: 'Bearer not-the-staff-token' };
      for (const attempt of [1, 2]) {
        const refused = await server().http.request('POST', '/api/process_next', { headers });
        expect(refused.status, `attempt ${attempt}`).toBe(403);
        expect(refused.headers.get('idempotent-replayed')).toBeNull();
      }
      const anonymous = { 'idempotency-key': 'no-sign-in' };
      await server().http.request('POST', '/api/process_next', { headers: anonymous });
      const again = await server().http.request('POST', '/api/process_next', { headers: anonymous });
      expect(again.status).toBe(401);
      expect(again.headers.get('idempotent-replayed')).toBeNull();
    });

    it('a retry is the same request however its Authorization header is written', async () => {
      await server().http.request('POST', '/api/register', { body });
      await server().http.request('POST', '/api/register', { body: { ...body, first_name: 'Bo' } });
      const serve = (authorization: string) =>
        server().http.request('POST', '/api/process_next', {
          headers: { 'idempotency-key': 'serve-once', authorization },
        });
      const first = await serve(`Bearer ${STAFF_TOKEN}`);
      const retry = await serve(`bearer   ${STAFF_TOKEN} `);
      expect(retry.status).toBe(200);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body).toEqual(first.body);
      expect((await server().http.request('GET', '/summary_data')).body.vip_sold).toBe(1);
    });

    it('a retry while the first is still in flight is a 409', async () => {
      const headers = { 'idempotency-key': 'retry-3' };
      const attempts = await Promise.all(
        Array.from({ length: 5 }, () => server().http.request('POST', '/api/register', { body, headers })),
      );
      const statuses = attempts.map((a) => a.status).sort();
      expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
      expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
      expect((await server().http.request('GET', '/summary_data')).body.vip_queue_length).toBe(1);
      const conflict = attempts.find((a) => a.status === 409);
      if (conflict) expect(conflict.body.code).toBe('IDEMPOTENCY_IN_FLIGHT');
    });
  });

  describe('sign-in', () => {
    it('is checked before the body, so a caller without the right token learns nothing from validation', async () => {
      const cases = [
        { method: 'PUT', path: '/api/capacity', body: { Gold: 5 }, token: undefined, status: 401 },
        { method: 'PUT', path: '/api/capacity', body: { Gold: 5 }, token: 'not-the-staff-token', status: 403 },
        { method: 'POST', path: '/api/process_user', body: { id: 'no' }, token: undefined, status: 401 },
        { method: 'DELETE', path: '/api/cancel_ticket', body: { expected_status: 'x' }, token: undefined, status: 401 },
        { method: 'GET', path: '/api/transactions?limit=0', body: undefined, token: undefined, status: 401 },
        { method: 'GET', path: '/queue?limit=-1', body: undefined, token: 'not-the-staff-token', status: 403 },
        { method: 'HEAD', path: '/queue', body: undefined, token: undefined, status: 401 },
        { method: 'HEAD', path: '/api/tickets/ABC-DEF', body: undefined, token: undefined, status: 401 },
      ] as const;
      for (const { method, path, body, token, status } of cases) {
        const answer = await server().http.request(method, path, { body, token });
        expect(answer.status, `${method} ${path} with ${token ?? 'no token'}`).toBe(status);
      }
    });
  });

  describe('rate limit', () => {
    it('answers 429 with Retry-After once a client exceeds REGISTER_RATE_LIMIT per minute', async () => {
      const limited = await startServer({ kind, registerRateLimit: 3 });
      try {
        const statuses = [];
        for (let i = 0; i < 4; i++) statuses.push((await limited.http.register(`A${i}`, 'Lee', 'VIP')).status);
        expect(statuses).toEqual([201, 201, 201, 429]);
        const refused = await limited.http.register('Late', 'Lee', 'VIP');
        expect(refused.body).toMatchObject({ code: 'RATE_LIMITED' });
        expect(refused.body.error).toMatch(/Too many registrations/);
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
        // Other routes are not limited.
        expect((await limited.http.request('GET', '/summary_data')).status).toBe(200);
      } finally {
        await limited.close();
      }
    });
  });

  describe('security headers', () => {
    it('are sent on every API answer, 304s included, allowing nothing to load or frame it', async () => {
      const answer = await server().http.request('GET', '/summary_data');
      const notModified = await server().http.request('GET', '/summary_data', {
        headers: { 'if-none-match': answer.headers.get('etag') as string },
      });
      for (const { headers } of [answer, notModified]) {
        expect(headers.get('x-content-type-options')).toBe('nosniff');
        expect(headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
        expect(headers.get('cross-origin-resource-policy')).toBe('same-origin');
      }
      const error = await server().http.register('', '', 'VIP');
      expect(error.headers.get('x-content-type-options')).toBe('nosniff');
    });
  });
});

/** fetch() normalises "..", so traversal attempts go out on a raw socket. */
function rawGet(
  base: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

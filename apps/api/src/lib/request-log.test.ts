import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { loggingAppPerTest } from '../testing/harness.ts';

const loggingApp = loggingAppPerTest();

/** An app logging at `level`, and the lines it has logged about requests so far. */
async function appLoggingAt(level: string) {
  const { app, lines } = await loggingApp(level);
  // Lines about a request name it or its answer (at warn, requests log through the server's logger: no reqId).
  const requestLines = () => lines.filter((line) => line.req !== undefined || line.res !== undefined);
  return { app, requestLines };
}

const REGISTRATION = { first_name: 'Ann', last_name: 'Lee', ticket_type: 'VIP' };

describe('request logging', () => {
  it('at info, logs each request once it is answered, with the request, the answer and the time taken', async () => {
    const { app, requestLines } = await appLoggingAt('info');
    await app.inject({ method: 'POST', url: '/api/register', payload: REGISTRATION, remoteAddress: '192.0.2.7' });
    await app.inject({ method: 'GET', url: '/api/tickets/AAA-AAA' });

    expect(requestLines()).toMatchObject([
      {
        msg: 'request completed',
        req: { method: 'POST', url: '/api/register', remoteAddress: '192.0.2.7' },
        res: { statusCode: 201 },
        responseTime: expect.any(Number),
      },
      { msg: 'request completed', req: { method: 'GET', url: '/api/tickets/AAA-AAA' }, res: { statusCode: 401 } },
    ]);
  });

  it('at debug, also logs each request as it arrives', async () => {
    const { app, requestLines } = await appLoggingAt('debug');
    await app.inject({ method: 'POST', url: '/api/register', payload: REGISTRATION });

    const [arrived, answered] = requestLines();
    expect(arrived).toMatchObject({ msg: 'incoming request', req: { method: 'POST', url: '/api/register' } });
    expect(answered).toMatchObject({ msg: 'request completed', res: { statusCode: 201 } });
    expect(arrived?.reqId).toBe(answered?.reqId);
  });

  it('at info, logs a request refused before routing, such as a path that is not valid URL encoding', async () => {
    const { app, requestLines } = await appLoggingAt('info');
    const response = await app.inject({ method: 'GET', url: '/api/tickets/%E0%A4%A' });

    expect(response.statusCode).toBe(400);
    expect(requestLines()).toMatchObject([
      { msg: 'request completed', req: { method: 'GET', url: '/api/tickets/%E0%A4%A' }, res: { statusCode: 400 } },
    ]);
  });

  it('logs at info a request whose client went away before sending all of it', async () => {
    // At debug, so the client can hang up once the server has begun the request (its "incoming request" line).
    const { app, requestLines } = await appLoggingAt('debug');
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const { port } = app.server.address() as { port: number };
      const socket = connect(port, '127.0.0.1');
      await once(socket, 'connect');
      socket.write('POST /api/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n');
      socket.write('Content-Length: 100\r\n\r\n{"first_name":');
      await vi.waitFor(() => expect(requestLines()).toMatchObject([{ msg: 'incoming request' }]));
      socket.destroy();
      await vi.waitFor(() =>
        expect(requestLines()).toMatchObject([
          { msg: 'incoming request' },
          { level: 30, msg: 'request aborted by the client', req: { method: 'POST', url: '/api/register' } },
        ]),
      );
    } finally {
      await app.close();
    }
  });

  it('at warn, logs nothing of a request that went well', async () => {
    const { app, requestLines } = await appLoggingAt('warn');
    await app.inject({ method: 'POST', url: '/api/register', payload: REGISTRATION });

    expect(requestLines()).toEqual([]);
  });
});

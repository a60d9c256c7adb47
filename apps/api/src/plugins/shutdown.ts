// While the server closes, requests still arriving on open keep-alive connections are told to come back
// shortly, in the product's error shape, and the connection is closed so the client reconnects elsewhere.

import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { sendError } from './errors.ts';

export default fp(async function shutdown(app: FastifyInstance) {
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  // Registered after the security headers, so a refusal carries them too.
  app.addHook('onRequest', (_request, reply, done) => {
    if (!closing) return done();
    reply.header('Connection', 'close').header('Retry-After', '5');
    sendError(reply, 503, 'SHUTTING_DOWN', 'The server is restarting. Please try again in a few seconds.');
  });
});

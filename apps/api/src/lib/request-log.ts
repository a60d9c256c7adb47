// What is logged of each request: at info one line, once it is answered (or abandoned by its client),
// carrying the request (method, URL, client) as well as the answer and the time taken.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LogController } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Fastify's own logging of requests with its "incoming request" line moved down to debug, where a request that
 * never gets an answer can still be seen arriving, and the request's facts on the line that says how it was
 * answered: half the lines, and their cost, at the default level.
 */
export class RequestLogController extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return;
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    if (error) {
      reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    } else logAnswered(request, reply);
  }
}

/** A request's one line at info, once it is answered; also for answers Fastify gives before routing. */
export function logAnswered(request: FastifyRequest, reply: FastifyReply): void {
  reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
}

/**
 * A request whose client goes away before it is answered may never have an answer to log: this logs it, as the
 * "incoming request" line at info used to show it.
 */
export const abortedRequestLog = fp(
  async (app: FastifyInstance) => {
    app.addHook('onRequestAbort', async (request) => {
      request.log.info({ req: request }, 'request aborted by the client');
    });
  },
  { name: 'aborted-request-log' },
);

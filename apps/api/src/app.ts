// The whole HTTP application as one Fastify instance, built from its parts; it does not listen.

import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { DomainError } from '@ticketing/shared';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { MemoryIdempotencyStore } from './idempotency/memory.ts';
import type { IdempotencyStore } from './idempotency/types.ts';
import { abortedRequestLog, RequestLogController } from './lib/request-log.ts';
import auth from './plugins/auth.ts';
import errors, { clientError, frameworkError, sendError } from './plugins/errors.ts';
import idempotency from './plugins/idempotency.ts';
import securityHeaders from './plugins/security-headers.ts';
import staticClient from './plugins/static-client.ts';
import { validatorCompiler } from './plugins/validation.ts';
import capacity from './routes/capacity.ts';
import health from './routes/health.ts';
import queue from './routes/queue.ts';
import summary from './routes/summary.ts';
import tickets from './routes/tickets.ts';
import transactions from './routes/transactions.ts';
import type { TicketStore } from './store/types.ts';

declare module 'fastify' {
  interface FastifyInstance {
    store: TicketStore;
  }
}

export interface AppOptions {
  store: TicketStore;
  /** where Idempotency-Key answers live; in memory unless several servers share the event */
  idempotency?: IdempotencyStore;
  staffToken: string;
  /** registrations per minute per client; 0 turns the limit off */
  registerRateLimit: number;
  /** the built web client to serve, if any */
  webDist?: string | undefined;
  logger?: FastifyServerOptions['logger'];
  /** the reverse proxies in front of the server, by address or subnet (see Config) */
  trustProxy?: string[];
}

/** The log levels at which Fastify logs every request and its answer. */
const REQUEST_LOG_LEVELS = new Set(['info', 'debug', 'trace']);

/** Largest request body accepted: a registration is well under 1 KiB. */
export const BODY_LIMIT = 16 * 1024;

export async function buildApp(options: AppOptions) {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT,
    // By address, never true: trusting every hop would take the client's own X-Forwarded-For entries as its address.
    trustProxy: options.trustProxy?.length ? options.trustProxy : false,
    // Reject JSON that tries to pollute prototypes instead of silently dropping keys.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    routerOptions: { maxParamLength: 200 },
    // A request that still arrives while the server closes, on a connection already open, is served (the
    // store closes only after the last one) with Connection: close, rather than refused with Fastify's own 503.
    return503OnClosing: false,
    frameworkErrors: frameworkError,
    clientErrorHandler: clientError,
    // A logger of its own for every request costs a tenth of a trivial route's throughput. It is only worth it
    // when requests are logged (info and below); otherwise a request logs through the server's logger, and the
    // error handler names the request itself.
    childLoggerFactory: (logger, bindings, childOptions) =>
      REQUEST_LOG_LEVELS.has(logger.level) ? logger.child(bindings, childOptions) : logger,
    logController: new RequestLogController(),
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler());

  app.decorate('store', options.store);
  await app.register(abortedRequestLog);
  await app.register(errors, { clientRoot: options.webDist });
  await app.register(securityHeaders);
  // A JSON API: a body sent as text/plain is the wrong media type (415), not a string to validate.
  app.removeContentTypeParser('text/plain');
  parseJsonBodies(app);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.ceil(context.ttl / 1000);
      return {
        statusCode: 429,
        code: 'RATE_LIMITED',
        error: `Too many registrations from your address. Please wait ${seconds} s and try again.`,
        message: `Too many registrations from your address. Please wait ${seconds} s and try again.`,
      };
    },
  });
  await app.register(auth, { staffToken: options.staffToken });
  await app.register(idempotency, { store: options.idempotency ?? new MemoryIdempotencyStore() });

  await app.register(tickets, { registerRateLimit: options.registerRateLimit });
  await app.register(summary);
  await app.register(queue);
  await app.register(transactions);
  await app.register(capacity);
  await app.register(health);

  if (options.webDist) await app.register(staticClient, { root: options.webDist });
  else {
    app.get('/', async (_request, reply) =>
      sendError(reply, 404, 'NOT_FOUND', 'The web client is not built: run pnpm build, or use the API directly.'),
    );
  }
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;

/**
 * Fastify's JSON parser, but a route that takes no body (Process next) accepts an empty one, as many HTTP
 * clients send Content-Type: application/json on every request; and a compressed body is refused as such
 * (415), not read as broken JSON.
 */
function parseJsonBodies(app: FastifyInstance): void {
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser<string>('application/json', { parseAs: 'string' }, (request, body, done) => {
    const encoding = request.headers['content-encoding']?.trim().toLowerCase();
    if (encoding && encoding !== 'identity') {
      return done(
        new DomainError('UNSUPPORTED_MEDIA_TYPE', `Send the request body uncompressed, not as ${encoding}.`),
        undefined,
      );
    }
    if (body === '' && !request.routeOptions.schema?.body) return done(null, undefined);
    json(request, body, done);
  });
}

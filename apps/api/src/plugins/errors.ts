// The one place errors become responses: every failure leaves as {error, code, details?} with a fitting
// status, and a 5xx never shows internals.

import { DomainError, type ErrorCode, MESSAGES } from '@ticketing/shared';
import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { StorageUnavailableError } from '../store/types.ts';
import { isPageRequest } from './static-client.ts';

export function sendError(reply: FastifyReply, status: number, code: ErrorCode, error: string, details?: unknown) {
  return reply.code(status).send(details === undefined ? { error, code } : { error, code, details });
}

// Fastify's own client errors, by its error codes, as product errors.
const FRAMEWORK_ERRORS: Record<string, [number, ErrorCode, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'INVALID_JSON', 'The request body is empty; send a JSON object.'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'INVALID_JSON', 'The request body is not valid JSON.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'VALIDATION_ERROR', 'The Content-Length header does not match the body.'],
};

type ValidationIssue = NonNullable<FastifyError['validation']>[number];

/** Turns JSON-schema findings into the sentences the original app used, where it had one. */
function validationMessage(issues: ValidationIssue[], context: string | undefined): string {
  const fields = issues.map((issue) => {
    const missing = issue.keyword === 'required' ? String(issue.params.missingProperty ?? '') : '';
    return missing || issue.instancePath.replace(/^\//, '').split('/')[0] || '';
  });
  if (context === 'body' && fields.some((f) => f === 'first_name' || f === 'last_name')) return MESSAGES.nameRequired;
  if (context === 'body' && fields.includes('ticket_type')) return MESSAGES.invalidTicketType;
  const first = issues[0];
  const where = fields[0] ? `${fields[0]} ` : '';
  if (first?.keyword === 'type' && !fields[0]) return `The request ${context ?? 'input'} must be a JSON object.`;
  return `Invalid ${context ?? 'input'}: ${where}${first?.message ?? 'is not valid'}.`;
}

/**
 * The request's logger, naming the request: a request has a logger of its own only when requests are logged
 * (see app.ts), and otherwise shares the server's, which this binds to the request for the one message.
 */
function requestLog(app: FastifyInstance, request: FastifyRequest): FastifyBaseLogger {
  return request.log === app.log ? app.log.child({ reqId: request.id }) : request.log;
}

export default fp(async function errors(app: FastifyInstance, options: { serveClientPages: boolean }) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DomainError) return sendError(reply, error.status, error.code, error.message, error.details);
    if (error instanceof StorageUnavailableError) {
      requestLog(app, request).error({ err: error.cause ?? error }, 'storage unavailable');
      reply.header('Retry-After', '5');
      return sendError(
        reply,
        503,
        'STORAGE_UNAVAILABLE',
        'Tickets cannot be saved right now; nothing was changed. Please try again shortly.',
      );
    }
    if (error.validation) {
      return sendError(reply, 400, 'VALIDATION_ERROR', validationMessage(error.validation, error.validationContext), {
        issues: error.validation.map((issue) => ({ path: issue.instancePath, message: issue.message })),
      });
    }
    const known = error.code ? FRAMEWORK_ERRORS[error.code] : undefined;
    if (known) return sendError(reply, ...known);
    if (error.statusCode === 429) {
      return sendError(reply, 429, 'RATE_LIMITED', error.message);
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      // Anything else the framework rejects as the client's fault (prototype poisoning, bad headers...).
      return sendError(reply, error.statusCode, 'VALIDATION_ERROR', error.message);
    }
    requestLog(app, request).error({ err: error }, 'unexpected error');
    return sendError(reply, 500, 'INTERNAL_ERROR', 'Something went wrong on our side. Please try again.');
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (options.serveClientPages && isPageRequest(request.method, path)) {
      return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
    }
    return sendError(reply, 404, 'NOT_FOUND', `There is no ${request.method} ${path.slice(0, 200)}.`);
  });
});

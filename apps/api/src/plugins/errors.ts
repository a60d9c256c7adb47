// The one place errors become responses: every failure leaves as {error, code, details?} with a fitting
// status, and a 5xx never shows internals.

import { readFile } from 'node:fs/promises';
import { STATUS_CODES } from 'node:http';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { clientPageAt, DomainError, type ErrorCode, MESSAGES } from '@ticketing/shared';
import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { logAnswered } from '../lib/request-log.ts';
import { StorageUnavailableError } from '../store/types.ts';
import { API_HEADERS } from './security-headers.ts';
import { isPageRequest } from './static-client.ts';

export function sendError(reply: FastifyReply, status: number, code: ErrorCode, error: string, details?: unknown) {
  return reply.code(status).send(details === undefined ? { error, code } : { error, code, details });
}

const PATH_TOO_LONG: [number, ErrorCode, string] = [414, 'URI_TOO_LONG', 'The request path is too long.'];

// Fastify's own client errors, by its error codes, as product errors.
const FRAMEWORK_ERRORS: Record<string, [number, ErrorCode, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'INVALID_JSON', 'The request body is empty; send a JSON object.'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'INVALID_JSON', 'The request body is not valid JSON.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'VALIDATION_ERROR', 'The Content-Length header does not match the body.'],
  // Met before routing (see frameworkError).
  FST_ERR_BAD_URL: [400, 'VALIDATION_ERROR', 'The request path is not valid URL encoding.'],
  FST_ERR_MAX_PARAM_LENGTH: PATH_TOO_LONG,
};

const INTERNAL_ERROR_MESSAGE = 'Something went wrong on our side. Please try again.';

type ValidationIssue = NonNullable<FastifyError['validation']>[number];

/** Where a finding is: the JSON pointer of the value, or of the property that is missing. */
function issuePath(issue: ValidationIssue): string {
  const missing = issue.keyword === 'required' ? issue.params.missingProperty : undefined;
  return missing === undefined ? issue.instancePath : `${issue.instancePath}/${String(missing)}`;
}

/** The top-level field a finding is about, or '' when it is about the input as a whole. */
const fieldOf = (issue: ValidationIssue) => issuePath(issue).split('/')[1] ?? '';

/** Turns JSON-schema findings into the sentences the original app used, where it had one. */
function validationMessage(issues: ValidationIssue[], context: string | undefined): string {
  const fields = issues.map(fieldOf);
  const nameIssue =
    context === 'body' ? issues.find((_, i) => fields[i] === 'first_name' || fields[i] === 'last_name') : undefined;
  if (nameIssue) return nameIssue.keyword === 'maxLength' ? MESSAGES.nameTooLong : MESSAGES.nameRequired;
  if (context === 'body' && fields.includes('ticket_type')) return MESSAGES.invalidTicketType;
  const first = issues[0];
  const where = fields[0] ? `${fields[0]} ` : '';
  if (first?.keyword === 'type' && !fields[0]) return `The request ${context ?? 'input'} must be a JSON object.`;
  const said = first && (allowedValues(issues, first) ?? plainly(first));
  return `Invalid ${context ?? 'input'}: ${where}${said ?? first?.message ?? 'is not valid'}.`;
}

/**
 * The findings as details, in the same words as the message: one entry per value, so a value that must be one of
 * several constants is one "must be one of …", not a "must be equal to constant" per constant and an "anyOf" after.
 */
function issueDetails(issues: ValidationIssue[]): { path: string; message: string }[] {
  const byPath = new Map<string, string>();
  for (const issue of issues) {
    const path = issuePath(issue);
    if (byPath.has(path)) continue;
    byPath.set(path, allowedValues(issues, issue) ?? plainly(issue) ?? issue.message ?? 'is not valid');
  }
  return [...byPath].map(([path, message]) => ({ path, message }));
}

/** "must be one of …" for a value that must equal one of several (a union of constants, or an enum). */
function allowedValues(issues: ValidationIssue[], first: ValidationIssue): string | undefined {
  const path = issuePath(first);
  const allowed = issues.flatMap((issue) => {
    if (issuePath(issue) !== path) return [];
    if (issue.keyword === 'const') return [issue.params.allowedValue];
    if (issue.keyword === 'enum') return issue.params.allowedValues as unknown[];
    return [];
  });
  return allowed.length > 0 ? `must be one of ${allowed.map(String).join(', ')}` : undefined;
}

/** The common findings in words rather than JSON Schema's ("must be >= 0", "must NOT have fewer than 1 characters"). */
function plainly(issue: ValidationIssue): string | undefined {
  const { limit, type } = issue.params as { limit?: number; type?: string };
  switch (issue.keyword) {
    case 'minimum':
      return `must be at least ${limit}`;
    case 'maximum':
      return `must be at most ${limit}`;
    case 'minLength':
      return limit === 1 ? 'must not be empty' : `must be at least ${limit} characters`;
    case 'maxLength':
      return `must be at most ${limit} characters`;
    case 'required':
      return 'is required';
    case 'type':
      return type === 'integer' ? 'must be a whole number' : `must be a ${type}`;
    default:
      return undefined;
  }
}

/**
 * The request's logger, naming the request: a request has a logger of its own only when requests are logged
 * (see app.ts), and otherwise shares the server's, which this binds to the request for the one message.
 */
function requestLog(app: FastifyInstance, request: FastifyRequest): FastifyBaseLogger {
  return request.log === app.log ? app.log.child({ reqId: request.id }) : request.log;
}

/** Errors Fastify meets before a request has a route (its frameworkErrors option). */
export function frameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  reply.headers(API_HEADERS);
  const known = FRAMEWORK_ERRORS[error.code];
  if (!known) {
    reply.log.error({ req: request, err: error }, 'unexpected error before routing');
    return sendError(reply, 500, 'INTERNAL_ERROR', INTERNAL_ERROR_MESSAGE);
  }
  const sent = sendError(reply, ...known);
  // Fastify logs no answer to a request it refuses before routing: this is the request's line.
  logAnswered(request, reply);
  return sent;
}

const CLIENT_ERRORS: Record<string, [number, ErrorCode, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'HEADERS_TOO_LARGE', 'The request headers are too large.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'REQUEST_TIMEOUT', 'The request took too long to arrive.'],
};

/**
 * A request Node's HTTP parser refused before Fastify saw it (headers too large, not HTTP, too slow): answered
 * on the raw socket, as Node does, but in the product's shape (Fastify's clientErrorHandler option).
 */
export function clientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  // A reset connection has nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] = CLIENT_ERRORS[error.code ?? ''] ?? [
    400,
    'VALIDATION_ERROR',
    'The request is not valid HTTP.',
  ];
  const body = JSON.stringify({ error: message, code });
  const headers = {
    ...API_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    Connection: 'close',
  };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  if (socket.writable) socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head.join('')}\r\n${body}`);
  socket.destroy(error);
}

/** The methods each route's path answers, so a wrong method (405) is told apart from a wrong path (404). */
class RouteMethods {
  private readonly byUrl = new Map<string, { pattern: RegExp; methods: Set<string> }>();

  add(url: string, methods: string[]): void {
    // Wildcards (the web client's files) would claim every path; a wrong method there is a plain 404.
    if (url.includes('*')) return;
    let route = this.byUrl.get(url);
    if (!route) {
      const pattern = url
        .split('/')
        .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('/');
      route = { pattern: new RegExp(`^${pattern}$`), methods: new Set() };
      this.byUrl.set(url, route);
    }
    for (const method of methods) route.methods.add(method);
  }

  /** The methods some route answers at this path, sorted; empty when no route has the path. */
  allowed(path: string): string[] {
    const methods = new Set<string>();
    for (const route of this.byUrl.values()) {
      if (route.pattern.test(path)) for (const method of route.methods) methods.add(method);
    }
    return [...methods].sort();
  }
}

/** clientRoot: the built web client's directory, when the server serves it */
export default fp(async function errors(app: FastifyInstance, options: { clientRoot?: string | undefined }) {
  const routeMethods = new RouteMethods();
  app.addHook('onRoute', (route) => {
    routeMethods.add(route.url, Array.isArray(route.method) ? route.method : [route.method]);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DomainError) return sendError(reply, error.status, error.code, error.message, error.details);
    if (error instanceof StorageUnavailableError) {
      requestLog(app, request).error({ err: error.cause ?? error }, 'storage unavailable');
      reply.header('Retry-After', '5');
      const reading = request.method === 'GET' || request.method === 'HEAD';
      return sendError(
        reply,
        503,
        'STORAGE_UNAVAILABLE',
        reading
          ? 'Tickets cannot be read right now. Please try again shortly.'
          : 'Tickets cannot be saved right now; nothing was changed. Please try again shortly.',
      );
    }
    if (error.validation) {
      // The field is named as the checks after the schema name it, so a form can mark it either way.
      const field = fieldOf(error.validation[0] as ValidationIssue);
      return sendError(reply, 400, 'VALIDATION_ERROR', validationMessage(error.validation, error.validationContext), {
        ...(field && { field }),
        issues: issueDetails(error.validation),
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
    return sendError(reply, 500, 'INTERNAL_ERROR', INTERNAL_ERROR_MESSAGE);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (options.clientRoot && isPageRequest(request.method, path)) {
      reply.header('Cache-Control', 'no-cache');
      if (clientPageAt(path)) return reply.sendFile('index.html');
      // The client shows its own "Page not found"; the status tells crawlers, link checkers and curl too. Sent
      // whole, never as a 304 or a range of index.html, which under a 404 would leave a blank page.
      return readFile(join(options.clientRoot, 'index.html')).then((html) =>
        reply.code(404).type('text/html; charset=utf-8').send(html),
      );
    }
    const shown = path.slice(0, 200);
    // One of the web client's pages, asked with another method than GET (handled above) or HEAD.
    if (options.clientRoot && clientPageAt(path)) {
      reply.header('Allow', 'GET, HEAD');
      return sendError(reply, 405, 'METHOD_NOT_ALLOWED', `${shown} is a page: it takes GET or HEAD.`);
    }
    const allowed = routeMethods.allowed(path);
    // A route takes this method at this path, yet the router matched none: a part of the path is longer than
    // the router takes (maxParamLength). Without the client's catch-all route, Fastify says so itself.
    if (allowed.includes(request.method)) return sendError(reply, ...PATH_TOO_LONG);
    if (allowed.length > 0) {
      reply.header('Allow', allowed.join(', '));
      return sendError(
        reply,
        405,
        'METHOD_NOT_ALLOWED',
        `${shown} does not take ${request.method}; use ${allowed.join(' or ')}.`,
      );
    }
    return sendError(reply, 404, 'NOT_FOUND', `There is no ${request.method} ${shown}.`);
  });
});

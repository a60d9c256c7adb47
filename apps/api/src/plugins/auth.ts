// Who is asking: staff (the staff token) or a ticket's owner (that ticket's token). Tokens are compared
// as SHA-256 digests in constant time, so neither their content nor their length leaks through timing.

import { hash, timingSafeEqual } from 'node:crypto';
import { DomainError } from '@ticketing/shared';
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { hookList } from '../lib/route-hooks.ts';

// One call instead of a Hash object per token: every staff and owner request hashes its bearer token.
const sha256 = (token: string): Buffer => hash('sha256', token, 'buffer');

/** The SHA-256 of a token in hex, as tickets store it. */
export const hashToken = (token: string): string => hash('sha256', token, 'hex');

export { randomToken as newToken } from '../lib/random.ts';

function sameDigest(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/** SHA-256 of the request's bearer token, worked out once per request however often it is asked; null without one. */
function bearerDigest(request: FastifyRequest): Buffer | null {
  if (request.bearerTokenDigest === undefined) {
    const token = bearerToken(request);
    request.bearerTokenDigest = token === undefined ? null : sha256(token);
  }
  return request.bearerTokenDigest;
}

/** Who may call a route: checked as the request arrives, before its body is read or checked. */
export type RouteAuth = 'staff' | 'owner-or-staff';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * 'staff': only with the staff token. 'owner-or-staff': only with a token, whose ticket the handler checks
     * (requireOwnerOrStaff), as only it knows the ticket. Without the right credentials the answer is 401/403,
     * never a validation error, so a caller without them learns nothing about what a request may hold.
     */
    auth?: RouteAuth;
  }

  interface FastifyRequest {
    /** bearerDigest's answer once worked out (a request field: a WeakMap entry per request costs the collector) */
    bearerTokenDigest: Buffer | null | undefined;
    /** true when the request carries the staff token */
    isStaff(): boolean;
    /** who is asking, as the SHA-256 (hex) of the bearer token however its header is written; '' without one */
    caller(): string;
    /** throws 401/403 unless the request carries the staff token */
    requireStaff(): void;
    /** throws 401/403/404 unless the request is staff or carries the token whose hash is given (undefined: no such ticket) */
    requireOwnerOrStaff(ownerTokenHash: string | undefined): void;
  }
}

const ownerTokenMissing = () =>
  new DomainError('UNAUTHORIZED', "This needs the ticket's token (given at registration) or the staff token.");

export default fp(async function auth(app: FastifyInstance, options: { staffToken: string }) {
  const staffDigest = sha256(options.staffToken);
  app.decorateRequest('bearerTokenDigest', undefined);

  app.decorateRequest('isStaff', function (this: FastifyRequest) {
    const digest = bearerDigest(this);
    return digest !== null && sameDigest(digest, staffDigest);
  });

  app.decorateRequest('caller', function (this: FastifyRequest) {
    return bearerDigest(this)?.toString('hex') ?? '';
  });

  app.decorateRequest('requireStaff', function (this: FastifyRequest) {
    if (bearerDigest(this) === null) {
      throw new DomainError('UNAUTHORIZED', 'Staff sign-in is required: send the staff token as a Bearer token.');
    }
    if (!this.isStaff()) throw new DomainError('FORBIDDEN', 'That staff token is not valid.');
  });

  app.decorateRequest('requireOwnerOrStaff', function (this: FastifyRequest, ownerTokenHash: string | undefined) {
    const digest = bearerDigest(this);
    if (digest === null) throw ownerTokenMissing();
    if (this.isStaff()) return;
    if (ownerTokenHash === undefined) throw new DomainError('TICKET_NOT_FOUND', 'Ticket not found');
    if (ownerTokenHash && sameDigest(digest, Buffer.from(ownerTokenHash, 'hex'))) return;
    throw new DomainError('FORBIDDEN', 'That token does not belong to this ticket.');
  });

  // Checked by the routes that need a token, and only by them: a public route (the polled summary) runs no
  // auth code at all. Before the route's other hooks, so nothing else is done for a caller turned away.
  const checks: Record<RouteAuth, onRequestHookHandler> = {
    staff: (request, _reply, done) => {
      try {
        request.requireStaff();
      } catch (error) {
        return done(error as Error);
      }
      done();
    },
    'owner-or-staff': (request, _reply, done) => done(bearerDigest(request) === null ? ownerTokenMissing() : undefined),
  };
  app.addHook('onRoute', (route) => {
    const auth = route.config?.auth;
    if (auth !== undefined) route.onRequest = [checks[auth], ...hookList(route.onRequest)];
  });
});

// Idempotency-Key for POST routes: a retry with the same key and body gets the first answer and does
// nothing twice; the same key with another body is refused (422); a retry while the first attempt is
// still running is told to wait (409). Answers are kept in memory for a day (bounded in number).

import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { sendError } from './errors.ts';

const TTL_MS = 24 * 60 * 60 * 1000;
const MAX_KEYS = 100_000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

type Entry =
  | { state: 'in_flight'; fingerprint: string; expires: number }
  | { state: 'done'; fingerprint: string; expires: number; status: number; body: string; contentType: string };

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey?: string;
  }
}

export default fp(async function idempotency(app: FastifyInstance) {
  // Insertion order = age, so the oldest entries are first to go.
  const entries = new Map<string, Entry>();

  const evict = (now: number) => {
    for (const [key, entry] of entries) {
      if (entry.expires > now && entries.size <= MAX_KEYS) break;
      if (entry.state === 'done' || entry.expires <= now) entries.delete(key);
    }
  };

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined) return;
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      return sendError(reply, 400, 'VALIDATION_ERROR', 'Idempotency-Key must be 1 to 255 visible ASCII characters.');
    }
    // Keys are scoped by caller and route, so one client's key can never replay another's answer.
    const scope = createHash('sha256')
      .update(`${request.headers.authorization ?? ''}\n${request.routeOptions.url}\n${key}`)
      .digest('hex');
    const fingerprint = createHash('sha256')
      .update(JSON.stringify(request.body ?? null))
      .digest('hex');
    const now = Date.now();
    evict(now);
    const existing = entries.get(scope);
    if (existing && existing.expires > now) {
      if (existing.fingerprint !== fingerprint) {
        return sendError(
          reply,
          422,
          'IDEMPOTENCY_MISMATCH',
          'This Idempotency-Key was already used with a different request body.',
        );
      }
      if (existing.state === 'in_flight') {
        reply.header('Retry-After', '1');
        return sendError(
          reply,
          409,
          'IDEMPOTENCY_IN_FLIGHT',
          'A request with this Idempotency-Key is still being processed.',
        );
      }
      reply.header('Idempotent-Replayed', 'true').header('content-type', existing.contentType);
      return reply.code(existing.status).send(existing.body);
    }
    entries.set(scope, { state: 'in_flight', fingerprint, expires: now + TTL_MS });
    request.idempotencyKey = scope;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const scope = request.idempotencyKey;
    if (!scope) return payload;
    const entry = entries.get(scope);
    if (entry?.state !== 'in_flight') return payload;
    // A 5xx did nothing, so a retry must be allowed to try again; anything else is the answer.
    if (reply.statusCode >= 500) entries.delete(scope);
    else {
      entries.set(scope, {
        state: 'done',
        fingerprint: entry.fingerprint,
        expires: entry.expires,
        status: reply.statusCode,
        body: typeof payload === 'string' ? payload : String(payload ?? ''),
        contentType: String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8'),
      });
    }
    return payload;
  });

  // A request that never got to send (client went away mid-handler) must not leave the key stuck.
  app.addHook('onResponse', async (request) => {
    const scope = request.idempotencyKey;
    if (scope && entries.get(scope)?.state === 'in_flight') entries.delete(scope);
  });
});

// Idempotency-Key for POST routes: a retry with the same key and body gets the first answer and does
// nothing twice; the same key with another body is refused (422); a retry while the first attempt is
// still running is told to wait (409). Where answers are kept is the IdempotencyStore's business.

import { hash } from 'node:crypto';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onResponseHookHandler,
  onSendHookHandler,
  preHandlerHookHandler,
} from 'fastify';
import fp from 'fastify-plugin';
import { type IdempotencyClaim, type IdempotencyStore, KEY_MISMATCH_MESSAGE } from '../idempotency/types.ts';
import { hookList } from '../lib/route-hooks.ts';
import { sendError } from './errors.ts';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

declare module 'fastify' {
  interface FastifyInstance {
    idempotency: IdempotencyStore;
  }
  interface FastifyRequest {
    /** set when this request holds an Idempotency-Key claim: the key scoped to caller and route */
    idempotencyClaim?: IdempotencyClaim;
  }
  interface FastifyContextConfig {
    idempotency?: {
      /**
       * Run again, a request of this route under the same key finds the change an earlier attempt made
       * instead of making it twice (a registration: its ticket id comes from the key), so an attempt whose
       * answer was lost is run again rather than answered 409 IDEMPOTENCY_ANSWER_LOST.
       */
      rerunFindsEarlierChange?: boolean;
    };
  }
}

/** A stored answer never holds a ticket token; a replay derives it again from the key. */
function withoutToken(payload: string): string {
  try {
    const body = JSON.parse(payload);
    if (body && typeof body === 'object' && 'token' in body) {
      const { token: _secret, ...rest } = body;
      return JSON.stringify(rest);
    }
  } catch {}
  return payload;
}

function withToken(payload: string, token: string, status: number): string {
  if (status !== 201) return payload;
  try {
    return JSON.stringify({ ...JSON.parse(payload), token });
  } catch {
    return payload;
  }
}

/**
 * A body as JSON with every object's fields in one order: a retry that lists its fields differently (or spaces
 * them differently) is the same request, while any change of a value is another.
 */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, field: unknown) =>
    field !== null && typeof field === 'object' && !Array.isArray(field)
      ? Object.fromEntries(Object.entries(field).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : field,
  );
}

/** Answers below 500 that are not kept against their key (see keepAnswer). */
const FORGOTTEN_ANSWERS = new Set([401, 403, 422]);

export default fp(async function idempotency(app: FastifyInstance, options: { store: IdempotencyStore }) {
  const store = options.store;
  app.decorate('idempotency', store);

  /** Claims the request's key; resolves to the reply when it answered the request itself. */
  const claimKey = async (request: FastifyRequest, reply: FastifyReply, key: string | string[]) => {
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      return sendError(reply, 400, 'VALIDATION_ERROR', 'Idempotency-Key must be 1 to 255 visible ASCII characters.');
    }
    // Keys are scoped by caller and route, so one client's key can never replay another's answer; the caller
    // is the token, not how its header is written ("bearer" or "Bearer", spaces), which would make a retry new.
    const scope = hash('sha256', `${request.caller()}\n${request.routeOptions.url}\n${key}`, 'hex');
    const fingerprint = hash('sha256', canonicalJson(request.body ?? null), 'hex');
    const claim = await store.claim(scope, fingerprint, {
      rerunLost: request.routeOptions.config.idempotency?.rerunFindsEarlierChange === true,
    });
    if (claim.state === 'mismatch') {
      return sendError(reply, 422, 'IDEMPOTENCY_MISMATCH', KEY_MISMATCH_MESSAGE);
    }
    if (claim.state === 'answer_lost') {
      return sendError(
        reply,
        409,
        'IDEMPOTENCY_ANSWER_LOST',
        'This request was carried out, but the server answering it stopped before its answer was kept. Check the ticket or the queue for its outcome.',
      );
    }
    if (claim.state === 'in_flight') {
      reply.header('Retry-After', '1');
      return sendError(
        reply,
        409,
        'IDEMPOTENCY_IN_FLIGHT',
        'A request with this Idempotency-Key is still being processed.',
      );
    }
    if (claim.state === 'done') {
      const { status, body, contentType, location } = claim.answer;
      reply.header('Idempotent-Replayed', 'true').header('content-type', contentType);
      if (location) reply.header('Location', location);
      return reply.code(status).send(withToken(body, store.ticketToken(scope), status));
    }
    request.idempotencyClaim = claim.claim;
    return undefined;
  };

  const keepAnswer = async (
    request: FastifyRequest,
    reply: FastifyReply,
    payload: unknown,
    claim: IdempotencyClaim,
  ) => {
    request.idempotencyClaim = undefined;
    try {
      // A 5xx did nothing, so a retry must be allowed to try again; a 422 found the key used by another
      // request (see the register route), whose retries must still find it; a 401 or 403 did nothing for a
      // caller who could not sign in, and keeping it would let anyone fill the key store. Anything else is
      // the answer.
      if (reply.statusCode >= 500 || FORGOTTEN_ANSWERS.has(reply.statusCode)) await store.release(claim);
      else {
        const text = typeof payload === 'string' ? payload : String(payload ?? '');
        const location = reply.getHeader('location');
        await store.complete(claim, {
          status: reply.statusCode,
          // Only a registration (201) carries a token; other answers are stored as they are.
          body: reply.statusCode === 201 ? withoutToken(text) : text,
          contentType: String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8'),
          ...(location === undefined ? {} : { location: String(location) }),
        });
      }
    } catch (error) {
      // The change is made (or refused) whatever became of its key: this request still gets its real answer.
      // A retry finds the claim in flight, then, once its lease runs out, told the answer was lost.
      request.log.error({ err: error }, 'could not keep the answer of an Idempotency-Key request');
    }
    return payload;
  };

  // The hooks take callbacks, so that a request without a key (nearly all) passes them without making a
  // promise and waiting a turn for it; only keyed requests go on to the asynchronous work above.
  const claimHook: preHandlerHookHandler = (request, reply, done) => {
    const key = request.headers['idempotency-key'];
    if (key === undefined) return done();
    // A hook that answered the request itself does not go on.
    claimKey(request, reply, key).then((answered) => answered ?? done(), done);
  };

  const keepHook: onSendHookHandler = (request, reply, payload, done) => {
    const claim = request.idempotencyClaim;
    if (!claim) return done(null, payload);
    keepAnswer(request, reply, payload, claim).then((kept) => done(null, kept), done);
  };

  // A request that ended without sending (the client went away) must not leave its key stuck.
  const releaseHook: onResponseHookHandler = (request, _reply, done) => {
    const claim = request.idempotencyClaim;
    if (!claim) return done();
    store.release(claim).then(
      () => done(),
      (error: unknown) => {
        request.log.error({ err: error }, 'could not release an Idempotency-Key claim');
        done();
      },
    );
  };

  // Only POST routes take keys, so only they carry the hooks: GETs (polled summaries) pay nothing.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.includes('POST')) return;
    route.preHandler = [...hookList(route.preHandler), claimHook];
    route.onSend = [...hookList(route.onSend), keepHook];
    route.onResponse = [...hookList(route.onResponse), releaseHook];
  });
});

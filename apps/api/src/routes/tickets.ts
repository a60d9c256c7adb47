// Registration, a ticket's live state, purchase (process up to me), staff's process-next, and cancellation.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  type CancelBody,
  CancelBodySchema,
  CancelResponseSchema,
  checkRegistration,
  DomainError,
  ErrorSchema,
  normaliseTicketId,
  ProcessNextResponseSchema,
  ProcessUserResponseSchema,
  RegisterBodySchema,
  type RegisterResponse,
  RegisterResponseSchema,
  TicketIdBodySchema,
  TicketIdSchema,
  TicketSchema,
  type TicketView,
} from '@ticketing/shared';
import type { FastifyRequest } from 'fastify';
import { keyedTicketId } from '../idempotency/keyed-ticket-id.ts';
import { hashToken, newToken } from '../plugins/auth.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

/** Every field of T, the optional ones too (undefined when absent), so none can be left out unnoticed. */
type EveryField<T> = { [K in keyof Required<T>]: T[K] };

/**
 * The answer to a registration: the ticket as it stands, its token, and the line it joined. Field by field
 * rather than a spread of the ticket, for the reason toTransaction gives: this runs on every registration.
 */
function registeredAnswer(
  ticket: TicketView,
  token: string,
  current_queue_length: number,
): EveryField<RegisterResponse> {
  return {
    id: ticket.id,
    first_name: ticket.first_name,
    last_name: ticket.last_name,
    ticket_type: ticket.ticket_type,
    status: ticket.status,
    created_at: ticket.created_at,
    token,
    queue_position: ticket.queue_position ?? 0,
    people_ahead: ticket.people_ahead ?? 0,
    waitlist_position: ticket.waitlist_position,
    estimated_wait_seconds: ticket.estimated_wait_seconds,
    current_queue_length,
  };
}

const tickets: FastifyPluginAsyncTypebox<{ registerRateLimit: number }> = async (app, options) => {
  const { store } = app;
  let warnedOfProxy = false;
  /**
   * The address a registration counts against. A proxy that TRUST_PROXY does not name makes every attendee
   * behind it one address, so the whole on-sale shares one limit: said once in the log, with the fix.
   */
  const rateLimitKey = (request: FastifyRequest): string => {
    if (!warnedOfProxy) warnOfUntrustedProxy(request);
    return request.ip;
  };
  const warnOfUntrustedProxy = (request: FastifyRequest) => {
    // request.ips runs from the peer to the client when the peer is a trusted proxy; without one, it is unset.
    if (request.headers['x-forwarded-for']?.toString().trim() && (request.ips?.length ?? 1) === 1) {
      warnedOfProxy = true;
      const peer = request.socket.remoteAddress;
      request.log.warn(
        `Registrations arrive with X-Forwarded-For from ${peer}, which TRUST_PROXY does not name, so every attendee sending through it counts as ${peer} against REGISTER_RATE_LIMIT. If ${peer} is a reverse proxy of yours, name it in TRUST_PROXY.`,
      );
    }
  };
  const actorOf = (request: FastifyRequest): 'staff' | 'attendee' => (request.isStaff() ? 'staff' : 'attendee');

  /** Loads the owner's token hash and checks the caller may act on this ticket. */
  async function authorise(request: FastifyRequest, id: string): Promise<string> {
    const ticketId = normaliseTicketId(id);
    request.requireOwnerOrStaff(await store.ownerTokenHash(ticketId));
    return ticketId;
  }

  app.post(
    '/api/register',
    {
      schema: {
        body: RegisterBodySchema,
        response: { 201: RegisterResponseSchema, 400: ErrorSchema, 429: ErrorSchema },
      },
      config: {
        idempotency: { rerunFindsEarlierChange: true },
        ...(options.registerRateLimit > 0 && {
          rateLimit: { max: options.registerRateLimit, timeWindow: 60_000, keyGenerator: rateLimitKey },
        }),
      },
    },
    async (request, reply) => {
      const checked = checkRegistration(request.body);
      if (!checked.ok) throw new DomainError('VALIDATION_ERROR', checked.message, { field: checked.field });
      const { first_name, last_name, ticket_type } = checked.value;
      // Under an Idempotency-Key the token is derived from the key, so a replay can hand it out again.
      const claim = request.idempotencyClaim;
      const token = claim ? app.idempotency.ticketToken(claim.scope) : newToken();
      const { ticket, current_queue_length, replayed } = await store.register(
        {
          first_name,
          last_name,
          ticket_type,
          token_hash: hashToken(token),
          // Ids from the key too, so a retry the server no longer remembers (it restarted) finds its ticket.
          ids: claim && ((attempt: number) => keyedTicketId(token, attempt)),
        },
        { actor: actorOf(request), claim },
      );
      if (replayed) reply.header('Idempotent-Replayed', 'true');
      reply.code(201).header('Location', `/api/tickets/${ticket.id}`);
      return registeredAnswer(ticket, token, current_queue_length);
    },
  );

  app.get(
    '/api/tickets/:id',
    {
      schema: { params: Type.Object({ id: TicketIdSchema }), response: { 200: TicketSchema, ...errors } },
      config: { auth: 'owner-or-staff' },
    },
    async (request) => {
      const found = await store.ticket(normaliseTicketId(request.params.id));
      request.requireOwnerOrStaff(found?.ownerTokenHash);
      if (!found) throw new DomainError('TICKET_NOT_FOUND', 'Ticket not found');
      return found.ticket;
    },
  );

  app.post(
    '/api/process_user',
    {
      schema: { body: TicketIdBodySchema, response: { 200: ProcessUserResponseSchema, ...errors } },
      config: { auth: 'owner-or-staff' },
    },
    async (request) => {
      const id = await authorise(request, request.body.id);
      const { updates, ticket, remaining_tickets } = await store.processUpTo(id, {
        actor: actorOf(request),
        claim: request.idempotencyClaim,
      });
      return { updates, final_status: ticket.status, ticket, remaining_tickets };
    },
  );

  app.post(
    '/api/process_next',
    {
      schema: { response: { 200: ProcessNextResponseSchema, 401: ErrorSchema, 403: ErrorSchema } },
      config: { auth: 'staff' },
    },
    async (request) => {
      const { processed, remaining_tickets } = await store.processNext({
        actor: 'staff',
        claim: request.idempotencyClaim,
      });
      return processed
        ? { processed, status: processed.status, remaining_tickets }
        : { processed: null, message: 'No users in queue.', remaining_tickets };
    },
  );

  app.delete(
    '/api/cancel_ticket',
    {
      schema: { body: CancelBodySchema, response: { 200: CancelResponseSchema, ...errors } },
      // By id its owner or staff; by name staff only (findByName).
      config: { auth: 'owner-or-staff' },
    },
    async (request) => {
      const { id: given, first_name, last_name, ticket_type } = request.body;
      if (given !== undefined && (first_name ?? last_name ?? ticket_type) !== undefined) {
        // Names that disagree with the id would be ignored, and the wrong person could lose their ticket.
        throw new DomainError('VALIDATION_ERROR', 'Give the ticket id, or its names and type, not both.', {
          field: 'id',
        });
      }
      const id = given !== undefined ? await authorise(request, given) : await findByName(request, request.body);
      const { ticket, promoted, remaining_tickets } = await store.cancel(
        id,
        { actor: actorOf(request) },
        request.body.expected_status,
      );
      const message = promoted
        ? `Ticket ${ticket.id} cancelled; its seat went to ${promoted.first_name} ${promoted.last_name} (${promoted.id}) from the waitlist.`
        : `Ticket ${ticket.id} cancelled.`;
      return { message, ticket, promoted, remaining_tickets };
    },
  );

  /** The original app cancelled by name; staff may still do so when exactly one ticket matches. */
  async function findByName(request: FastifyRequest, body: CancelBody): Promise<string> {
    // The route took a token already. An owner's lands here with the id missing (sent as "ticket_id", say):
    // told that the id goes in "id", not that their token is no staff token.
    if (!request.isStaff()) {
      throw new DomainError(
        'FORBIDDEN',
        'Only staff may cancel by name. To cancel your own ticket, send its id as "id" with its token.',
      );
    }
    if (body.first_name === undefined && body.last_name === undefined && body.ticket_type === undefined) {
      throw new DomainError('VALIDATION_ERROR', 'Give the ticket id, or first_name, last_name and ticket_type.');
    }
    // The same checks and sentences as a registration, so a name is found exactly as it was registered.
    const checked = checkRegistration(body);
    if (!checked.ok) throw new DomainError('VALIDATION_ERROR', checked.message, { field: checked.field });
    const { first_name, last_name, ticket_type } = checked.value;
    const named = await store.findByName(first_name, last_name, ticket_type);
    const matches = named.filter((t) => t.status !== 'Cancelled');
    if (matches.length === 0) {
      if (named.length > 0) throw new DomainError('ALREADY_CANCELLED', 'This ticket is already cancelled');
      throw new DomainError('TICKET_NOT_FOUND', 'Ticket not found');
    }
    if (matches.length > 1) {
      throw new DomainError('AMBIGUOUS_TICKET', `${matches.length} tickets match that name; cancel one by its id.`, {
        matches: matches.map(({ id, status, created_at }) => ({ id, status, created_at })),
      });
    }
    return (matches[0] as { id: string }).id;
  }
};

export default tickets;

// Staff change the capacity per ticket type; never below seats sold, and added seats go to the waitlist.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CapacityBodySchema,
  CapacityResponseSchema,
  DomainError,
  ErrorSchema,
  parseTicketType,
  TICKET_TYPES,
} from '@ticketing/shared';
import type { preValidationHookHandler } from 'fastify';

const CAPACITY_FIELDS = `Capacity takes ${TICKET_TYPES.join(', ')} or both, each a whole number of seats, e.g. {"VIP": 40}.`;

/**
 * Ticket types are typed in any case everywhere, so {"vip": 40} sets the VIP capacity. A field that is no
 * ticket type, or none at all, gets a sentence naming the fields instead of the schema's generic one.
 */
const ticketTypeKeys: preValidationHookHandler = (request, _reply, done) => {
  const body = request.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return done();
  const keyed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const type = parseTicketType(key);
    if (type === undefined) {
      return done(
        new DomainError('VALIDATION_ERROR', `${JSON.stringify(key)} is not a ticket type. ${CAPACITY_FIELDS}`, {
          field: key,
        }),
      );
    }
    if (Object.hasOwn(keyed, type)) {
      return done(
        new DomainError('VALIDATION_ERROR', `The ${type} capacity is given twice. ${CAPACITY_FIELDS}`, { field: type }),
      );
    }
    keyed[type] = value;
  }
  if (Object.keys(keyed).length === 0) return done(new DomainError('VALIDATION_ERROR', CAPACITY_FIELDS));
  request.body = keyed;
  done();
};

const capacity: FastifyPluginAsyncTypebox = async (app) => {
  app.put(
    '/api/capacity',
    {
      schema: {
        body: CapacityBodySchema,
        response: {
          200: CapacityResponseSchema,
          400: ErrorSchema,
          401: ErrorSchema,
          403: ErrorSchema,
          409: ErrorSchema,
        },
      },
      preValidation: ticketTypeKeys,
      config: { auth: 'staff' },
    },
    async (request) => {
      return app.store.setCapacity(request.body, { actor: 'staff' });
    },
  );
};

export default capacity;

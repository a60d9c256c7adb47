// Staff change the capacity per ticket type; never below seats sold, and added seats go to the waitlist.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CapacityBodySchema, ErrorSchema, SummarySchema } from '@ticketing/shared';

const capacity: FastifyPluginAsyncTypebox = async (app) => {
  app.put(
    '/api/capacity',
    {
      schema: {
        body: CapacityBodySchema,
        response: { 200: SummarySchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 409: ErrorSchema },
      },
    },
    async (request) => {
      request.requireStaff();
      return app.store.setCapacity(request.body, { actor: 'staff' });
    },
  );
};

export default capacity;

// Staff's view of the line: both queues and both waitlists, in the order they will be served.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema, QueueQuerySchema, QueueResponseSchema, type TicketRecord } from '@ticketing/shared';

const entries = (records: TicketRecord[]) =>
  records.map(({ id, first_name, last_name, ticket_type, created_at }, index) => ({
    position: index + 1,
    id,
    first_name,
    last_name,
    ticket_type,
    created_at,
  }));

const queue: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/queue',
    {
      schema: {
        querystring: QueueQuerySchema,
        response: { 200: QueueResponseSchema, 401: ErrorSchema, 403: ErrorSchema },
      },
    },
    async (request) => {
      request.requireStaff();
      const { queues, waitlists, totals } = await app.store.queue(request.query.limit ?? 1000);
      return {
        'VIP Queue': entries(queues.VIP),
        'Regular Queue': entries(queues.Regular),
        'VIP Waitlist': entries(waitlists.VIP),
        'Regular Waitlist': entries(waitlists.Regular),
        totals: {
          'VIP Queue': totals.queues.VIP,
          'Regular Queue': totals.queues.Regular,
          'VIP Waitlist': totals.waitlists.VIP,
          'Regular Waitlist': totals.waitlists.Regular,
        },
      };
    },
  );
};

export default queue;

// Staff's view of the line: both queues and both waitlists in the order they will be served, and the
// seat holders in the order they got their seat (so staff can cancel any ticket).

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ErrorSchema,
  QUEUE_LISTS,
  QueueQuerySchema,
  type QueueResponse,
  QueueResponseSchema,
  type TicketRecord,
} from '@ticketing/shared';

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
      config: { auth: 'staff' },
    },
    async (request) => {
      const listing = await app.store.queue(request.query.limit ?? 1000);
      const lists = Object.fromEntries(QUEUE_LISTS.map((name) => [name, entries(listing[name].entries)]));
      const totals = Object.fromEntries(QUEUE_LISTS.map((name) => [name, listing[name].total]));
      return { ...lists, totals } as QueueResponse;
    },
  );
};

export default queue;

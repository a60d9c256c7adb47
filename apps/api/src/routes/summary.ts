// Public sales figures: the live summary (with ETag / 304 for cheap polling) and seats left per type.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AvailabilitySchema, type Summary, SummarySchema } from '@ticketing/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';

const summary: FastifyPluginAsyncTypebox = async (app) => {
  const { store } = app;

  /**
   * Every open summary page polls these routes, so they answer without a promise whenever the store has the
   * summary at hand (almost always), and only wait on the store when it must.
   */
  const withSummary =
    (answer: (request: FastifyRequest, reply: FastifyReply, data: Summary) => void) =>
    (request: FastifyRequest, reply: FastifyReply): void => {
      const ready = store.summaryAtOnce();
      if (ready) answer(request, reply, ready);
      // A failure of the store or of the answer goes to the error handler, never off as an unhandled rejection.
      else
        store
          .summary()
          .then((data) => answer(request, reply, data))
          .catch((error: unknown) => reply.send(error));
    };

  app.get(
    '/summary_data',
    { schema: { response: { 200: SummarySchema } } },
    withSummary((request, reply, data) => {
      // The summary is a function of the journal position, so the version names it exactly.
      const etag = `"v${data.version}"`;
      reply.header('ETag', etag).header('Cache-Control', 'no-cache');
      const match = request.headers['if-none-match'];
      if (match !== undefined && (match === etag || matchesAny(match, etag))) reply.code(304).send();
      else reply.send(data);
    }),
  );

  app.get(
    '/availability',
    { schema: { response: { 200: AvailabilitySchema } } },
    withSummary((_request, reply, data) => {
      reply.header('Cache-Control', 'no-cache').send({ VIP: data.vip_remaining, Regular: data.regular_remaining });
    }),
  );
};

/** If-None-Match as a list: any of its tags, weak or strong, names the current version; "*" names any. */
function matchesAny(header: string, etag: string): boolean {
  return header.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}

export default summary;

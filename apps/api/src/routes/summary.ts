// Public sales figures: the live summary (with ETag / 304 for cheap polling) and seats left per type.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AvailabilitySchema, SummarySchema } from '@ticketing/shared';
import type { FastifyReply } from 'fastify';

const summary: FastifyPluginAsyncTypebox = async (app) => {
  const { store } = app;

  app.get('/summary_data', { schema: { response: { 200: SummarySchema } } }, async (request, reply) => {
    const data = await store.summary();
    // The summary is a function of the journal position, so the version names it exactly.
    const etag = `"v${data.version}"`;
    reply.header('ETag', etag).header('Cache-Control', 'no-cache');
    const match = request.headers['if-none-match'];
    if (match !== undefined && (match === etag || matchesAny(match, etag))) {
      // 304 carries no body, so it is outside the typed responses.
      return (reply as FastifyReply).code(304).send();
    }
    return data;
  });

  app.get('/availability', { schema: { response: { 200: AvailabilitySchema } } }, async (_request, reply) => {
    const data = await store.summary();
    reply.header('Cache-Control', 'no-cache');
    return { VIP: data.vip_remaining, Regular: data.regular_remaining };
  });
};

/** If-None-Match as a list: any of its tags, weak or strong, names the current version. */
function matchesAny(header: string, etag: string): boolean {
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

export default summary;

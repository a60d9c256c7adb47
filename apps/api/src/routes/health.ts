// Liveness (the process answers) and readiness (the store is open and writable).

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HealthSchema } from '@ticketing/shared';

const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', { schema: { response: { 200: HealthSchema } }, logLevel: 'warn' }, async () => ({
    status: 'ok',
  }));

  app.get(
    '/readyz',
    { schema: { response: { 200: HealthSchema, 503: HealthSchema } }, logLevel: 'warn' },
    async (_request, reply) => {
      const health = await app.store.health();
      if (!health.ready) return reply.code(503).send({ status: 'unavailable', detail: health.detail });
      return { status: 'ready' };
    },
  );
};

export default health;

// Serves the built web client. Its client-side routes (/summary, /staff...) fall back to index.html
// in the not-found handler (plugins/errors.ts), with 404 for an address that is no page of the client,
// while unknown API paths keep the JSON 404.

import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

// Told apart whatever the case: /API/summary is a mistyped API call, to be answered in JSON, not a page.
const API_PATH = /^\/(?:api\/|summary_data|availability|queue|healthz|readyz)/i;

export default fp(async function staticClient(app: FastifyInstance, options: { root: string }) {
  await app.register(fastifyStatic, {
    root: options.root,
    wildcard: true,
    index: 'index.html',
    setHeaders(reply, path) {
      // Vite puts a content hash in every asset name, so assets never change; index.html always may.
      reply.header('Cache-Control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  // The client's file is the page at "/", which has no page at its own name: one address for the page.
  app.get('/index.html', (_request, reply) => reply.redirect('/', 301));
});

/** A path of the JSON API rather than of the web client. */
export function isApiPath(path: string): boolean {
  return API_PATH.test(path);
}

/** A browser asking for a client-side route: a GET for a path that is neither the API nor a file. */
export function isPageRequest(method: string, path: string): boolean {
  return (method === 'GET' || method === 'HEAD') && !isApiPath(path) && !/\.[a-z0-9]+$/i.test(path);
}

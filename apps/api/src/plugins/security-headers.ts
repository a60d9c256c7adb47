// Security headers, computed once at start rather than per request: pages get a Content-Security-
// Policy that lets them load only our own scripts and styles; API answers get a policy that lets
// them load nothing and be framed nowhere, in fewer bytes (every polled 304 carries them).

import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { isApiPath } from './static-client.ts';

export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'SAMEORIGIN',
  'Content-Security-Policy': [
    "default-src 'self'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "script-src 'self'",
    "script-src-attr 'none'",
    // React sets style properties through the DOM; inline style attributes need this.
    "style-src 'self' 'unsafe-inline'",
  ].join(';'),
  'Origin-Agent-Cluster': '?1',
};

/**
 * API answers are data, never documents: they need no referrer or opener policy. What they do need is
 * not to be sniffed into something runnable, framed, or read by another origin's page.
 */
export const API_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Content-Security-Policy': "default-src 'none';frame-ancestors 'none'",
};

export default fp(async function securityHeaders(app: FastifyInstance) {
  // Decided by the path, not the answer: a 304 for index.html has no content type, and a browser
  // applies the 304's headers to the page it revalidated. Set as the request arrives, so error and
  // not-found answers carry them too; a plain callback hook costs less than an async one.
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(isApiPath(request.url) ? API_HEADERS : PAGE_HEADERS);
    done();
  });
});

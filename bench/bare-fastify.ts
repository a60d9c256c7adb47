// The baseline the HTTP numbers are divided by: Fastify 5 with one JSON route and nothing else, run as a
// child process by the bench. Prints "listening at <url>" when ready; stops on SIGTERM.

import Fastify from 'fastify';

const app = Fastify();

app.get('/', { schema: { response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } } } }, () => ({
  ok: true,
}));

const address = await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.stdout.write(`listening at ${address}\n`);

process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});

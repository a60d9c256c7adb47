// The baseline the HTTP numbers are divided by: Fastify 5 with one JSON route and nothing else, run as a
// child process by the bench. Prints "listening at <url>" when ready; stops on SIGTERM. Two more routes are
// references, not baselines: what Fastify alone spends on a registration's and a process_next's request and answer.

import { ProcessNextResponseSchema, RegisterBodySchema, RegisterResponseSchema } from '@ticketing/shared';
import Fastify from 'fastify';

const app = Fastify();

app.get('/', { schema: { response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } } } }, () => ({
  ok: true,
}));

/** POST /register: the product's request and answer schemas, a JSON body in, a ticket-shaped 201 out; no work. */
app.post(
  '/register',
  { schema: { body: RegisterBodySchema, response: { 201: RegisterResponseSchema } } },
  async (request, reply) => {
    const { first_name, last_name, ticket_type } = request.body as {
      first_name: string;
      last_name: string;
      ticket_type: string;
    };
    reply.code(201).header('Location', '/api/tickets/ABC-DEF');
    return {
      id: 'ABC-DEF',
      first_name,
      last_name,
      ticket_type: ticket_type === 'VIP' ? 'VIP' : 'Regular',
      status: 'Queued',
      created_at: new Date().toISOString(),
      token: 'x'.repeat(32),
      queue_position: 1,
      people_ahead: 0,
      current_queue_length: 1,
      estimated_wait_seconds: null,
    };
  },
);

/** POST /process_next: a bearer token in, a served ticket's 200 out (process_next's answer schema); no work. */
app.post('/process_next', { schema: { response: { 200: ProcessNextResponseSchema } } }, async (request) => {
  const status = request.headers.authorization === undefined ? 'Sold Out' : 'Confirmed';
  return {
    processed: {
      id: 'ABC-DEF',
      first_name: 'Ada',
      last_name: 'Lovelace',
      ticket_type: 'VIP',
      status,
      remaining: 41,
      created_at: '2026-01-01T10:00:00.000Z',
    },
    status,
    remaining_tickets: { VIP: 41, Regular: 120 },
  };
});

const address = await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.stdout.write(`listening at ${address}\n`);

process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});

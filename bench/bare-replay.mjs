// The reference a restart is set against: what any server replaying the journal pays before it can listen,
// and nothing more. Node starts, loads Fastify with one route, reads the journal file through once finding its
// line breaks, then listens. Plain JavaScript run by node itself, as the built server is, so neither pays for a
// TypeScript loader. Prints "listening at <url>" when ready; stops on SIGTERM.
//
//   JOURNAL=/path/to/transactions.csv node bench/bare-replay.mjs

import { createReadStream } from 'node:fs';
import Fastify from 'fastify';

const app = Fastify();
app.get('/', () => ({ ok: true }));

let lines = 0;
for await (const chunk of createReadStream(process.env.JOURNAL ?? '', { highWaterMark: 1 << 20 })) {
  for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
}

const address = await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.stdout.write(`listening at ${address} after reading ${lines} lines\n`);

process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});

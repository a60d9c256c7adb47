// Where does the server spend its time under one of the bench's loads? Starts the built server with
// --cpu-prof, runs the load, stops it and lists the functions with the most self time.
//
//   node --import tsx bench/profile.ts register|process_next|summary|summary304|recovery [--seconds 5] [--top 25]
//
// The .cpuprofile is kept in the system's temp directory (its path is printed) for Chrome DevTools.

import { copyFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startProduct } from './children.ts';
import { cleanUp, makeTempDir } from './cleanup.ts';
import { formatProfile, summariseProfile } from './cpu-profile.ts';
import { currentEtag, processNextSpec, registerSpec, summarySpec } from './http.ts';
import { writeJournal } from './journal.ts';
import { measure, type RequestSpec } from './load.ts';
import { formatMs, formatNumber } from './numbers.ts';

const LOADS = ['register', 'process_next', 'summary', 'summary304', 'recovery'] as const;
type Load = (typeof LOADS)[number];

const { values, positionals } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: { seconds: { type: 'string', default: '5' }, top: { type: 'string', default: '25' } },
  allowPositionals: true,
});
const load = positionals[0] as Load;
if (!LOADS.includes(load)) {
  process.stderr.write(`usage: node --import tsx bench/profile.ts ${LOADS.join('|')} [--seconds 5] [--top 25]\n`);
  process.exit(2);
}
const seconds = Number(values.seconds);

async function main(): Promise<void> {
  const profileDir = makeTempDir('cpu-prof');
  const dataDir = makeTempDir('profile-data');
  if (load === 'process_next') await writeJournal(dataDir, { events: 200_000, kind: 'queued' });
  if (load === 'summary' || load === 'summary304') await writeJournal(dataDir, { events: 10_000, kind: 'sale' });
  if (load === 'recovery') await writeJournal(dataDir, { events: 1_000_000, kind: 'sale' });

  const server = await startProduct({ dataDir, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] });
  process.stdout.write(`server ready in ${formatMs(server.startMs)}\n`);
  try {
    if (load !== 'recovery') {
      let spec: RequestSpec;
      if (load === 'register') spec = registerSpec();
      else if (load === 'process_next') spec = processNextSpec(server.staffToken);
      else spec = summarySpec(load === 'summary304' ? await currentEtag(server) : undefined);
      const { main, serverCpu } = await measure(server, spec, {
        connections: 50,
        warmupSeconds: 1,
        seconds,
        maxRequests: load === 'process_next' ? 199_000 : undefined,
      });
      process.stdout.write(
        `${load}: ${formatNumber(main.requestsPerSecond)} req/s, p50 ${formatMs(main.p50Ms)}, p99 ${formatMs(main.p99Ms)}, statuses ${JSON.stringify(main.statuses)}\n`,
      );
      if (serverCpu) {
        process.stdout.write(
          `server main thread (profiler included): ${formatNumber(serverCpu.microsecondsPerRequest, 1)} µs of CPU a request, busy ${formatNumber(serverCpu.busy * 100)}% of the time\n`,
        );
      }
    }
  } finally {
    await server.stop();
  }
  const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`the server wrote no .cpuprofile in ${profileDir}`);
  const kept = join(tmpdir(), `ticketing-${load}.cpuprofile`);
  copyFileSync(join(profileDir, file), kept);
  process.stdout.write(`\n${formatProfile(summariseProfile(kept), Number(values.top))}\n\nprofile: ${kept}\n`);
}

main()
  .then(() => cleanUp())
  .catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    cleanUp();
    process.exit(1);
  });

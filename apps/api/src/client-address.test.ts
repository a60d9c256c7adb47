import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { openCsvStore } from './store/csv/csv-store.ts';
import type { TicketStore } from './store/types.ts';
import { logCollector, tempDir } from './testing/harness.ts';

// The registration limit counts per client address. Behind reverse proxies that address is in
// X-Forwarded-For, whose leftmost entries the client writes itself: only the proxies' own entries count.

let root: string | undefined;
let store: TicketStore | undefined;

afterEach(async () => {
  await store?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

const LIMIT = 3;
/** The proxy in front of the server: every request reaches the server from this address. */
const PROXY = '10.0.0.5';

async function appBehind(trustProxy: string[]) {
  root = await tempDir();
  store = await openCsvStore({ dataDir: join(root, 'data'), initialCapacity: { VIP: 100, Regular: 100 } });
  const { stream, lines } = logCollector();
  const app = await buildApp({
    store,
    staffToken: 'staff-token',
    registerRateLimit: LIMIT,
    trustProxy,
    logger: { level: 'warn', stream },
  });
  /** The status of a registration that arrives through the proxy with this X-Forwarded-For. */
  const register = async (forwardedFor: string, remoteAddress = PROXY) =>
    (
      await app.inject({
        method: 'POST',
        url: '/api/register',
        remoteAddress,
        headers: { 'x-forwarded-for': forwardedFor },
        payload: { first_name: 'Ann', last_name: 'Lee', ticket_type: 'Regular' },
      })
    ).statusCode;
  const proxyWarnings = () => lines.filter((line) => String(line.msg).includes('which TRUST_PROXY does not name'));
  return { register, proxyWarnings };
}

describe('the registration limit behind reverse proxies', () => {
  it('with the proxy trusted, counts the address it added, whatever the client wrote before it', async () => {
    const { register, proxyWarnings } = await appBehind([PROXY]);
    for (let i = 0; i < LIMIT; i++) expect(await register('203.0.113.9')).toBe(201);
    // The client claims to be someone else; the proxy appended its real address.
    expect(await register('198.51.100.1, 203.0.113.9')).toBe(429);
    expect(await register('198.51.100.2,203.0.113.9')).toBe(429);
    // Another attendee behind the same proxy has a limit of their own.
    expect(await register('203.0.113.10')).toBe(201);
    expect(proxyWarnings()).toEqual([]);
  });

  it('with TRUST_PROXY=yes, trusts a proxy on a private network, and has nothing to warn of', async () => {
    const { register, proxyWarnings } = await appBehind(loadConfig({ TRUST_PROXY: 'yes' }).trustProxy);
    for (let i = 0; i < LIMIT; i++) expect(await register(`198.51.100.${i}, 203.0.113.9`)).toBe(201);
    expect(await register('203.0.113.9')).toBe(429);
    expect(await register('203.0.113.10')).toBe(201);
    // A client on the proxy's own machine (a check through it, say): every address trusted, nothing to warn of.
    expect(await register(PROXY)).toBe(201);
    expect(proxyWarnings()).toEqual([]);
  });

  it('with two proxies trusted (a CDN, then a load balancer), counts the address the outer one added', async () => {
    const { register } = await appBehind([PROXY, '192.0.2.0/24']);
    for (let i = 0; i < LIMIT; i++) expect(await register(`198.51.100.${i}, 203.0.113.9, 192.0.2.7`)).toBe(201);
    expect(await register('203.0.113.9, 192.0.2.8')).toBe(429);
    expect(await register('203.0.113.10, 192.0.2.7')).toBe(201);
  });

  it('never believes X-Forwarded-For from a client that reaches the server directly', async () => {
    const { register } = await appBehind([PROXY]);
    for (let i = 0; i < LIMIT; i++) expect(await register(`203.0.113.${i}`, '198.51.100.7')).toBe(201);
    expect(await register('203.0.113.99', '198.51.100.7')).toBe(429);
  });

  it('with no proxy trusted, counts everyone as the proxy, and says once in the log how to fix it', async () => {
    const { register, proxyWarnings } = await appBehind([]);
    // An empty header says nothing of a proxy.
    expect(await register(' ')).toBe(201);
    expect(proxyWarnings()).toEqual([]);
    for (let i = 1; i < LIMIT; i++) expect(await register(`203.0.113.${i}`)).toBe(201);
    expect(await register('203.0.113.99')).toBe(429);
    expect(proxyWarnings()).toHaveLength(1);
    expect(proxyWarnings()[0]?.msg).toContain(`counts as ${PROXY}`);
    expect(proxyWarnings()[0]?.msg).toContain(`If ${PROXY} is a reverse proxy of yours, name it in TRUST_PROXY`);
  });
});

// Test helpers: a real server on a free port over a temporary data directory, and a small HTTP client.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TICKET_TYPES, type TicketType } from '@ticketing/shared';
import { type App, buildApp } from '../app.ts';
import { type CsvStore, type CsvStoreOptions, openCsvStore } from '../store/csv/csv-store.ts';

export const STAFF_TOKEN = 'staff-token-for-tests';

export async function tempDir(prefix = 'ticketing-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export interface TestServer {
  url: string;
  app: App;
  store: CsvStore;
  dataDir: string;
  http: HttpClient;
  /** stops the server and the store; keeps the data directory */
  stop(): Promise<void>;
  /** stops and removes the data directory */
  close(): Promise<void>;
}

export async function startServer(
  options: Partial<CsvStoreOptions> & { registerRateLimit?: number; dataDir?: string } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await tempDir());
  const store = await openCsvStore({
    initialCapacity: { VIP: 3, Regular: 5 },
    snapshotIntervalMs: 20,
    ...options,
    dataDir,
  });
  const app = await buildApp({ store, staffToken: STAFF_TOKEN, registerRateLimit: options.registerRateLimit ?? 0 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (typeof address !== 'object' || !address) throw new Error('server has no address');
  const url = `http://127.0.0.1:${address.port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await app.close();
    await store.close();
  };
  return {
    url,
    app,
    store,
    dataDir,
    http: new HttpClient(url),
    stop,
    close: async () => {
      await stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: tests read answers as loose JSON and assert on them.
type LooseJson = any;

export interface Answer<T = LooseJson> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** a raw body sent as is (for malformed JSON) */
  raw?: string;
  token?: string;
  headers?: Record<string, string>;
}

export class HttpClient {
  constructor(readonly url: string) {}

  async request<T = LooseJson>(method: string, path: string, options: RequestOptions = {}): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(`${this.url}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    if (response.headers.get('content-type')?.includes('json') && text) parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  register(first_name: string, last_name: string, ticket_type: string, headers?: Record<string, string>) {
    return this.request('POST', '/api/register', { body: { first_name, last_name, ticket_type }, headers });
  }

  staff<T = LooseJson>(method: string, path: string, body?: unknown) {
    return this.request<T>(method, path, { body, token: STAFF_TOKEN });
  }
}

/** Asserts the product's invariants from the public summary: returns the summary. */
export function checkInvariants(summary: Record<string, number>): void {
  for (const type of TICKET_TYPES) {
    const prefix = type === 'VIP' ? 'vip' : 'regular';
    const sold = summary[`${prefix}_sold`] as number;
    const remaining = summary[`${prefix}_remaining`] as number;
    const capacity = summary[`${prefix}_capacity`] as number;
    if (sold + remaining !== capacity || remaining < 0 || sold > capacity) {
      throw new Error(`invariant broken for ${type}: sold ${sold} + remaining ${remaining} vs capacity ${capacity}`);
    }
  }
}

export type { TicketType };

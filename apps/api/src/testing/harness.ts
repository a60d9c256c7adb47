// Test helpers: a real server on a free port over either store, and a small HTTP client.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { TICKET_TYPES, type TicketType } from '@ticketing/shared';
import { afterEach, beforeEach } from 'vitest';
import { type App, buildApp } from '../app.ts';
import { MemoryIdempotencyStore } from '../idempotency/memory.ts';
import { PostgresIdempotencyStore } from '../idempotency/postgres.ts';
import { type CsvStoreOptions, openCsvStore } from '../store/csv/csv-store.ts';
import { idempotencySecret } from '../store/csv/kept-secrets.ts';
import { openPostgresStore } from '../store/postgres/postgres-store.ts';
import type { PerType, TicketStore } from '../store/types.ts';
import { newSchemaName, TEST_DATABASE_URL, withDatabase } from './postgres.ts';

export const STAFF_TOKEN = 'staff-token-for-tests';

export async function tempDir(prefix = 'ticketing-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export type StoreKind = 'csv' | 'postgres';

/** A log stream for an app's logger that keeps each line (JSON) it is given, parsed. */
export function logCollector(): { stream: Writable; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { stream, lines };
}

export interface ServerOptions {
  kind?: StoreKind;
  initialCapacity?: PerType<number>;
  registerRateLimit?: number;
  /** where an earlier server kept its data (a data directory, or a database schema) to start on it again */
  location?: string;
  /** embedded-store options (fault injection, logger) */
  csv?: Partial<CsvStoreOptions>;
}

export interface TestServer {
  kind: StoreKind;
  url: string;
  app: App;
  store: TicketStore;
  /** the data directory, or the database schema */
  location: string;
  http: HttpClient;
  /** stops the server and the store; keeps the data */
  stop(): Promise<void>;
  /** stops and removes the data */
  close(): Promise<void>;
  /** stops, then starts a new server on the same data */
  restart(): Promise<TestServer>;
}

const DEFAULT_CAPACITY = { VIP: 3, Regular: 5 };

async function openTestStores(kind: StoreKind, location: string, options: ServerOptions) {
  const initialCapacity = options.initialCapacity ?? DEFAULT_CAPACITY;
  if (kind === 'postgres') {
    const store = await openPostgresStore({ connectionString: TEST_DATABASE_URL, schema: location, initialCapacity });
    return { store, idempotency: await PostgresIdempotencyStore.open(store) };
  }
  const store = await openCsvStore({ initialCapacity, snapshotIntervalMs: 20, ...options.csv, dataDir: location });
  return { store, idempotency: new MemoryIdempotencyStore(await idempotencySecret(location)) };
}

/** A real server on a free port, over a fresh temporary data directory or database schema. */
export async function startServer(options: ServerOptions = {}): Promise<TestServer> {
  const kind = options.kind ?? 'csv';
  const location = options.location ?? (kind === 'csv' ? await tempDir() : newSchemaName());
  const { store, idempotency } = await openTestStores(kind, location, options);
  const app = await buildApp({
    store,
    idempotency,
    staffToken: STAFF_TOKEN,
    registerRateLimit: options.registerRateLimit ?? 0,
  });
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
    kind,
    url,
    app,
    store,
    location,
    http: new HttpClient(url),
    stop,
    close: async () => {
      await stop();
      await removeData(kind, location);
    },
    restart: async () => {
      await stop();
      return startServer({ ...options, kind, location });
    },
  };
}

/**
 * Makes, in each test that asks, an app (not listening) on a fresh embedded store, logging at the given level
 * into `lines`; its store and data are removed after the test. Call at the top of a test file.
 */
export function loggingAppPerTest(): (
  level: string,
  initialCapacity?: PerType<number>,
) => Promise<{ app: App; lines: Record<string, unknown>[] }> {
  let cleanUp: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanUp?.();
    cleanUp = undefined;
  });
  return async (level, initialCapacity = { VIP: 3, Regular: 5 }) => {
    const root = await tempDir();
    const store = await openCsvStore({ dataDir: join(root, 'data'), initialCapacity });
    cleanUp = async () => {
      await store.close();
      await rm(root, { recursive: true, force: true });
    };
    const { stream, lines } = logCollector();
    const app = await buildApp({ store, staffToken: 'staff-token', registerRateLimit: 0, logger: { level, stream } });
    return { app, lines };
  };
}

/** A fresh server for each test in the enclosing describe; returns a getter for the current one. */
export function serverPerTest(options: ServerOptions): () => TestServer {
  let current: TestServer | undefined;
  beforeEach(async () => {
    current = await startServer(options);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return () => {
    if (!current) throw new Error('no server: use serverPerTest inside a describe');
    return current;
  };
}

export async function removeData(kind: StoreKind, location: string): Promise<void> {
  if (kind === 'csv') await rm(location, { recursive: true, force: true });
  else await withDatabase((client) => client.query(`drop schema if exists ${location} cascade`));
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
  /** a raw body sent as is (for malformed JSON, or compressed) */
  raw?: string | Uint8Array;
  token?: string;
  headers?: Record<string, string>;
}

export class HttpClient {
  constructor(readonly url: string) {}

  async request<T = LooseJson>(method: string, path: string, options: RequestOptions = {}): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | Uint8Array | undefined;
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

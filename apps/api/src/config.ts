// The server's settings, read from the environment once and checked; nothing else reads process.env.

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CAPACITY, type TicketType } from '@ticketing/shared';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  initialCapacity: Record<TicketType, number>;
  /** undefined: generate one and keep it in the data directory */
  staffToken: string | undefined;
  /** registrations per minute per client; 0 turns the limit off */
  registerRateLimit: number;
  databaseUrl: string | undefined;
  logLevel: string;
  /** the built web client, served at / when it exists */
  webDist: string | undefined;
  /** trust X-Forwarded-For from a reverse proxy for the client's address */
  trustProxy: boolean;
}

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
  }
  return value;
}

/** Where the built client is: beside the bundled server (apps/api/dist) or the sources (apps/api/src). */
function findWebDist(env: NodeJS.ProcessEnv): string | undefined {
  if (env.WEB_DIST) return resolve(env.WEB_DIST);
  const here = dirname(fileURLToPath(import.meta.url));
  const candidate = join(here, '..', '..', 'web', 'dist');
  return existsSync(join(candidate, 'index.html')) ? candidate : undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const staffToken = env.STAFF_TOKEN?.trim() || undefined;
  if (staffToken !== undefined && staffToken.length < 12) {
    throw new ConfigError('STAFF_TOKEN must be at least 12 characters long');
  }
  return {
    host: env.HOST?.trim() || '127.0.0.1',
    port: integer(env, 'PORT', 3000, 0, 65535),
    dataDir: resolve(env.DATA_DIR?.trim() || 'data'),
    initialCapacity: {
      VIP: integer(env, 'VIP_CAPACITY', DEFAULT_CAPACITY.VIP, 0, 1_000_000),
      Regular: integer(env, 'REGULAR_CAPACITY', DEFAULT_CAPACITY.Regular, 0, 1_000_000),
    },
    staffToken,
    registerRateLimit: integer(env, 'REGISTER_RATE_LIMIT', 60, 0, 1_000_000),
    databaseUrl: env.DATABASE_URL?.trim() || undefined,
    logLevel: env.LOG_LEVEL?.trim() || 'info',
    webDist: findWebDist(env),
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
  };
}

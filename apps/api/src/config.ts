// The server's settings, read from the environment once and checked; nothing else reads process.env.

import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CAPACITY, TICKET_TYPES, type TicketType } from '@ticketing/shared';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  initialCapacity: Record<TicketType, number>;
  /** which capacities the environment gave (they apply to a new event only) */
  capacityGiven: TicketType[];
  /** undefined: generate one and keep it in the data directory */
  staffToken: string | undefined;
  /** registrations per minute per client; 0 turns the limit off */
  registerRateLimit: number;
  databaseUrl: string | undefined;
  logLevel: string;
  /** the built web client, served at / when it exists */
  webDist: string | undefined;
  /**
   * The reverse proxies in front of the server, by address or subnet (none: []). A proxy appends the address
   * it got the request from to X-Forwarded-For; the client's address is the last entry not appended by one of
   * these, since anything further left was written by the client and proves nothing.
   */
  trustProxy: string[];
}

export class ConfigError extends Error {}

/** The variables that give a new event's capacities. */
export const CAPACITY_VARIABLE = { VIP: 'VIP_CAPACITY', Regular: 'REGULAR_CAPACITY' } as const;

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

/** pino's levels: the README names the four that matter. */
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** TRUST_PROXY=yes: a proxy on this machine or on a private network, as proxy-addr names them. */
const PRIVATE_PROXIES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * An address (10.0.0.5, ::1) or a subnet (10.0.0.0/8, fd00::/8). Not /0, which would trust every address
 * and so believe whatever a client writes; nor a zone (fe80::1%eth0), which never matches a peer.
 */
function isAddressOrSubnet(entry: string): boolean {
  const [address = '', bits, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || address.includes('%') || rest.length > 0) return false;
  return (
    bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) >= 1 && Number(bits) <= (version === 4 ? 32 : 128))
  );
}

/** TRUST_PROXY: the proxies whose X-Forwarded-For entries are believed, by address or subnet. */
function trustedProxies(env: NodeJS.ProcessEnv): string[] {
  const raw = env.TRUST_PROXY?.trim() ?? '';
  const word = raw.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(word)) return PRIVATE_PROXIES;
  if (['', '0', 'false', 'no', 'off'].includes(word)) return [];
  const entries = raw.split(',').map((entry) => entry.trim().toLowerCase());
  if (entries.every((entry) => PRIVATE_PROXIES.includes(entry) || isAddressOrSubnet(entry))) return entries;
  throw new ConfigError(
    `TRUST_PROXY must be yes (1, true, on: the proxy is on this machine or a private network), no (0, false, off), or the proxies' addresses or subnets separated by commas (such as 10.0.0.5 or 10.0.0.0/8), not "${env.TRUST_PROXY}"`,
  );
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const staffToken = env.STAFF_TOKEN?.trim() || undefined;
  // Sent as "Authorization: Bearer <token>", so it can hold no space; printable ASCII survives every header.
  if (staffToken !== undefined && !/^[\x21-\x7e]{12,}$/.test(staffToken)) {
    throw new ConfigError(
      'STAFF_TOKEN must be at least 12 characters long, without spaces: letters, digits and punctuation',
    );
  }
  const logLevel = env.LOG_LEVEL?.trim().toLowerCase() || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${env.LOG_LEVEL}"`);
  }
  return {
    host: env.HOST?.trim() || '127.0.0.1',
    port: integer(env, 'PORT', 3000, 0, 65535),
    dataDir: resolve(env.DATA_DIR?.trim() || 'data'),
    initialCapacity: {
      VIP: integer(env, CAPACITY_VARIABLE.VIP, DEFAULT_CAPACITY.VIP, 0, 1_000_000),
      Regular: integer(env, CAPACITY_VARIABLE.Regular, DEFAULT_CAPACITY.Regular, 0, 1_000_000),
    },
    capacityGiven: TICKET_TYPES.filter((type) => env[CAPACITY_VARIABLE[type]]?.trim()),
    staffToken,
    registerRateLimit: integer(env, 'REGISTER_RATE_LIMIT', 60, 0, 1_000_000),
    databaseUrl: databaseUrl(env.DATABASE_URL?.trim() || undefined),
    logLevel,
    webDist: findWebDist(env),
    trustProxy: trustedProxies(env),
  };
}

/**
 * DATABASE_URL, checked for what the driver would otherwise guess or report obscurely: a postgres:// URL with
 * a host and a database name (without one, the driver would use the user's default database).
 */
function databaseUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const form = 'postgres://user:password@host:5432/database';
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(`DATABASE_URL must be a URL such as ${form}.`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ConfigError(`DATABASE_URL must start with postgres:// (${form}), not ${parsed.protocol}//.`);
  }
  if (!parsed.hostname && !parsed.searchParams.has('host')) {
    throw new ConfigError(`DATABASE_URL names no host: ${form}.`);
  }
  if (decodeURIComponent(parsed.pathname.replace(/^\//, '')) === '') {
    throw new ConfigError(`DATABASE_URL names no database: give one after the host, as in ${form}.`);
  }
  return value;
}

// Secrets kept in the data directory (readable by the owner only), so they stay the same across restarts:
// the staff token, unless STAFF_TOKEN gives it, so the dashboard link stays the same, and the secret that
// derives keyed registrations' tokens.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { newToken } from '../../plugins/auth.ts';
import { writeFileAtomic } from './atomic-file.ts';

export const STAFF_TOKEN_FILE = 'staff-token';
export const IDEMPOTENCY_SECRET_FILE = 'idempotency-secret';

export async function resolveStaffToken(configured: string | undefined, dataDir: string): Promise<string> {
  return configured || keptSecret(join(dataDir, STAFF_TOKEN_FILE), 12);
}

/**
 * The secret that derives the tokens of registrations made under an Idempotency-Key from their keys (see
 * MemoryIdempotencyStore): the same after a restart, so a retry still finds the ticket its key registered.
 */
export async function idempotencySecret(dataDir: string): Promise<Buffer> {
  return Buffer.from(await keptSecret(join(dataDir, IDEMPOTENCY_SECRET_FILE), 32), 'base64url');
}

/** The data directory's idempotency secret, if it has one (for moving an event, see cli/move-event.ts). */
export async function readIdempotencySecret(dataDir: string): Promise<Buffer | undefined> {
  const kept = await readKept(join(dataDir, IDEMPOTENCY_SECRET_FILE), 32);
  return kept === undefined ? undefined : Buffer.from(kept, 'base64url');
}

/** The staff token a server generated and kept in the data directory, if any (for moving an event). */
export function readStaffToken(dataDir: string): Promise<string | undefined> {
  return readKept(join(dataDir, STAFF_TOKEN_FILE), 12);
}

/** Gives a data directory the generated staff token of the event moved into it. */
export async function writeStaffToken(dataDir: string, token: string): Promise<void> {
  await writeKept(join(dataDir, STAFF_TOKEN_FILE), token);
}

/** Gives a data directory the idempotency secret of the event moved into it. */
export async function writeIdempotencySecret(dataDir: string, secret: Buffer): Promise<void> {
  await writeKept(join(dataDir, IDEMPOTENCY_SECRET_FILE), secret.toString('base64url'));
}

/** The random token kept in this file, made (readable by the owner only) when missing or shorter than `minLength`. */
async function keptSecret(path: string, minLength: number): Promise<string> {
  const kept = await readKept(path, minLength);
  if (kept !== undefined) return kept;
  const token = newToken();
  await writeKept(path, token);
  return token;
}

async function readKept(path: string, minLength: number): Promise<string | undefined> {
  if (!existsSync(path)) return undefined;
  const kept = (await readFile(path, 'utf8')).trim();
  return kept.length >= minLength ? kept : undefined;
}

async function writeKept(path: string, secret: string): Promise<void> {
  // Whole or not at all, and durably: a secret lost to a power cut would be replaced by another one.
  await writeFileAtomic(path, `${secret}\n`, { durable: true, mode: 0o600 });
}

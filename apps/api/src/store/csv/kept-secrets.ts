// Secrets kept in the data directory (readable by the owner only), so they stay the same across restarts:
// the staff token, unless STAFF_TOKEN gives it, so the dashboard link stays the same, and the secret that
// derives keyed registrations' tokens.

import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { newToken } from '../../plugins/auth.ts';

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

/** The random token kept in this file, made (readable by the owner only) when missing or shorter than `minLength`. */
async function keptSecret(path: string, minLength: number): Promise<string> {
  if (existsSync(path)) {
    const kept = (await readFile(path, 'utf8')).trim();
    if (kept.length >= minLength) return kept;
  }
  const token = newToken();
  await writeFile(path, `${token}\n`, { mode: 0o600 });
  return token;
}

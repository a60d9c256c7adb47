// The staff token: from STAFF_TOKEN, or generated once and kept (readable by the owner only) in the
// data directory, so the dashboard link stays the same across restarts.

import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { newToken } from '../../plugins/auth.ts';

export const STAFF_TOKEN_FILE = 'staff-token';

export async function resolveStaffToken(configured: string | undefined, dataDir: string): Promise<string> {
  if (configured) return configured;
  const path = join(dataDir, STAFF_TOKEN_FILE);
  if (existsSync(path)) {
    const kept = (await readFile(path, 'utf8')).trim();
    if (kept.length >= 12) return kept;
  }
  const token = newToken();
  await writeFile(path, `${token}\n`, { mode: 0o600 });
  return token;
}

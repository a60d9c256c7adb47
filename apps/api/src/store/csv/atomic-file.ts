// Replacing a file so that a crash leaves either the old or the new content, never a mix.

import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** How writeFileAtomic names its temporary files: `.<target's name>.<pid>.tmp`, beside the target. */
const TEMPORARY_FILE = /^\.(.+)\.\d+\.tmp$/;

/**
 * Writes to a temporary file and renames it over the target, so a reader sees the old or the new content.
 * When `durable`, the file is fsync'd before the rename and the directory after it, so the new content also
 * survives a power cut; a file rebuilt at start anyway need not pay for that.
 */
export async function writeFileAtomic(
  path: string,
  content: string | AsyncIterable<string | Uint8Array>,
  { durable, mode = 0o644 }: { durable: boolean; mode?: number },
): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const handle = await open(temp, 'w', mode);
  try {
    if (typeof content === 'string') await handle.writeFile(content, 'utf8');
    else for await (const chunk of content) await handle.writeFile(chunk, 'utf8');
    if (durable) await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temp, path);
  if (durable) await syncDirectory(dirname(path));
}

/**
 * Removes the temporary files of writes of `targets` (file names in `dir`) that a crash (kill -9, power cut) cut
 * short, and returns their names; anyone else's files that look alike are left alone. Only for the holder of the
 * directory's lock: another process's write in progress looks the same.
 */
export async function removeInterruptedWrites(dir: string, targets: readonly string[]): Promise<string[]> {
  const leftovers = (await readdir(dir, { withFileTypes: true }))
    .filter((entry) => {
      const target = TEMPORARY_FILE.exec(entry.name)?.[1];
      return entry.isFile() && target !== undefined && targets.includes(target);
    })
    .map((entry) => entry.name);
  for (const name of leftovers) await rm(join(dir, name), { force: true });
  return leftovers;
}

/** A time as file names in the data directory carry it ("2026-11-26T14-05-09-123Z": no colons or dots). */
export function fileStamp(time: Date): string {
  return time.toISOString().replace(/[:.]/g, '-');
}

/** Makes a rename or a new file in the directory durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

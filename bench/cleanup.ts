// Everything the bench leaves behind while it runs — child processes and temporary directories — and the
// one place that removes them, on success, on failure and on Ctrl-C alike.

import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const children = new Set<ChildProcess>();
/** processes started by a child (the server under /usr/bin/time), by pid, keyed by that child */
const grandchildren = new Map<ChildProcess, number>();
const directories = new Set<string>();

/** Makes a fresh temporary directory that is removed by cleanUp() unless removed earlier. */
export function makeTempDir(purpose: string): string {
  const dir = mkdtempSync(join(tmpdir(), `ticketing-bench-${purpose}-`));
  directories.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  directories.delete(dir);
}

/** Registers a child so that it is killed if the bench ends before stopping it. */
export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => {
    children.delete(child);
    grandchildren.delete(child);
  });
}

/** Registers a process started by a tracked child, killed along with it; forgotten when the child exits. */
export function trackGrandchild(parent: ChildProcess, pid: number): void {
  grandchildren.set(parent, pid);
}

/** Kills the children still running and removes every temporary directory; synchronous, so it works in 'exit'. */
export function cleanUp(): void {
  for (const pid of grandchildren.values()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  grandchildren.clear();
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  for (const dir of directories) rmSync(dir, { recursive: true, force: true });
  directories.clear();
}

process.once('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\nbench: ${signal} received, cleaning up\n`);
    cleanUp();
    process.exit(130);
  });
}

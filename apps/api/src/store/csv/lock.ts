// One server per data directory. The lock is a listening Unix socket: the kernel closes it the moment
// its process dies (SIGKILL included, and even while the dead process lingers as an unreaped zombie,
// which fools a pid check), so a crash never leaves a stale lock behind.

import { createHash } from 'node:crypto';
import { realpath, rm } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';

export class DataDirLockedError extends Error {
  constructor(dir: string, holder: string) {
    super(
      `Another server ${holder} is already using the data directory ${dir}. Stop it first, or give this one another DATA_DIR.`,
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  release(): Promise<void>;
}

export async function lockDataDir(dir: string): Promise<DataDirLock> {
  const real = await realpath(dir);
  // Linux has abstract sockets: no file to go stale. Elsewhere the socket lives in the directory.
  const address =
    process.platform === 'linux'
      ? `\0event-ticketing-${createHash('sha256').update(real).digest('hex').slice(0, 40)}`
      : join(real, '.server.lock');
  const server = createServer((socket) => socket.end(JSON.stringify({ pid: process.pid })));
  server.unref();
  try {
    await listen(server, address);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    const holder = await askHolder(address);
    if (holder !== undefined) throw new DataDirLockedError(real, holder);
    // A socket file nobody answers on was left by a dead server (only possible off Linux).
    await rm(address, { force: true });
    await listen(server, address);
  }
  return {
    release: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function listen(server: Server, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(address, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Describes the live holder ("(pid 123)"), or undefined when nobody answers. */
function askHolder(address: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    let reply = '';
    const socket = connect(address);
    socket.setTimeout(2000);
    socket.on('data', (chunk) => {
      reply += chunk;
    });
    socket.on('end', () => {
      try {
        resolve(`(pid ${JSON.parse(reply).pid})`);
      } catch {
        resolve('(pid unknown)');
      }
    });
    socket.on('timeout', () => {
      socket.destroy();
      resolve('(not answering)');
    });
    socket.on('error', () => resolve(undefined));
  });
}

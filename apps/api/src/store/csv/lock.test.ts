import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm, symlink } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/harness.ts';
import { DataDirLockedError, lockDataDir } from './lock.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const LOCK_MODULE = pathToFileURL(join(HERE, 'lock.ts')).href;

// A process that takes the lock on argv[1] once told to (a line on stdin, or its end) and holds it until
// killed. It reports on stdout, a JSON line each: once ready, then whether it got the lock.
const LOCKER = `
const { lockDataDir } = await import(${JSON.stringify(LOCK_MODULE)});
console.log(JSON.stringify({ ready: true }));
await new Promise((go) => process.stdin.once('data', go).once('end', go));
try {
  await lockDataDir(process.argv[1]);
  console.log(JSON.stringify({ pid: process.pid, locked: true }));
  setInterval(() => {}, 60_000);
} catch (error) {
  console.log(JSON.stringify({ pid: process.pid, locked: false, message: error.message }));
}`;

interface LockerReport {
  pid: number;
  locked: boolean;
  message?: string;
}

const isLinux = process.platform === 'linux';
const isRoot = process.getuid?.() === 0;
/** Why the tests that need their own network and mount namespaces cannot run here, or undefined. */
const namespacesUnavailable = !isLinux
  ? 'not Linux'
  : !isRoot
    ? 'not root'
    : spawnSync('unshare', ['-n', '-m', 'true']).status !== 0
      ? 'unshare -n -m fails'
      : undefined;

let dir: string;
const children: ChildProcess[] = [];
const fakeServers: Server[] = [];

beforeEach(async () => {
  dir = await tempDir('ticketing-lock-');
});
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const server of fakeServers.splice(0)) server.close();
  await rm(dir, { recursive: true, force: true });
});

interface Locker {
  child: ChildProcess;
  /** once it has loaded the lock module and waits to be told to lock */
  ready: Promise<void>;
  go(): void;
  report: Promise<LockerReport>;
}

/** Starts a locker process on `on`, optionally behind a command such as `unshare -n`; it locks on go(). */
function spawnLocker(on: string, wrapper: string[] = []): Locker {
  const command = [...wrapper, process.execPath, '--import', 'tsx', '--input-type=module', '-e', LOCKER, on];
  const child = spawn(command[0] as string, command.slice(1), { cwd: HERE, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const lines = createInterface({ input: child.stdout as Readable })[Symbol.asyncIterator]();
  const nextLine = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`the locker exited without reporting: ${errors}`);
    return JSON.parse(value);
  };
  const ready = nextLine();
  return { child, ready, go: () => child.stdin?.end('go\n'), report: ready.then(nextLine) };
}

/** Starts lockers and tells them all to lock at once, when all are ready. */
async function startTogether(lockers: Locker[]): Promise<LockerReport[]> {
  await Promise.all(lockers.map((locker) => locker.ready));
  for (const locker of lockers) locker.go();
  return Promise.all(lockers.map((locker) => locker.report));
}

async function spawnHolder(on: string, wrapper: string[] = []): Promise<{ child: ChildProcess; pid: number }> {
  const { child, go, report } = spawnLocker(on, wrapper);
  go();
  const { pid, locked, message } = await report;
  expect(locked, message).toBe(true);
  return { child, pid };
}

async function killAndWait(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

const socketFiles = (of = dir) => readdirSync(of).filter((name) => name.startsWith('.server-'));
const refusalNaming = (pid: number) =>
  new RegExp(`^Another server \\(pid ${pid}\\) is already using the data directory`);

describe('the data directory lock', () => {
  it('refuses a second server and names the pid of the one holding it', async () => {
    const holder = await spawnHolder(dir);
    const refusal = lockDataDir(dir);
    await expect(refusal).rejects.toThrow(DataDirLockedError);
    await expect(refusal).rejects.toThrow(refusalNaming(holder.pid));
  });

  it('is free again once its holder releases it, and leaves no socket file behind', async () => {
    const first = await lockDataDir(dir);
    expect(socketFiles()).toHaveLength(1);
    await first.release();
    expect(socketFiles()).toEqual([]);
    const second = await lockDataDir(dir);
    await second.release();
  });

  it('closes a connection to it once answered, so a client that never hangs up cannot hold up its release', async () => {
    const lock = await lockDataDir(dir);
    const client = connect(join(dir, socketFiles()[0] as string));
    client.pause(); // never reads, never closes
    await once(client, 'connect');
    await lock.release();
    client.destroy();
    expect(socketFiles()).toEqual([]);
  });

  it('refuses, through the socket file alone, a server that cannot see the abstract socket', async () => {
    // abstractSocket: false stands for a server in another network namespace, in both directions.
    const first = await lockDataDir(dir);
    await expect(lockDataDir(dir, { abstractSocket: false })).rejects.toThrow(refusalNaming(process.pid));
    await first.release();
    const other = await lockDataDir(dir, { abstractSocket: false });
    await expect(lockDataDir(dir)).rejects.toThrow(refusalNaming(process.pid));
    await other.release();
  });

  it('refuses a second server that reaches the directory through a symlink, with or without the abstract socket', async () => {
    const link = `${dir}-link`;
    await symlink(dir, link);
    try {
      const first = await lockDataDir(dir);
      await expect(lockDataDir(link)).rejects.toThrow(DataDirLockedError);
      await expect(lockDataDir(link, { abstractSocket: false })).rejects.toThrow(refusalNaming(process.pid));
      await first.release();
    } finally {
      await rm(link);
    }
  });

  it('leaves the holder its socket file when it refuses another server', async () => {
    const holder = await lockDataDir(dir, { abstractSocket: false });
    const held = socketFiles();
    await expect(lockDataDir(dir, { abstractSocket: false })).rejects.toThrow(DataDirLockedError);
    expect(socketFiles()).toEqual(held);
    await expect(lockDataDir(dir, { abstractSocket: false })).rejects.toThrow(DataDirLockedError);
    await holder.release();
  });

  it('is not blocked by the socket file of a server killed with SIGKILL, and removes that file', async () => {
    const holder = await spawnHolder(dir);
    await killAndWait(holder.child);
    const stale = socketFiles();
    expect(stale).toHaveLength(1);
    const lock = await lockDataDir(dir, { abstractSocket: false });
    expect(socketFiles()).not.toContain(stale[0]);
    await lock.release();
  });

  it('refuses while a stopped holder does not answer, rather than taking it for dead', async () => {
    const holder = await spawnHolder(dir);
    holder.child.kill('SIGSTOP');
    try {
      await expect(lockDataDir(dir, { abstractSocket: false })).rejects.toThrow(
        /^Another server \(not answering\) is already using/,
      );
      expect(socketFiles()).toHaveLength(1);
    } finally {
      holder.child.kill('SIGCONT');
    }
  });

  it('asks again a holder that closes its socket while being asked, and holds once it is gone', async () => {
    const holder = await spawnHolder(dir);
    // Stopped, it takes no connection: the new server's question waits in its socket's queue, until the kill
    // closes that socket under it (ECONNRESET), long before the question would time out.
    holder.child.kill('SIGSTOP');
    const locking = lockDataDir(dir, { abstractSocket: false });
    await sleep(500);
    await killAndWait(holder.child);
    const lock = await locking;
    expect(socketFiles()).toHaveLength(1);
    await lock.release();
  });

  it.runIf(isLinux)('is not blocked by a killed server whose zombie is never reaped', async () => {
    // sh starts the locker, then becomes a sleep that never waits for it: the killed locker stays a zombie.
    const holder = await spawnHolder(dir, ['sh', '-c', '"$0" "$@" & exec sleep 60']);
    process.kill(holder.pid, 'SIGKILL');
    await waitFor(() => isZombie(holder.pid));
    const lock = await lockDataDir(dir);
    expect(isZombie(holder.pid)).toBe(true);
    await lock.release();
  });

  it('lets exactly one of several servers starting at the same moment hold the directory', async () => {
    for (let round = 0; round < 20; round++) {
      // Staggered by up to 2 ms, so that the rounds interleave their steps differently.
      const attempts = await Promise.allSettled(
        Array.from({ length: 5 }, async () => {
          await sleep(Math.random() * 2);
          return lockDataDir(dir, { abstractSocket: false });
        }),
      );
      const winners = attempts.flatMap((attempt) => (attempt.status === 'fulfilled' ? [attempt.value] : []));
      const refusals = attempts.flatMap((attempt) => (attempt.status === 'rejected' ? [attempt.reason] : []));
      expect(winners).toHaveLength(1);
      for (const refusal of refusals) expect(refusal).toBeInstanceOf(DataDirLockedError);
      await winners[0]?.release();
      expect(socketFiles()).toEqual([]);
    }
  });

  it('names a holder in another container by its pid there and its host name', async () => {
    await fakeServer({ pid: 1, host: 'web-7d9f', nonce: 'ffffffffffffffff', state: 'holding' });
    await expect(lockDataDir(dir)).rejects.toThrow(/^Another server \(pid 1 on host web-7d9f\) is already using/);
  });

  it('gives way to a server starting at the same moment with a lower nonce', async () => {
    await fakeServer({ pid: 4242, host: hostname(), nonce: '0000000000000000', state: 'starting' });
    await expect(lockDataDir(dir)).rejects.toThrow(/^Another server \(pid 4242, starting\) is already using/);
  });

  it('waits for a server starting at the same moment with a higher nonce, and is refused once it holds', async () => {
    const other = await fakeServer({ pid: 4242, host: hostname(), nonce: 'ffffffffffffffff', state: 'starting' });
    setTimeout(() => {
      other.holder.state = 'holding';
    }, 200);
    await expect(lockDataDir(dir)).rejects.toThrow(refusalNaming(4242));
  });

  it('waits for a server starting at the same moment with a higher nonce, and holds once it gives way', async () => {
    const other = await fakeServer({ pid: 4242, host: hostname(), nonce: 'ffffffffffffffff', state: 'starting' });
    setTimeout(() => other.close(), 200);
    const lock = await lockDataDir(dir);
    await lock.release();
  });

  it.runIf(isLinux)(
    'locks a directory whose path is too long for a socket address, through /proc/self/fd',
    async () => {
      const deep = join(dir, 'a-directory-name-long-enough'.repeat(4));
      await mkdir(deep);
      expect(Buffer.byteLength(deep)).toBeGreaterThan(108);
      const first = await lockDataDir(deep);
      expect(socketFiles(deep)).toHaveLength(1);
      expect(socketFiles(dir)).toEqual([]);
      await expect(lockDataDir(deep, { abstractSocket: false })).rejects.toThrow(refusalNaming(process.pid));
      await first.release();
      expect(socketFiles(deep)).toEqual([]);
    },
  );

  describe.skipIf(namespacesUnavailable !== undefined)(
    `across namespaces (needs Linux, root and unshare${namespacesUnavailable ? `; skipped: ${namespacesUnavailable}` : ''})`,
    () => {
      it('refuses a server in another network namespace, both ways, and is not blocked by one killed there', async () => {
        const first = await lockDataDir(dir);
        const [refused] = await startTogether([spawnLocker(dir, ['unshare', '-n'])]);
        expect(refused?.locked).toBe(false);
        expect(refused?.message).toMatch(refusalNaming(process.pid));
        await first.release();

        const holder = await spawnHolder(dir, ['unshare', '-n']);
        await expect(lockDataDir(dir)).rejects.toThrow(refusalNaming(holder.pid));
        await killAndWait(holder.child);
        const lock = await lockDataDir(dir);
        await lock.release();
      });

      it('lets exactly one of several servers starting at once in separate network namespaces hold the directory', async () => {
        const reports = await startTogether(Array.from({ length: 4 }, () => spawnLocker(dir, ['unshare', '-n'])));
        expect(reports.filter((report) => report.locked)).toHaveLength(1);
        for (const report of reports.filter((each) => !each.locked)) {
          expect(report.message).toMatch(/^Another server \(pid \d+(, starting)?\) is already using/);
        }
      });

      it('refuses a server that reaches the directory through a bind mount', async () => {
        const mountPoint = `${dir}-mount`;
        await mkdir(mountPoint);
        try {
          const first = await lockDataDir(dir);
          // A private mount namespace: the bind mount disappears with the locker.
          const script = `mount --bind '${dir}' '${mountPoint}' && exec "$0" "$@"`;
          const [refused] = await startTogether([spawnLocker(mountPoint, ['unshare', '-m', '-n', 'sh', '-c', script])]);
          expect(refused?.locked).toBe(false);
          expect(refused?.message).toMatch(refusalNaming(process.pid));
          expect(refused?.message).toContain(mountPoint);
          await first.release();
        } finally {
          await rm(mountPoint, { recursive: true });
        }
      });
    },
  );
});

interface FakeHolder {
  pid: number;
  host: string;
  nonce: string;
  state: 'starting' | 'holding';
}

/** Another server's socket file in the directory, answering what `holder` says at the moment it is asked. */
async function fakeServer(holder: FakeHolder): Promise<{ holder: FakeHolder; close(): void }> {
  const server = createServer((socket) => socket.end(JSON.stringify(holder)));
  await new Promise<void>((resolve) => server.listen(join(dir, `.server-${holder.nonce}.sock`), resolve));
  fakeServers.push(server);
  return { holder, close: () => server.close() };
}

/**
 * Whether the process is dead and unreaped. Its main thread shows Z while its other threads, which share
 * its sockets, are still exiting; only when it is alone is it all gone.
 */
function isZombie(pid: number): boolean {
  try {
    const state = /\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1];
    return state === 'Z' && readdirSync(`/proc/${pid}/task`).length === 1;
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(20);
  }
}

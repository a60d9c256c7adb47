// One server per data directory, also across containers, network namespaces and bind mounts. The lock is
// made of listening Unix sockets, which the kernel closes the moment their process dies (SIGKILL included,
// and even while the dead process lingers as an unreaped zombie, which fools a pid check), so a crash
// never leaves a lock that blocks the next start. Two of them:
// - on Linux, an abstract socket named after the directory's realpath: nothing on disk and refused at
//   once, but it belongs to one network namespace (one container, one pod) and is reached by one path;
// - a socket file in the directory itself, `.server-<nonce>.sock`, which the kernel finds through the
//   file's inode, so it is reached from every namespace and every mount of the directory.
//
// Why the socket file needs no check-then-delete on a shared name, and so leaves no race: each server
// binds its own file under a fresh random nonce, and listens under a `.new` name before renaming it to
// `.sock`; so a `.sock` that refuses connections belongs to a dead server for good, and anyone may delete
// it. Having created its `.sock`, a starter asks every other one: a holder, or a starter with a lower
// nonce, makes it give up; a starter with a higher nonce is waited for (that one gives up when it sees us,
// or holds if it looked before we existed). Of two servers, the one whose `.sock` came second looks after
// the first's exists, so it cannot hold while the first does; and the waits end, as each waits only for
// higher nonces. Not covered: servers on different machines sharing a network filesystem (a socket file
// connects only within the kernel that made it, so another machine's looks dead); servers of a version
// before the socket file, seen only through the abstract socket; and someone deleting the holder's file.

import { createHash, randomBytes } from 'node:crypto';
import { open, readdir, realpath, rename, rm } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StorageUnavailableError } from '../types.ts';

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

export interface LockOptions {
  /**
   * Linux: also claim the abstract socket (the default). Tests turn it off to stand for a server in
   * another network namespace, which only the socket file can see.
   */
  abstractSocket?: boolean;
}

/** What every lock socket answers whoever connects to it. */
interface Holder {
  pid: number;
  /** missing from servers before the socket file; then the same machine */
  host?: string;
  /** random; names this server's socket file and orders servers that start at the same moment */
  nonce: string;
  state: 'starting' | 'holding';
}

/** A listening lock socket, and the socket file it is bound to, if any. */
interface HeldSocket {
  server: Server;
  file?: string;
}

type Probe =
  /** nobody listens there: its server is dead (or, for an abstract name, not listening yet) */
  | { kind: 'gone' }
  | { kind: 'answered'; holder: Holder }
  /** its socket closed while the connection waited to be taken: its server is letting go of it, or has died */
  | { kind: 'closing' }
  /** someone is there, but gives no usable answer */
  | { kind: 'silent'; why: string };

const SOCKET_FILE = /^\.server-([0-9a-f]{16})\.sock$/;
// sun_path holds 108 bytes on Linux and 104 on macOS and the BSDs, its final NUL included; libuv would
// silently cut a longer path, binding a socket somewhere else.
const MAX_SOCKET_PATH = process.platform === 'linux' ? 107 : 103;
const PROBE_TIMEOUT_MS = 2000;
const STARTING_PEER_WAIT_MS = 5000;

export async function lockDataDir(dir: string, options: LockOptions = {}): Promise<DataDirLock> {
  const real = await realpath(dir);
  const me: Holder = { pid: process.pid, host: hostname(), nonce: randomBytes(8).toString('hex'), state: 'starting' };
  const held: HeldSocket[] = [];
  try {
    if (process.platform === 'linux' && options.abstractSocket !== false) await claimAbstractSocket(real, me, held);
    await claimSocketFile(real, me, held);
  } catch (error) {
    await releaseAll(held);
    throw error;
  }
  me.state = 'holding';
  return { release: () => releaseAll(held) };
}

async function claimAbstractSocket(real: string, me: Holder, held: HeldSocket[]): Promise<void> {
  const address = `\0event-ticketing-${createHash('sha256').update(real).digest('hex').slice(0, 40)}`;
  const server = answeringServer(me);
  try {
    await listen(server, address);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    // An abstract name lives exactly as long as its socket, so whoever has it is alive.
    throw new DataDirLockedError(real, describe(await probe(address)));
  }
  held.push({ server });
}

async function claimSocketFile(real: string, me: Holder, held: HeldSocket[]): Promise<void> {
  const name = `.server-${me.nonce}`;
  await withShortPath(real, `${name}.sock`, async (base) => {
    const server = answeringServer(me);
    try {
      await listen(server, join(base, `${name}.new`));
    } catch (error) {
      return cannotHoldSocketFile(real, held, error);
    }
    const socket: HeldSocket = { server, file: join(real, `${name}.new`) };
    held.push(socket);
    await rename(join(real, `${name}.new`), join(real, `${name}.sock`));
    socket.file = join(real, `${name}.sock`);
    // Some filesystems (FUSE, some VM file shares) keep the file but do not connect through it; there every
    // other server's file would look dead too, so it is no lock.
    const self = await probe(join(base, `${name}.sock`));
    if (self.kind !== 'answered' || self.holder.nonce !== me.nonce) {
      await releaseAll(held.splice(held.indexOf(socket), 1));
      const why = self.kind === 'silent' ? self.why : 'connecting to it does not reach this server';
      return cannotHoldSocketFile(real, held, new Error(why));
    }
    await giveWayToOtherServers(real, base, me);
  });
}

/**
 * Throws DataDirLockedError when another server holds the directory, or wins the start at the same moment;
 * removes the socket files of dead servers.
 */
async function giveWayToOtherServers(real: string, base: string, me: Holder): Promise<void> {
  for (const name of await readdir(real)) {
    const nonce = SOCKET_FILE.exec(name)?.[1];
    if (nonce === undefined || nonce === me.nonce) continue;
    const address = join(base, name);
    let answer = await probe(address);
    const deadline = Date.now() + STARTING_PEER_WAIT_MS;
    // Asked again: one starting after us gives way when it sees us; one closing its socket is gone once it has.
    while ((isStartingAfter(answer, me) || answer.kind === 'closing') && Date.now() < deadline) {
      await sleep(20);
      answer = await probe(address);
    }
    if (answer.kind !== 'gone') throw new DataDirLockedError(real, describe(answer));
    await rm(join(real, name), { force: true });
  }
}

/** A server starting at the same moment that gives way to us when it sees us. */
function isStartingAfter(answer: Probe, me: Holder): boolean {
  return answer.kind === 'answered' && answer.holder.state === 'starting' && answer.holder.nonce > me.nonce;
}

/**
 * Runs `use` with a path to the directory that leaves room for `name` in a socket address: the directory's
 * own path, or, when that is too long, /proc/self/fd/N of an open handle on it (Linux resolves it to the
 * same directory, for bind() and connect() alike). The file itself is renamed and removed by its real path.
 */
async function withShortPath(real: string, name: string, use: (base: string) => Promise<void>): Promise<void> {
  if (Buffer.byteLength(join(real, name)) <= MAX_SOCKET_PATH) return use(real);
  if (process.platform !== 'linux') {
    throw new StorageUnavailableError(
      `The data directory path ${real} is too long for the socket that locks it (at most ${MAX_SOCKET_PATH - name.length - 1} bytes here). Give DATA_DIR a shorter path.`,
    );
  }
  const handle = await open(real, 'r');
  try {
    await use(`/proc/self/fd/${handle.fd}`);
  } finally {
    await handle.close();
  }
}

/**
 * Where a socket file cannot be made to work, Linux keeps the abstract socket (the lock as it was before
 * the socket file, for one network namespace) and says so; elsewhere there would be no lock at all.
 */
function cannotHoldSocketFile(real: string, held: HeldSocket[], error: unknown): void {
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  if (held.length === 0) {
    throw new StorageUnavailableError(
      `The data directory ${real} cannot hold the socket that locks it (${reason}). Give DATA_DIR a directory on a local disk.`,
      { cause: error },
    );
  }
  process.emitWarning(
    `The data directory ${real} cannot hold the socket file that locks it (${reason}): only servers in this network namespace are kept off it. Run a single server (container, pod) on it.`,
    { code: 'DATA_DIR_LOCK_FILE' },
  );
}

function answeringServer(me: Holder): Server {
  const server = createServer((socket) => {
    // A prober may hang up before reading; its reset must not become an uncaught error in the server.
    socket.on('error', () => socket.destroy());
    // Closed as soon as the answer is written, whatever the other side does: a connection left open would
    // hold a file descriptor, and keep the lock's release (server.close) waiting at shutdown.
    socket.end(JSON.stringify(me), () => socket.destroy());
  });
  server.unref();
  return server;
}

async function releaseAll(held: HeldSocket[]): Promise<void> {
  for (const { server, file } of held) {
    // Only our own file: its name carries our nonce, which no other server has.
    if (file !== undefined) await rm(file, { force: true });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
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

function probe(address: string): Promise<Probe> {
  return new Promise((resolve) => {
    let reply = '';
    const socket = connect(address);
    socket.setEncoding('utf8');
    socket.setTimeout(PROBE_TIMEOUT_MS);
    socket.on('data', (chunk: string) => {
      reply += chunk;
    });
    socket.on('end', () => {
      socket.destroy();
      resolve(readAnswer(reply));
    });
    socket.on('timeout', () => {
      socket.destroy();
      resolve({ kind: 'silent', why: 'not answering' });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // ECONNREFUSED: the file is there but its socket was closed; ENOENT: someone removed it meanwhile;
      // ECONNRESET: the socket was closed while this connection waited in its queue.
      if (error.code === 'ECONNREFUSED' || error.code === 'ENOENT') resolve({ kind: 'gone' });
      else if (error.code === 'ECONNRESET') resolve({ kind: 'closing' });
      else resolve({ kind: 'silent', why: `not answering: ${error.code ?? error.message}` });
    });
  });
}

function readAnswer(reply: string): Probe {
  let answer: Partial<Holder>;
  try {
    answer = JSON.parse(reply);
  } catch {
    return { kind: 'silent', why: 'pid unknown' };
  }
  if (typeof answer?.pid !== 'number') return { kind: 'silent', why: 'pid unknown' };
  return {
    kind: 'answered',
    holder: {
      pid: answer.pid,
      host: typeof answer.host === 'string' ? answer.host : undefined,
      nonce: typeof answer.nonce === 'string' ? answer.nonce : '',
      // A server before the socket file answered only its pid, once it held the directory.
      state: answer.state === 'starting' ? 'starting' : 'holding',
    },
  };
}

/** The holder as the refusal names it: "(pid 123)", "(pid 1 on host web-2)", "(pid 7, starting)". */
function describe(answer: Probe): string {
  if (answer.kind === 'gone') return '(pid unknown)';
  if (answer.kind === 'silent') return `(${answer.why})`;
  if (answer.kind === 'closing') return '(stopping)';
  const { pid, host, state } = answer.holder;
  const where = host !== undefined && host !== hostname() ? ` on host ${host}` : '';
  return `(pid ${pid}${where}${state === 'starting' ? ', starting' : ''})`;
}

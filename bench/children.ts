// The servers under test, each in its own child process: the built product server and the bare Fastify
// baseline. Both listen on a port the OS picks and print their address when ready.

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir, removeTempDir, trackChild, trackGrandchild } from './cleanup.ts';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SERVER_ENTRY = join(REPO_ROOT, 'apps/api/dist/server.js');
const BARE_FASTIFY_ENTRY = fileURLToPath(new URL('./bare-fastify.ts', import.meta.url));
const BARE_REPLAY_ENTRY = fileURLToPath(new URL('./bare-replay.mjs', import.meta.url));
const GNU_TIME = '/usr/bin/time';

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
const OUTPUT_KEPT_CHARS = 20_000;

export interface Server {
  /** http://127.0.0.1:port */
  url: string;
  /** the serving process (under /usr/bin/time, its child) */
  pid: number;
  /** milliseconds from spawn until the server printed that it is listening */
  startMs: number;
  /** the tail of what the server printed (stdout and stderr) */
  output(): string;
  /** SIGTERM, then waits for the exit (SIGKILL after a timeout); safe to call twice */
  stop(): Promise<Stopped>;
}

export interface Stopped {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** peak resident set size, when started with measureRss */
  maxRssBytes?: number;
}

export interface ProductServer extends Server {
  dataDir: string;
  staffToken: string;
}

export interface ProductOptions {
  /** an existing data directory (e.g. holding a generated journal); a fresh one is made when absent */
  dataDir?: string;
  logLevel?: string;
  /** extra flags for node, such as --cpu-prof */
  nodeArgs?: string[];
  /** run under /usr/bin/time -v to learn the peak RSS when it stops */
  measureRss?: boolean;
  /** extra environment, e.g. DATABASE_URL for the PostgreSQL store */
  env?: Record<string, string>;
  /** the staff token to use (servers sharing one database must share it) */
  staffToken?: string;
}

/** Starts apps/api/dist/server.js. A data directory made here is removed when the server stops. */
export async function startProduct(options: ProductOptions = {}): Promise<ProductServer> {
  if (!existsSync(SERVER_ENTRY)) throw new Error(`${SERVER_ENTRY} is missing: run pnpm build first`);
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? makeTempDir('data');
  const staffToken = options.staffToken ?? randomBytes(24).toString('base64url');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    HOST,
    PORT: '0',
    DATA_DIR: dataDir,
    STAFF_TOKEN: staffToken,
    REGISTER_RATE_LIMIT: '0',
    LOG_LEVEL: options.logLevel ?? 'warn',
    // Capacities of a new event (a generated journal brings its own): enough seats that nobody waits.
    VIP_CAPACITY: '1000000',
    REGULAR_CAPACITY: '1000000',
    ...options.env,
  };
  const nodeCommand = [process.execPath, ...(options.nodeArgs ?? []), SERVER_ENTRY];
  const timeFile = options.measureRss ? join(makeTempDir('time'), 'time.txt') : undefined;
  const [command, ...args] = timeFile ? [GNU_TIME, '-v', '-o', timeFile, ...nodeCommand] : nodeCommand;
  const server = await startServer(command as string, args, env, /running at (http:\/\/[^\s]+)/);

  const stop = once(async () => {
    const stopped = await server.stop();
    if (timeFile) {
      stopped.maxRssBytes = parseMaxRss(readFileSync(timeFile, 'utf8'));
      removeTempDir(join(timeFile, '..'));
    }
    if (ownsDataDir) removeTempDir(dataDir);
    return stopped;
  });
  return { ...server, dataDir, staffToken, stop };
}

/**
 * Starts the product with these options, waits until it listens and stops it again: how long it took to listen
 * and its peak RSS. A server that does not stop cleanly fails the measurement, with what it printed.
 */
export async function timeProductStart(options: ProductOptions): Promise<{ startMs: number; maxRssBytes: number }> {
  const server = await startProduct({ ...options, measureRss: true });
  const stopped = await server.stop();
  if (stopped.code !== 0) throw new Error(`the server exited with code ${stopped.code}:\n${server.output()}`);
  return { startMs: server.startMs, maxRssBytes: stopped.maxRssBytes ?? 0 };
}

/** Starts the baseline: a bare Fastify app with one JSON route. */
export function startBareFastify(): Promise<Server> {
  return startServer(
    process.execPath,
    ['--import', 'tsx', BARE_FASTIFY_ENTRY],
    { ...process.env, NODE_ENV: 'production', HOST, PORT: '0' },
    /listening at (http:\/\/[^\s]+)/,
  );
}

/** Starts the restart's reference (bare-replay.mjs): Node and Fastify reading the journal's lines, then listening. */
export function startBareReplay(journalPath: string): Promise<Server> {
  return startServer(
    process.execPath,
    [BARE_REPLAY_ENTRY],
    { ...process.env, NODE_ENV: 'production', HOST, PORT: '0', JOURNAL: journalPath },
    /listening at (http:\/\/[^\s]+)/,
  );
}

export function hasGnuTime(): boolean {
  return existsSync(GNU_TIME);
}

async function startServer(command: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<Server> {
  const spawnedAt = performance.now();
  const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  trackChild(child);
  let output = '';
  const exited = new Promise<Stopped>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

  const url = await new Promise<string>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => fail(`did not start within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    function fail(reason: string) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${[command, ...args].join(' ')} ${reason}. Its output:\n${output}`));
    }
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_KEPT_CHARS);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      keep(chunk);
      const match = settled ? null : ready.exec(output);
      if (match?.[1]) {
        settled = true;
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr.on('data', keep);
    child.once('error', (error) => fail(`could not be spawned (${error.message})`));
    child.once('exit', (code, signal) => fail(`exited (code ${code}, signal ${signal})`));
  });
  const startMs = performance.now() - spawnedAt;

  // Under /usr/bin/time the server is a grandchild: it is the one to signal, so that time can report.
  const serving = command === GNU_TIME ? servingPid(child) : (child.pid as number);
  let stopping = false;
  // A server that dies during a load is the most likely reason for a stalled run: say so at once.
  void exited.then(({ code, signal }) => {
    if (!stopping) {
      process.stderr.write(
        `bench: ${[command, ...args].join(' ')} (${url}) exited unexpectedly (code ${code}, signal ${signal}). Its output:\n${output}\n`,
      );
    }
  });
  const stop = once(async () => {
    stopping = true;
    if (child.exitCode === null && child.signalCode === null) {
      signal(serving, 'SIGTERM');
      const timer = setTimeout(() => {
        signal(serving, 'SIGKILL');
        child.kill('SIGKILL');
      }, STOP_TIMEOUT_MS);
      const stopped = await exited;
      clearTimeout(timer);
      return stopped;
    }
    return exited;
  });
  return { url, pid: serving, startMs, output: () => output, stop };
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function servingPid(wrapper: ChildProcess): number {
  const pid = wrapper.pid as number;
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
  const child = Number(children[0]);
  if (!Number.isInteger(child) || child <= 0) throw new Error(`${GNU_TIME} (pid ${pid}) has no child process`);
  trackGrandchild(wrapper, child);
  return child;
}

function parseMaxRss(report: string): number {
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(report);
  if (!match) throw new Error(`no "Maximum resident set size" in the output of ${GNU_TIME}:\n${report}`);
  return Number(match[1]) * 1024;
}

function once<T>(run: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => {
    result ??= run();
    return result;
  };
}

// Starts the built app (apps/api/dist/server.js, which also serves the web client) on a free port with a
// fresh data directory, for the browser tests and the demo, and stops it cleanly.

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SERVER_ENTRY = path.join(REPO_ROOT, 'apps/api/dist/server.js');

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;
// Enough of the server's output to explain a failed start without holding a whole log in memory.
const OUTPUT_KEPT_CHARS = 20_000;

export interface AppOptions {
  vipCapacity?: number;
  regularCapacity?: number;
}

export interface RunningApp {
  baseURL: string;
  staffToken: string;
  dataDir: string;
  /** The server's output so far (stdout and stderr interleaved, tail only). */
  output(): string;
  /** Sends SIGTERM, waits for the process to exit and removes the data directory. Safe to call twice. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
// Last line of defence: a crashed test worker or an interrupted demo must not leave servers behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startApp(options: AppOptions = {}): Promise<RunningApp> {
  if (!existsSync(SERVER_ENTRY)) {
    throw new Error(`${SERVER_ENTRY} is missing. Run pnpm build first (in ${REPO_ROOT}).`);
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'ticketing-e2e-'));
  try {
    return await startOnFreePort(dataDir, options);
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

async function startOnFreePort(dataDir: string, options: AppOptions): Promise<RunningApp> {
  // The port is free when the OS hands it out but another process may take it before the server
  // binds it; that race is rare, so a couple of retries beat any locking scheme.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startServer(await findFreePort(), dataDir, options);
    } catch (error) {
      if (attempt >= 3 || !(error instanceof PortTakenError)) throw error;
    }
  }
}

class PortTakenError extends Error {}

async function startServer(port: number, dataDir: string, options: AppOptions): Promise<RunningApp> {
  const staffToken = randomBytes(24).toString('base64url');
  const baseURL = `http://${HOST}:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    HOST,
    PORT: String(port),
    DATA_DIR: dataDir,
    STAFF_TOKEN: staffToken,
    // Tests and demos register many people from one address within seconds.
    REGISTER_RATE_LIMIT: '0',
    // Request logs would crowd out the start-up errors that the kept output is there to explain.
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  if (options.vipCapacity !== undefined) env.VIP_CAPACITY = String(options.vipCapacity);
  if (options.regularCapacity !== undefined) env.REGULAR_CAPACITY = String(options.regularCapacity);

  const child = spawn(process.execPath, [SERVER_ENTRY], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_KEPT_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? (signal ? -1 : null));
    });
  });

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      await rm(dataDir, { recursive: true, force: true });
    })();
    return stopped;
  };

  try {
    await waitUntilReady(baseURL, exited, () => output);
  } catch (error) {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
    throw error;
  }
  return { baseURL, staffToken, dataDir, output: () => output, stop };
}

async function waitUntilReady(baseURL: string, exited: Promise<number | null>, output: () => string) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      const log = output();
      const message = `The server exited (code ${exitCode}) before it was ready. Its output:\n${log}`;
      throw /EADDRINUSE/.test(log) ? new PortTakenError(message) : new Error(message);
    }
    try {
      const response = await fetch(`${baseURL}/readyz`, { signal: AbortSignal.timeout(1_000) });
      if (response.status === 200) return;
      lastProblem = `GET /readyz answered ${response.status}: ${await response.text()}`;
    } catch (error) {
      lastProblem = `GET /readyz failed: ${(error as Error).message}`;
    }
    // Waits for whichever comes first: the next polling slot or the server dying.
    await Promise.race([new Promise((resolve) => setTimeout(resolve, 100)), exited]);
  }
  throw new Error(
    `The server at ${baseURL} was not ready within ${READY_TIMEOUT_MS / 1000} s (${lastProblem}). Its output:\n${output()}`,
  );
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('The OS did not give a free port'))));
    });
  });
}

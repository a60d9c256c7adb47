// Runs the real server entry (src/server.ts) in a child process, as production does, for crash tests.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVER_ENTRY = fileURLToPath(new URL('../server.ts', import.meta.url));

export interface ChildServer {
  url: string;
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Starts the server; resolves once it listens, rejects with its output if it exits first. Without a DATA_DIR it
 * gets an empty one of its own, removed when it exits: a server on PostgreSQL still looks at its data directory
 * (and refuses to start beside an event there), and the default is the checkout's data/, which holds an event
 * once someone has run pnpm start in it.
 */
export function spawnServer(env: Record<string, string>): Promise<ChildServer> {
  const ownDataDir = env.DATA_DIR === undefined ? mkdtempSync(join(tmpdir(), 'ticketing-child-')) : undefined;
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER_ENTRY], {
    env: {
      ...process.env,
      PORT: '0',
      LOG_LEVEL: 'warn',
      REGISTER_RATE_LIMIT: '0',
      ...(ownDataDir && { DATA_DIR: ownDataDir }),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
      resolve(code);
    }),
  );
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match?.[1]) resolve({ url: match[1], process: child, output: () => output, exited });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
  });
}

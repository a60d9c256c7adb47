// Finds the Chromium that the tests and the demo drive, and the flags it is launched with.

import { existsSync } from 'node:fs';
import { chromium, type LaunchOptions } from '@playwright/test';

const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

// Quiet, headless-friendly flags: no sandbox (containers run as root), and nothing that phones home
// or updates itself mid-run, so a test never waits on the network for reasons of its own.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export const MISSING_CHROMIUM_MESSAGE =
  'No Chromium found for Playwright. Install Chromium: apt-get install -y chromium, ' +
  'or set CHROMIUM_PATH=/path/to/chrome';

/** An explicit path wins, then Playwright's own download, then a system Chromium; throws when there is none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const variable = env.CHROMIUM_PATH ? 'CHROMIUM_PATH' : 'PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH';
  const override = env[variable];
  if (override) {
    // A wrong override is a typo to fix, not a reason to silently test another browser.
    if (!existsSync(override)) {
      throw new Error(`${variable}=${override} does not exist. Point it at a Chrome or Chromium, or unset it.`);
    }
    return override;
  }
  for (const candidate of [playwrightsOwnChromium(), ...SYSTEM_CHROMIUMS]) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  throw new Error(MISSING_CHROMIUM_MESSAGE);
}

function playwrightsOwnChromium(): string | undefined {
  try {
    return chromium.executablePath();
  } catch {
    // Older Playwright versions throw when no browser was downloaded; that only means "not this one".
    return undefined;
  }
}

/** Launch options for Playwright's chromium.launch() and the config's `launchOptions`. */
export function chromiumLaunchOptions(extra: LaunchOptions = {}): LaunchOptions {
  return { ...extra, executablePath: findChromium(), args: [...CHROMIUM_ARGS, ...(extra.args ?? [])] };
}

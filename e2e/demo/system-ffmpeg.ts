// Loaded before the demo (node --import) when it may record video. Playwright records through an
// ffmpeg build of its own, whose download is not reachable everywhere; when that build is missing and
// the system has an ffmpeg, this points Playwright at the system one. It must run before Playwright
// loads, because Playwright reads PLAYWRIGHT_BROWSERS_PATH once, when it is imported.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';

function ffmpegRevision(): string | undefined {
  const require = createRequire(createRequire(import.meta.url).resolve('@playwright/test/package.json'));
  const core = path.dirname(require.resolve('playwright-core/package.json'));
  const browsers = JSON.parse(readFileSync(path.join(core, 'browsers.json'), 'utf8')) as {
    browsers: { name: string; revision: string }[];
  };
  return browsers.browsers.find((browser) => browser.name === 'ffmpeg')?.revision;
}

function systemFfmpeg(): string | undefined {
  try {
    return execFileSync('which', ['ffmpeg'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

if (process.argv.includes('--video') && process.platform === 'linux' && !process.env.PLAYWRIGHT_BROWSERS_PATH) {
  const revision = ffmpegRevision();
  const own = path.join(homedir(), '.cache', 'ms-playwright', `ffmpeg-${revision}`, 'ffmpeg-linux');
  const system = systemFfmpeg();
  if (revision && !existsSync(own) && system) {
    const browsers = mkdtempSync(path.join(tmpdir(), 'demo-playwright-'));
    mkdirSync(path.join(browsers, `ffmpeg-${revision}`));
    symlinkSync(system, path.join(browsers, `ffmpeg-${revision}`, 'ffmpeg-linux'));
    process.env.PLAYWRIGHT_BROWSERS_PATH = browsers;
    process.stdout.write(`Recording video with the system's ffmpeg (${system}).\n`);
  }
}

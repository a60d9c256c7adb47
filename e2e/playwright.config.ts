// Browser end-to-end journeys against the built app. Servers are started by fixtures (fixtures.ts), one per
// worker and one per test that needs an untouched event, rather than by `webServer`, so no two workers
// share a data directory.

import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './browser.ts';

const CI = Boolean(process.env.CI);

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  // The machine has two cores; each worker drives a browser and a server of its own.
  workers: 2,
  fullyParallel: false,
  forbidOnly: CI,
  retries: CI ? 1 : 0,
  timeout: 60_000,
  // The summary page polls; its figures may take one polling interval to change.
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { outputFolder: 'artifacts/report', open: 'never' }]],
  outputDir: 'artifacts/test-results',
  use: {
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: { browserName: 'chromium', launchOptions: chromiumLaunchOptions() },
    },
  ],
});

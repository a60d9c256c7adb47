// Playwright fixtures: each worker runs its own server on its own data directory (`app`), and a test
// that needs an untouched event with exact figures asks for a server of its own (`freshApp`).

import { type BrowserContext, test as base, type Page, type PlaywrightWorkerArgs } from '@playwright/test';
import { Api } from './api.ts';
import { type AppOptions, startApp } from './server.ts';

export interface App {
  baseURL: string;
  staffToken: string;
  dataDir: string;
  api: Api;
  /** An absolute address on this server, for pages that must not go to the worker's shared one. */
  url(path: string): string;
}

interface WorkerFixtures {
  /** Capacities of the worker's shared server: large, so journeys in one worker do not sell each other out. */
  appOptions: AppOptions;
  app: App;
}

interface TestFixtures {
  /** Opens a page in a browser context of its own: another person, with their own storage. */
  newPersonPage: () => Promise<Page>;
  /** Capacities of `freshApp`; set with test.use({ freshAppOptions: { ... } }). */
  freshAppOptions: AppOptions;
  freshApp: App;
}

async function runApp(
  playwright: PlaywrightWorkerArgs['playwright'],
  options: AppOptions,
  use: (app: App) => Promise<void>,
) {
  const server = await startApp(options);
  const request = await playwright.request.newContext({ baseURL: server.baseURL });
  try {
    await use({
      baseURL: server.baseURL,
      staffToken: server.staffToken,
      dataDir: server.dataDir,
      api: new Api(request, server.staffToken),
      url: (path) => new URL(path, server.baseURL).href,
    });
  } finally {
    await request.dispose();
    await server.stop();
  }
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  appOptions: [
    { vipCapacity: 100, regularCapacity: 200 },
    { scope: 'worker', option: true },
  ],
  app: [
    async ({ playwright, appOptions }, use) => runApp(playwright, appOptions, use),
    // Starting a server waits up to 20 s for readiness; the default fixture timeout would cut that short.
    { scope: 'worker', timeout: 40_000 },
  ],
  // page.goto('/') and friends go to the worker's server.
  baseURL: async ({ app }, use) => use(app.baseURL),

  newPersonPage: async ({ browser, baseURL }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async () => {
      const context = await browser.newContext({ baseURL });
      contexts.push(context);
      return context.newPage();
    });
    for (const context of contexts) await context.close();
  },

  freshAppOptions: [{}, { option: true }],
  freshApp: [
    async ({ playwright, freshAppOptions }, use) => runApp(playwright, freshAppOptions, use),
    { timeout: 40_000 },
  ],
});

export { expect } from '@playwright/test';

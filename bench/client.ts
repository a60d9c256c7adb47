// What the web client costs a visitor: its gzipped download, and how soon / and /summary show something in
// headless Chromium when served by the built server.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Browser, chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/browser.ts';
import { REPO_ROOT, startProduct } from './children.ts';
import { formatBytes, formatMs, median, plural } from './numbers.ts';
import type { Row, Table } from './report.ts';

export interface ClientOptions {
  /** page loads per page; the median is reported */
  loads: number;
}

const ASSETS_DIR = join(REPO_ROOT, 'apps/web/dist/assets');
const MAX_JS_GZIP_BYTES = 120 * 1024;
const PAGES = ['/', '/summary'];
const RENDER_TIMEOUT_MS = 10_000;
const RENDER_TITLE = 'Web client first render (headless Chromium, local server)';

export async function runClient(options: ClientOptions): Promise<Table[]> {
  const sizes = sizeTable();
  try {
    return [sizes, await renderTable(options)];
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0] ?? '';
    return [
      sizes,
      {
        title: RENDER_TITLE,
        columns: ['page', 'error'],
        rows: [{ cells: ['all', reason], target: 'renders', pass: false }],
        notes: [],
      },
    ];
  }
}

function sizeTable(): Table {
  if (!existsSync(ASSETS_DIR)) throw new Error(`${ASSETS_DIR} is missing: run pnpm build first`);
  const files = readdirSync(ASSETS_DIR);
  const measureKind = (extension: string) => {
    let raw = 0;
    let gzipped = 0;
    for (const file of files.filter((name) => name.endsWith(extension))) {
      const content = readFileSync(join(ASSETS_DIR, file));
      raw += content.length;
      gzipped += gzipSync(content, { level: 9 }).length;
    }
    return { raw, gzipped, count: files.filter((name) => name.endsWith(extension)).length };
  };
  const js = measureKind('.js');
  const css = measureKind('.css');
  const rows: Row[] = [
    {
      cells: [
        `JavaScript (${plural(js.count, 'file')})`,
        formatBytes(js.raw),
        formatBytes(js.gzipped, MAX_JS_GZIP_BYTES),
      ],
      target: `gzip < ${formatBytes(MAX_JS_GZIP_BYTES)}`,
      pass: js.gzipped < MAX_JS_GZIP_BYTES,
    },
    { cells: [`CSS (${plural(css.count, 'file')})`, formatBytes(css.raw), formatBytes(css.gzipped)], target: '' },
  ];
  return {
    title: 'Web client download (apps/web/dist/assets, gzip level 9)',
    columns: ['assets', 'raw', 'gzipped'],
    rows,
    notes: [],
  };
}

async function renderTable(options: ClientOptions): Promise<Table> {
  // The browser the end-to-end tests use, found the same way (and failing with the same advice).
  const launchOptions = chromiumLaunchOptions({ headless: true });
  const server = await startProduct();
  const baseline = await startBaselinePage();
  const browser = await chromium.launch(launchOptions);
  try {
    const rows: Row[] = [];
    for (const path of PAGES) {
      try {
        rows.push({
          cells: [path, ...(await medianRender(browser, `${server.url}${path}`, options.loads))],
          target: 'renders',
          pass: true,
        });
      } catch (error) {
        rows.push({ cells: [path, (error as Error).message.split('\n')[0] ?? '', ''], target: 'renders', pass: false });
      }
    }
    // What the same browser takes for a page of one heading and nothing else: the floor on this machine.
    rows.push({
      cells: ['reference: a page that is one <h1>', ...(await medianRender(browser, baseline.url, options.loads))],
      target: '',
    });
    return {
      title: RENDER_TITLE,
      columns: ['page', 'first contentful paint', 'main heading visible'],
      rows,
      notes: [
        `Median of ${options.loads} loads, each in a fresh browser context (empty cache), after one uncounted load; times from navigation start.`,
        'The reference row is the same browser on a page of one heading from a bare local HTTP server: what a first paint costs on this machine before any of the product.',
      ],
    };
  } finally {
    await browser.close();
    await server.stop();
    baseline.server.close();
  }
}

/** A local HTTP server whose only page is a heading, for the reference row. */
async function startBaselinePage(): Promise<{ server: HttpServer; url: string }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><html lang="en"><title>Reference</title><h1>Reference</h1></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

/** Median first contentful paint and heading time of `loads` loads, formatted, after one uncounted load. */
async function medianRender(browser: Browser, url: string, loads: number): Promise<[string, string]> {
  // Chromium's first page pays for starting its renderer.
  await firstRender(browser, url);
  const times = [];
  for (let i = 0; i < loads; i++) times.push(await firstRender(browser, url));
  return [
    formatMs(median(times.map((time) => time.firstContentfulPaint))),
    formatMs(median(times.map((time) => time.headingVisible))),
  ];
}

async function firstRender(
  browser: Browser,
  url: string,
): Promise<{ firstContentfulPaint: number; headingVisible: number }> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const response = await page.goto(url, { waitUntil: 'commit' });
    if (!response?.ok()) throw new Error(`GET ${new URL(url).pathname} answered ${response?.status() ?? 'nothing'}`);
    // Polled on every animation frame in the page, so the time is when the heading was first laid out.
    const heading = await page.waitForFunction(
      () => {
        const h1 = document.querySelector('h1');
        return h1 && h1.getBoundingClientRect().height > 0 ? performance.now() : false;
      },
      undefined,
      { timeout: RENDER_TIMEOUT_MS },
    );
    const paint = await page.waitForFunction(
      () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? false,
      undefined,
      { timeout: RENDER_TIMEOUT_MS },
    );
    return {
      headingVisible: (await heading.jsonValue()) as number,
      firstContentfulPaint: (await paint.jsonValue()) as number,
    };
  } finally {
    await context.close();
  }
}

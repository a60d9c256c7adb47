// The on-sale rush, acted out in a real browser: many attendees register at once, staff process the
// queue, then cancel two confirmed tickets from the dashboard and the waitlist moves up. Run with
// `pnpm demo`; `--help` lists the options.

import { copyFile, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type Browser, type BrowserContext, chromium, expect, type Page, request } from '@playwright/test';
import type { CancelResponse, SummaryData, TicketType } from '@ticketing/shared';
import { Api, type Person } from '../api.ts';
import { chromiumLaunchOptions } from '../browser.ts';
import { REPO_ROOT, type RunningApp, startApp } from '../server.ts';
import {
  registerThroughForm,
  salesRow,
  signInWithLink,
  staffSection,
  termValue,
  ticketCard,
  ticketRows,
} from '../ui.ts';

const HELP = `Usage: pnpm demo [options]    (at the root it builds first; in e2e/ it runs the last build)

A browser-driven on-sale rush: attendees register through the page at the same time, staff
process the queue from the dashboard, then cancel two confirmed tickets there and the waitlist
is promoted.

Options:
  --attendees N   how many attendees rush in (default 24)
  --headed        show the browser (slowed down a little so it can be followed)
  --video         record a video of every page into the output folder
  --out DIR       where screenshots (and videos) go (default demo-output/<timestamp>/)
  --help          show this help
`;

const CAPACITY = { VIP: 5, Regular: 20 } as const;
// Registering is quick, but each page is a whole browser tab: a few at a time keep two cores responsive.
const RUSH_CONCURRENCY = 6;
const PROCESSING_DEADLINE_MS = 120_000;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 860 };

// Real people's names from many places: accents, apostrophes, hyphens, and non-Latin scripts (including
// right-to-left ones) exercise the same paths a real on-sale would.
const NAMES: readonly [string, string][] = [
  ['Amara', 'Okafor'],
  ['Søren', 'Kierkegaard'],
  ['美咲', '佐藤'],
  ['José', 'Núñez'],
  ['Siobhán', "O'Sullivan"],
  ['Дмитрий', 'Иванов'],
  ['Chloé', 'Dubois'],
  ['محمد', 'العلي'],
  ['Nguyễn', 'Thị Minh'],
  ['Łucja', 'Wiśniewska'],
  ['Kofi', 'Mensah'],
  ['Ingrid', 'Øvrebø'],
  ['小龙', '李'],
  ['Ümit', 'Yılmaz'],
  ['Anne-Marie', 'Lefebvre'],
  ['Αλέξανδρος', 'Παπαδόπουλος'],
  ['Priya', 'Raghunathan'],
  ['Wiremu', 'Ngata'],
  ['שירה', 'כהן'],
  ['Xóchitl', 'Hernández'],
  ['Zoë', 'Müller'],
  ['Tomás', 'Ó Briain'],
  ['Aiyana', 'Begay'],
  ['Hiroshi', 'Tanaka'],
  ['Valentina', 'García'],
  ['Yerlan', 'Nurgaliyev'],
  ['Björn', 'Lindqvist'],
  ['Raúl', 'Álvarez'],
  ['지민', '박'],
  ['Kwame', 'Asante'],
];

interface Options {
  attendees: number;
  headed: boolean;
  video: boolean;
  outDir: string;
}

interface Attendee {
  person: Person;
  context: BrowserContext;
  page: Page;
  id?: string;
}

const started = Date.now();
function say(message: string) {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
  console.log(`[${seconds}s] ${message}`);
}

function parseOptions(argv: string[]): Options | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      attendees: { type: 'string', default: '24' },
      headed: { type: 'boolean', default: false },
      video: { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return undefined;
  if (values.headed && process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    throw new Error('--headed needs a display, and DISPLAY is not set: run without --headed, or under xvfb-run');
  }
  const attendees = Number(values.attendees);
  if (!Number.isInteger(attendees) || attendees < 1 || attendees > 500) {
    throw new Error(`--attendees must be a whole number from 1 to 500, not "${values.attendees}"`);
  }
  // `pnpm demo` runs this in e2e/; a relative --out means relative to where the person typed the command.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const outDir = values.out ? path.resolve(cwd, values.out) : path.join(REPO_ROOT, 'demo-output', stamp);
  return { attendees, headed: values.headed, video: values.video, outDir };
}

/** Mixed crowd: two in five are VIP, so with the demo's capacities the VIP waitlist fills. */
function crowd(size: number): Person[] {
  return Array.from({ length: size }, (_, i) => {
    const [first_name, last_name] = NAMES[i % NAMES.length] ?? ['Alex', 'Doe'];
    const ticket_type: TicketType = i % 5 === 0 || i % 5 === 2 ? 'VIP' : 'Regular';
    return { first_name, last_name, ticket_type };
  });
}

/** Runs `work` over `items` with at most `limit` running at once, in order of start. */
async function inPool<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** What this machine lacks for the options given: said in one sentence, with no stack. */
class SetupError extends Error {}

/** Playwright records video through an ffmpeg of its own download; find out before the rush, not during. */
async function checkVideoRecording(browser: Browser, videoDir: string) {
  const probe = await browser.newContext({ recordVideo: { dir: videoDir } });
  try {
    const page = await probe.newPage();
    await probe.close();
    await page.video()?.delete();
  } catch (error) {
    await probe.close();
    const reason = (error as Error).message.split('\n')[0];
    throw new SetupError(
      `--video cannot record on this machine (${reason}). Install ffmpeg (apt-get install -y ffmpeg) or run: pnpm exec playwright install ffmpeg`,
    );
  }
}

/**
 * Cancels a confirmed ticket from its row in the dashboard's "VIP Confirmed" or "Regular Confirmed" list, and
 * returns the API's answer. A dashboard without that button fails the demo: it is what the demo shows.
 */
async function cancelConfirmedTicket(staffPage: Page, attendee: Attendee, id: string): Promise<CancelResponse> {
  const seats = staffSection(staffPage, `${attendee.person.ticket_type} Confirmed`);
  const button = seats.getByRole('button', { name: `Cancel ticket ${id}` });
  await expect(
    button,
    `the dashboard's ${attendee.person.ticket_type} Confirmed list offers "Cancel ticket ${id}"`,
  ).toBeVisible();
  await button.click();
  const answered = staffPage.waitForResponse((r) => new URL(r.url()).pathname === '/api/cancel_ticket');
  await staffPage
    .getByRole('dialog', { name: `Cancel ticket ${id}?` })
    .getByRole('button', { name: 'Yes, cancel' })
    .click();
  const response = await answered;
  if (!response.ok()) throw new Error(`Cancelling ${id} failed: ${response.status()} ${await response.text()}`);
  const result = (await response.json()) as CancelResponse;
  // The dashboard says what happened, in the API's words, in the list the ticket left.
  await expect(seats.getByRole('status')).toHaveText(result.message);
  return result;
}

function summaryTable(summary: SummaryData): string {
  const rows = [
    ['Type', 'Sold', 'Remaining', 'Capacity'],
    ['VIP', summary.vip_sold, summary.vip_remaining, summary.vip_capacity],
    ['Regular', summary.regular_sold, summary.regular_remaining, summary.regular_capacity],
    ['Total', summary.total_sold, summary.total_remaining, summary.total_capacity],
  ].map((cells) => cells.map(String));
  const widths = [0, 1, 2, 3].map((col) => Math.max(...rows.map((cells) => cells[col]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells.map((cell, col) => (col === 0 ? cell.padEnd(widths[col] ?? 0) : cell.padStart(widths[col] ?? 0))).join(' | ');
  const rule = widths.map((width) => '-'.repeat(width)).join('-+-');
  const [header, ...body] = rows;
  return [
    line(header ?? []),
    rule,
    ...body.map(line),
    '',
    `Waitlist: VIP ${summary.vip_waitlist_length}, Regular ${summary.regular_waitlist_length}` +
      `   Queue: VIP ${summary.vip_queue_length}, Regular ${summary.regular_queue_length}`,
  ].join('\n');
}

async function run(options: Options, resources: { app?: RunningApp; browser?: Browser }) {
  await mkdir(options.outDir, { recursive: true });
  const videoDir = path.join(options.outDir, 'videos');
  let shot = 0;
  const screenshot = async (page: Page, name: string) => {
    shot++;
    const file = path.join(options.outDir, `${String(shot).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    say(`  screenshot ${path.basename(file)}`);
  };

  const browser = await chromium.launch(
    // Our own signal handlers close the browser and then stop the server; Playwright's would exit first.
    chromiumLaunchOptions({
      headless: !options.headed,
      slowMo: options.headed ? 150 : 0,
      handleSIGINT: false,
      handleSIGTERM: false,
    }),
  );
  resources.browser = browser;
  if (options.video) await checkVideoRecording(browser, videoDir);

  say(`Starting the app (VIP ${CAPACITY.VIP} seats, Regular ${CAPACITY.Regular} seats, fresh data directory)`);
  const app = await startApp({ vipCapacity: CAPACITY.VIP, regularCapacity: CAPACITY.Regular });
  resources.app = app;
  say(`  serving at ${app.baseURL}`);
  const api = new Api(await request.newContext({ baseURL: app.baseURL }), app.staffToken);

  const newContext = (viewport: { width: number; height: number }) =>
    browser.newContext({
      baseURL: app.baseURL,
      viewport,
      ...(options.video ? { recordVideo: { dir: videoDir, size: viewport } } : {}),
    });
  const videos: { page: Page; name: string }[] = [];
  const openPage = async (viewport: { width: number; height: number }, name: string) => {
    const context = await newContext(viewport);
    const page = await context.newPage();
    videos.push({ page, name });
    return { context, page };
  };

  const summaryView = await openPage(DESKTOP, 'summary');
  await summaryView.page.goto('/summary');
  await expect(summaryView.page.getByRole('table', { name: 'Ticket sales' })).toBeVisible();
  await screenshot(summaryView.page, 'summary-before-the-rush');

  const people = crowd(options.attendees);
  const vipCount = people.filter((p) => p.ticket_type === 'VIP').length;
  say(`Opening ${people.length} attendee pages (${vipCount} VIP, ${people.length - vipCount} Regular)`);
  const attendees: Attendee[] = [];
  await inPool(people, RUSH_CONCURRENCY, async (person, i) => {
    const view = await openPage(PHONE, `attendee-${String(i + 1).padStart(2, '0')}`);
    await view.page.goto('/');
    attendees[i] = { person, ...view };
  });

  say('The sale opens: everyone registers at once');
  let registered = 0;
  await inPool(attendees, RUSH_CONCURRENCY, async (attendee) => {
    const { ticket } = await registerThroughForm(attendee.page, attendee.person);
    attendee.id = ticket.id;
    registered++;
    say(
      `  ${String(registered).padStart(3)}/${attendees.length} ${ticket.first_name} ${ticket.last_name} (${ticket.ticket_type})` +
        ` → ticket ${ticket.id}, place ${ticket.queue_position} in the ${ticket.ticket_type} queue`,
    );
  });
  const first = attendees[0];
  if (first) await screenshot(first.page, 'attendee-queued');

  say('Staff open the dashboard through the #token= link');
  const staff = await openPage(DESKTOP, 'staff');
  await signInWithLink(staff.page, app);
  // Everyone registered before the dashboard opened, so its first answer already lists them.
  for (const type of new Set(people.map((p) => p.ticket_type))) {
    await expect(ticketRows(staffSection(staff.page, `${type} Queue`)).first()).toBeVisible();
  }
  await screenshot(staff.page, 'staff-queues-full');

  say('Staff click "Process all"');
  await staff.page.getByRole('button', { name: 'Process all' }).click();
  let lastProgress = '';
  await expect
    .poll(
      async () => {
        const summary = await api.summary();
        const progress =
          `queue ${summary.queue_length} left · VIP sold ${summary.vip_sold}/${summary.vip_capacity}` +
          ` · Regular sold ${summary.regular_sold}/${summary.regular_capacity} · waitlist ${summary.waitlist_length}`;
        if (progress !== lastProgress) say(`  ${progress}`);
        lastProgress = progress;
        return summary.queue_length;
      },
      { timeout: PROCESSING_DEADLINE_MS, intervals: [250], message: 'the queue empties after "Process all"' },
    )
    .toBe(0);
  await expect(staff.page.getByRole('button', { name: 'Stop processing' })).toBeHidden({ timeout: 30_000 });
  await expect(ticketRows(staffSection(staff.page, 'VIP Queue'))).toHaveCount(0);
  await expect(ticketRows(staffSection(staff.page, 'Regular Queue'))).toHaveCount(0);
  say('  queues are empty');
  await screenshot(staff.page, 'staff-after-processing');
  if (first?.id) {
    await expect(ticketCard(first.page, first.id)).not.toContainText('Queued', { timeout: 30_000 });
    await screenshot(first.page, 'attendee-after-processing');
  }

  const statuses = new Map<string, string>();
  for (const attendee of attendees) {
    if (attendee.id) statuses.set(attendee.id, (await api.ticket(attendee.id)).status);
  }
  // Cancelling where a waitlist exists shows the promotion; otherwise any confirmed ticket will do.
  const waitlisted = new Set(
    attendees.filter((a) => a.id && statuses.get(a.id) === 'Sold Out').map((a) => a.person.ticket_type),
  );
  const confirmed = attendees.filter((a) => a.id && statuses.get(a.id) === 'Confirmed');
  const toCancel = [
    ...confirmed.filter((a) => waitlisted.has(a.person.ticket_type)),
    ...confirmed.filter((a) => !waitlisted.has(a.person.ticket_type)),
  ].slice(0, 2);

  say("Two buyers give up their seats: staff cancel them from the dashboard's Confirmed lists");
  const promotedAttendees: Attendee[] = [];
  for (const attendee of toCancel) {
    const id = attendee.id ?? '';
    const { message, promoted } = await cancelConfirmedTicket(staff.page, attendee, id);
    say(`  ${message}`);
    const lucky = promoted && attendees.find((a) => a.id === promoted.id);
    if (lucky) promotedAttendees.push(lucky);
  }
  // The dashboard polls: wait until it shows the promotions and the cancellations before the picture.
  for (const promoted of promotedAttendees) {
    const type = promoted.person.ticket_type;
    await expect(staffSection(staff.page, `${type} Waitlist`)).not.toContainText(promoted.id ?? '');
    await expect(staffSection(staff.page, `${type} Confirmed`)).toContainText(promoted.id ?? '');
  }
  for (const attendee of toCancel) {
    await expect(staffSection(staff.page, 'Transactions').getByRole('table')).toContainText(attendee.id ?? '');
  }
  await screenshot(staff.page, 'staff-after-cancellations');
  const lucky = promotedAttendees[0];
  if (lucky?.id) {
    // The promoted attendee's own page turns Confirmed by itself: nobody reloads it.
    await expect(ticketCard(lucky.page, lucky.id)).toContainText('Confirmed', { timeout: 30_000 });
    await screenshot(lucky.page, 'attendee-promoted');
  }

  await expect(summaryView.page.getByText(/Updated \d+ s ago/)).toBeVisible();
  // The page polls: the picture waits for it to show every final figure, the waitlists too (a promotion
  // changes those and leaves the totals as they were).
  const final = await api.summary();
  await expect(salesRow(summaryView.page, 'Total').sold).toHaveText(String(final.total_sold));
  await expect(salesRow(summaryView.page, 'Total').remaining).toHaveText(String(final.total_remaining));
  for (const [term, value] of [
    ['VIP queue', final.vip_queue_length],
    ['Regular queue', final.regular_queue_length],
    ['VIP waitlist', final.vip_waitlist_length],
    ['Regular waitlist', final.regular_waitlist_length],
  ] as const) {
    await expect(termValue(summaryView.page, term)).toHaveText(String(value));
  }
  await screenshot(summaryView.page, 'summary-final');

  await copyFile(path.join(app.dataDir, 'transactions.csv'), path.join(options.outDir, 'transactions.csv')).catch(
    (error: Error) => say(`  (could not copy transactions.csv: ${error.message})`),
  );
  await api.request.dispose();

  if (options.video) {
    // Videos are written when their page closes; naming them after the page makes the folder readable.
    for (const { page } of videos) await page.context().close();
    for (const { page, name } of videos) {
      const video = page.video();
      if (!video) continue;
      await video.saveAs(path.join(videoDir, `${name}.webm`));
      await video.delete();
    }
  }

  console.log(`\nFinal sales summary\n\n${summaryTable(final)}\n`);
  console.log(`Screenshots${options.video ? ', videos' : ''} and the transaction log: ${options.outDir}`);
}

async function main() {
  let options: Options | undefined;
  try {
    options = parseOptions(process.argv.slice(2).filter((arg) => arg !== '--'));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (!options) {
    console.log(HELP);
    return;
  }

  const resources: { app?: RunningApp; browser?: Browser } = {};
  let cleaning: Promise<void> | undefined;
  const cleanUp = () => {
    cleaning ??= (async () => {
      await resources.browser?.close().catch(() => {});
      await resources.app?.stop();
    })();
    return cleaning;
  };
  let interrupted = false;
  const interrupt = (signal: NodeJS.Signals) => {
    interrupted = true;
    say(`${signal}: stopping the browser and the server`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  try {
    await run(options, resources);
    await cleanUp();
  } catch (error) {
    // Closing the browser on Ctrl-C fails whatever step was running; that is not a failure to report.
    if (interrupted) return;
    if (error instanceof SetupError) console.error(`\nThe demo cannot run: ${error.message}`);
    else console.error(`\nThe demo failed: ${(error as Error).stack ?? error}`);
    const output = resources.app?.output();
    if (output) console.error(`\nThe server's last output:\n${output}`);
    await cleanUp();
    const captured = await readdir(options.outDir, { recursive: true }).catch(() => []);
    if (captured.some((name) => /\.(png|webm)$/.test(String(name)))) {
      console.error(`\nWhatever was captured before the failure is in ${options.outDir}`);
    }
    process.exitCode = 1;
  }
}

await main();

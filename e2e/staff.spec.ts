// The staff dashboard on `/staff`: signing in, the queues and seat holders, processing, cancelling, the log and
// capacity.
// Every test gets an untouched event (freshApp) with small capacities, so sell-outs are easy to reach.

import { readFile } from 'node:fs/promises';
import type { Locator } from '@playwright/test';
import type { Person } from './api.ts';
import { bearer } from './api.ts';
import { expect, test } from './fixtures.ts';
import { confirmCancellation, holdRequests, salesRow, signInWithLink, staffSection, ticketRows } from './ui.ts';

test.use({ freshAppOptions: { vipCapacity: 2, regularCapacity: 3 } });

const AMARA: Person = { first_name: 'Amara', last_name: 'Okafor', ticket_type: 'VIP' };
const BJORN: Person = { first_name: 'Björn', last_name: 'Lindqvist', ticket_type: 'VIP' };
const CHEN: Person = { first_name: 'Chen', last_name: 'Wei', ticket_type: 'VIP' };
const DANA: Person = { first_name: 'Dana', last_name: 'Cohen', ticket_type: 'Regular' };
const EMEKA: Person = { first_name: 'Emeka', last_name: 'Eze', ticket_type: 'Regular' };
const FATIMA: Person = { first_name: 'Fatima', last_name: 'Zahra', ticket_type: 'Regular' };
const GIULIA: Person = { first_name: 'Giulia', last_name: 'Rossi', ticket_type: 'Regular' };
const VIPS = [AMARA, BJORN, CHEN];
const REGULARS = [DANA, EMEKA, FATIMA, GIULIA];
const PROCESSING = /^\/api\/process_(next|user)$/;

test('a wrong staff token is refused with the API error on the field and the right one opens the dashboard', async ({
  page,
  freshApp,
}) => {
  const refusal = await freshApp.api.request.get('/queue', { headers: bearer('not-the-token') });
  const { error } = (await refusal.json()) as { error: string };

  await page.goto(freshApp.url('/staff'));
  await expect(page.getByRole('heading', { level: 1, name: 'Staff dashboard' })).toBeVisible();
  const token = page.getByLabel('Staff token');
  await expect(token).toHaveAttribute('type', 'password');
  await token.fill('not-the-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(token).toHaveAttribute('aria-invalid', 'true');
  await expect(token).toHaveAccessibleDescription(new RegExp(escapeRegExp(error)));
  await expect(token).toBeFocused();
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);

  await token.fill(freshApp.staffToken);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Process all' })).toBeVisible();
  expect(await page.evaluate(() => sessionStorage.getItem('ticketing.staffToken'))).toBe(freshApp.staffToken);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByLabel('Staff token')).toBeVisible();
  expect(await page.evaluate(() => sessionStorage.getItem('ticketing.staffToken'))).toBeNull();
});

test('the #token= link signs staff in and takes the token out of the address bar', async ({ page, freshApp }) => {
  await signInWithLink(page, freshApp);
  await expect(page).not.toHaveURL(/token/);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
});

test('tickets registered elsewhere appear in their queues in priority order', async ({ page, freshApp }) => {
  const regular = await freshApp.api.register(DANA);
  const vip = await freshApp.api.register(AMARA);
  await signInWithLink(page, freshApp);
  const vipRows = ticketRows(staffSection(page, 'VIP Queue'));
  const regularRows = ticketRows(staffSection(page, 'Regular Queue'));
  await expect(vipRows).toHaveCount(1);
  await expect(vipRows.first()).toContainText(vip.id);
  await expect(vipRows.first()).toContainText('Amara Okafor');
  await expect(regularRows).toHaveCount(1);
  await expect(regularRows.first()).toContainText(regular.id);
  await expect(regularRows.first()).toContainText('Dana Cohen');
  for (const column of ['Position', 'ID', 'Name', 'Waiting']) {
    await expect(
      staffSection(page, 'VIP Queue').getByRole('columnheader', { name: column, exact: true }),
    ).toBeVisible();
  }

  // A registration made while the dashboard is open shows up without a reload.
  const late = await freshApp.api.register(EMEKA);
  await expect(regularRows).toHaveCount(2);
  await expect(regularRows.last()).toContainText(late.id);
});

test('Process all serves everyone with a progress bar and sends those without a seat to the waitlists', async ({
  page,
  freshApp,
}) => {
  await freshApp.api.registerAll([...REGULARS, ...VIPS]);
  await signInWithLink(page, freshApp);
  await expect(ticketRows(staffSection(page, 'VIP Queue'))).toHaveCount(3);
  await expect(ticketRows(staffSection(page, 'Regular Queue'))).toHaveCount(4);

  // Processing takes milliseconds; holding the first request keeps the run visibly in progress.
  const processing = await holdRequests(page, PROCESSING);
  await page.getByRole('button', { name: 'Process all' }).click();
  await expect(page.getByRole('progressbar', { name: 'Processing progress' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Stop processing' })).toBeVisible();
  processing.release();

  await expect(page.getByRole('button', { name: 'Stop processing' })).toBeHidden();
  await expect(ticketRows(staffSection(page, 'VIP Queue'))).toHaveCount(0);
  await expect(ticketRows(staffSection(page, 'Regular Queue'))).toHaveCount(0);
  // Capacity is VIP 2, Regular 3: the last of each type waits.
  await expect(ticketRows(staffSection(page, 'VIP Waitlist'))).toHaveCount(1);
  await expect(ticketRows(staffSection(page, 'VIP Waitlist'))).toContainText('Chen Wei');
  await expect(ticketRows(staffSection(page, 'Regular Waitlist'))).toHaveCount(1);
  await expect(ticketRows(staffSection(page, 'Regular Waitlist'))).toContainText('Giulia Rossi');
  await expect(ticketRows(staffSection(page, 'VIP Confirmed'))).toHaveCount(2);
  await expect(ticketRows(staffSection(page, 'Regular Confirmed'))).toHaveCount(3);

  const summary = await freshApp.api.summary();
  expect(summary).toMatchObject({ vip_sold: 2, regular_sold: 3, queue_length: 0, waitlist_length: 2 });
});

test('Stop processing halts Process all before the queue is empty', async ({ page, freshApp }) => {
  await freshApp.api.registerAll(REGULARS);
  await signInWithLink(page, freshApp);
  await expect(ticketRows(staffSection(page, 'Regular Queue'))).toHaveCount(4);

  const processing = await holdRequests(page, PROCESSING);
  await page.getByRole('button', { name: 'Process all' }).click();
  await page.getByRole('button', { name: 'Stop processing' }).click();
  processing.release();

  await expect(page.getByRole('button', { name: 'Stop processing' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Process all' })).toBeEnabled();
  // Stop is gone with the run: focus waits on the button that starts another, not at the top of the page.
  await expect(page.getByRole('button', { name: 'Process all' })).toBeFocused();
  const { queue_length } = await freshApp.api.summary();
  expect(queue_length, 'the run stopped with people still queued').toBeGreaterThan(0);
});

test('Process next serves exactly the head of the queue, VIP first', async ({ page, freshApp }) => {
  const regular = await freshApp.api.register(DANA);
  const vip = await freshApp.api.register(AMARA);
  await signInWithLink(page, freshApp);
  await expect(ticketRows(staffSection(page, 'VIP Queue'))).toHaveCount(1);
  await page.getByRole('button', { name: 'Process next' }).click();
  await expect(ticketRows(staffSection(page, 'VIP Queue'))).toHaveCount(0);
  await expect(ticketRows(staffSection(page, 'Regular Queue'))).toHaveCount(1);
  expect((await freshApp.api.ticket(vip.id)).status).toBe('Confirmed');
  expect((await freshApp.api.ticket(regular.id)).status).toBe('Queued');
});

test('staff can serve the line from the keyboard, pressing Enter on Process next again and again', async ({
  page,
  freshApp,
}) => {
  await freshApp.api.registerAll([DANA, AMARA, BJORN]);
  await signInWithLink(page, freshApp);
  await expect(ticketRows(staffSection(page, 'Regular Queue'))).toHaveCount(1);
  const processNext = page.getByRole('button', { name: 'Process next' });
  const status = page.getByRole('region', { name: 'Processing' }).getByRole('status');

  // Held, so the button is busy while focused: it must keep the focus for the next press.
  const processing = await holdRequests(page, PROCESSING);
  await processNext.focus();
  await page.keyboard.press('Enter');
  await expect(processNext).toHaveAttribute('aria-busy', 'true');
  processing.release();
  await expect(status).toHaveText('Served Amara Okafor (VIP): Confirmed.');
  await expect(processNext).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(status).toHaveText('Served Björn Lindqvist (VIP): Confirmed.');
  await page.keyboard.press('Enter');
  await expect(status).toHaveText('Served Dana Cohen (Regular): Confirmed.');
  await expect(processNext).toBeFocused();
});

test('cancelling a queued ticket from its row takes it out of the queue', async ({ page, freshApp }) => {
  const ticket = await freshApp.api.register(AMARA);
  await signInWithLink(page, freshApp);
  await page.getByRole('button', { name: `Cancel ticket ${ticket.id}` }).click();
  await confirmCancellation(page, ticket.id);
  await expect(ticketRows(staffSection(page, 'VIP Queue'))).toHaveCount(0);
  expect((await freshApp.api.ticket(ticket.id)).status).toBe('Cancelled');
});

test('cancelling a confirmed VIP from the dashboard promotes the first waitlisted VIP', async ({ page, freshApp }) => {
  const first = await freshApp.api.register(AMARA);
  const second = await freshApp.api.register(BJORN);
  const third = await freshApp.api.register(CHEN);
  await freshApp.api.processEveryone();
  expect((await freshApp.api.ticket(third.id)).status).toBe('Sold Out');

  await signInWithLink(page, freshApp);
  const confirmed = staffSection(page, 'VIP Confirmed');
  const waitlist = staffSection(page, 'VIP Waitlist');
  // Seat holders are listed in the order they got their seat.
  await expect(ticketRows(confirmed)).toHaveCount(2);
  await expect(ticketRows(confirmed).first()).toContainText(first.id);
  await expect(ticketRows(confirmed).last()).toContainText(second.id);
  await expect(ticketRows(waitlist)).toHaveCount(1);

  await confirmed.getByRole('button', { name: `Cancel ticket ${first.id}` }).click();
  await confirmCancellation(page, first.id);

  // The API's own sentence, in the list the ticket was cancelled from.
  await expect(confirmed.getByRole('status')).toHaveText(
    `Ticket ${first.id} cancelled; its seat went to Chen Wei (${third.id}) from the waitlist.`,
  );
  await expect(ticketRows(waitlist)).toHaveCount(0);
  // The seat went to the waitlisted VIP, who now comes after the holder who stayed.
  await expect(ticketRows(confirmed)).toContainText([second.id, third.id]);
  await expect(ticketRows(confirmed)).toHaveCount(2);
  expect((await freshApp.api.ticket(first.id)).status).toBe('Cancelled');
  expect((await freshApp.api.ticket(third.id)).status).toBe('Confirmed');
  expect((await freshApp.api.summary()).vip_remaining).toBe(0);
});

test('cancelling a confirmed Regular with nobody waiting puts the seat back on sale', async ({ page, freshApp }) => {
  const ticket = await freshApp.api.register(DANA);
  await freshApp.api.processEveryone();

  await signInWithLink(page, freshApp);
  const confirmed = staffSection(page, 'Regular Confirmed');
  await expect(ticketRows(confirmed)).toHaveCount(1);
  for (const column of ['Position', 'ID', 'Name', 'Registered']) {
    await expect(confirmed.getByRole('columnheader', { name: column, exact: true })).toBeVisible();
  }
  await confirmed.getByRole('button', { name: `Cancel ticket ${ticket.id}` }).click();
  await confirmCancellation(page, ticket.id);

  await expect(confirmed.getByRole('status')).toHaveText(`Ticket ${ticket.id} cancelled.`);
  await expect(ticketRows(confirmed)).toHaveCount(0);
  await expect(salesRow(page, 'Regular').remaining).toHaveText('3');
});

test("anyone beyond the lists' first 100 is found by ticket ID and cancelled from there", async ({
  page,
  freshApp,
}) => {
  const line = Array.from(
    { length: 101 },
    (_, i): Person => ({
      first_name: `Guest${i + 1}`,
      last_name: 'Lee',
      ticket_type: 'Regular',
    }),
  );
  const tickets = await freshApp.api.registerAll([...line, GIULIA]);
  const giulia = tickets.at(-1) as (typeof tickets)[number];

  await signInWithLink(page, freshApp);
  const queue = staffSection(page, 'Regular Queue');
  await expect(queue.getByText('Showing the first 100 of 102.')).toBeVisible();
  await expect(queue.getByText(giulia.id)).toHaveCount(0);

  const finder = page.getByRole('region', { name: 'Find a ticket' });
  await finder.getByRole('textbox', { name: 'Ticket ID' }).fill(giulia.id.toLowerCase().replace('-', ' '));
  await finder.getByRole('button', { name: 'Find' }).click();
  await expect(finder.getByText('Place 102 in the Regular queue.')).toBeVisible();
  await finder.getByRole('button', { name: `Cancel ticket ${giulia.id}` }).click();
  await expect(page.getByRole('dialog', { name: `Cancel ticket ${giulia.id}?` })).toContainText(
    'Giulia Rossi, Regular. They lose their place in the queue.',
  );
  await confirmCancellation(page, giulia.id);

  await expect(finder.getByRole('status').first()).toHaveText(`Ticket ${giulia.id} cancelled.`);
  await expect(finder.getByText('Cancelled: it holds no place.')).toBeVisible();
  await expect(queue.getByText('Showing the first 100 of 101.')).toBeVisible();
});

test('the transaction log can be searched by name', async ({ page, freshApp }) => {
  await freshApp.api.registerAll([AMARA, DANA]);
  await signInWithLink(page, freshApp);
  const transactions = staffSection(page, 'Transactions');
  const log = transactions.getByRole('table');
  await expect(log).toContainText('Amara');
  await expect(log).toContainText('Dana');
  const search = transactions.getByRole('searchbox', { name: 'Search transactions' });
  await search.fill('Okafor');
  await expect(log).not.toContainText('Dana');
  await expect(log).toContainText('Amara');

  await search.fill('Nobody-by-this-name');
  await expect(transactions.getByText('No transactions match “Nobody-by-this-name”.')).toBeVisible();
  await expect(log).toHaveCount(0);
  await expect(transactions.getByText(/Showing/)).toHaveCount(0);
  await expect(transactions.getByRole('button', { name: 'Next page' })).toHaveCount(0);
});

test('Download CSV saves the whole transaction log, names included', async ({ page, freshApp }) => {
  await freshApp.api.registerAll([BJORN, FATIMA]);
  await signInWithLink(page, freshApp);
  const downloading = page.waitForEvent('download');
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/transactions.csv');
  await staffSection(page, 'Transactions').getByRole('button', { name: 'Download CSV' }).click();
  const download = await downloading;
  // Saved under the name the server gives (it carries the time of the export), not a fixed one.
  const disposition = (await answered).headers()['content-disposition'] ?? '';
  const named = /filename="([^"]+)"/.exec(disposition)?.[1];
  expect(named, `the server names the file: ${disposition}`).toMatch(/^transactions-.+\.csv$/);
  expect(download.suggestedFilename()).toBe(named);
  const csv = await readFile(await download.path(), 'utf8');
  expect(csv).toContain('Björn');
  expect(csv).toContain('Lindqvist');
  expect(csv).toContain('Fatima');
  expect(csv).toContain('Zahra');
});

test('a VIP capacity below the seats already sold is refused with the API message', async ({ page, freshApp }) => {
  await freshApp.api.registerAll([AMARA, BJORN]);
  await freshApp.api.processEveryone();
  const refusal = await freshApp.api.putCapacity({ VIP: 1 });
  expect(refusal.status()).toBe(409);
  const { error } = (await refusal.json()) as { error: string };

  await signInWithLink(page, freshApp);
  const capacity = staffSection(page, 'Capacity');
  await capacity.getByRole('spinbutton', { name: 'VIP capacity' }).fill('1');
  await capacity.getByRole('button', { name: 'Save capacity' }).click();
  await expect(page.getByRole('alert').filter({ hasText: error })).toBeVisible();
  expect((await freshApp.api.summary()).vip_capacity).toBe(2);
});

test('raising the Regular capacity adds seats that the summary shows', async ({ page, freshApp }) => {
  await signInWithLink(page, freshApp);
  const capacity = staffSection(page, 'Capacity');
  await expect(capacity.getByRole('spinbutton', { name: 'Regular capacity' })).toHaveValue('3');
  await capacity.getByRole('spinbutton', { name: 'Regular capacity' }).fill('10');
  const saved = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/capacity');
  await capacity.getByRole('button', { name: 'Save capacity' }).click();
  expect((await saved).status()).toBe(200);
  await expect.poll(async () => (await freshApp.api.summary()).regular_capacity).toBe(10);

  await page.goto(freshApp.url('/summary'));
  await expect(salesRow(page, 'Regular').remaining).toHaveText('10');
  await expect(salesRow(page, 'VIP').remaining).toHaveText('2');
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test('on a phone the log breaks no name inside a word, and a capacity change fits its row', async ({
  page,
  freshApp,
}) => {
  const HUBERT: Person = { first_name: 'Hubert', last_name: 'Featherstonehaugh', ticket_type: 'Regular' };
  await freshApp.api.registerAll([GIULIA, AMARA, HUBERT]);
  await signInWithLink(page, freshApp);
  const log = staffSection(page, 'Transactions').getByRole('table');

  // The words of a cell that its text breaks across lines: a word on one line has one line box.
  const brokenWords = (cell: Locator) =>
    cell.evaluate((element) => {
      const text = element.firstChild;
      if (!text?.textContent) return [];
      const range = document.createRange();
      return Array.from(text.textContent.matchAll(/\S+/g))
        .filter((word) => {
          range.setStart(text, word.index);
          range.setEnd(text, word.index + word[0].length);
          return new Set(Array.from(range.getClientRects(), (rect) => Math.round(rect.top))).size > 1;
        })
        .map((word) => word[0]);
    });

  for (const width of [320, 360, 390]) {
    await page.setViewportSize({ width, height: 740 });
    for (const person of [GIULIA, AMARA, HUBERT]) {
      const name = `${person.first_name} ${person.last_name}`;
      const cell = log.getByRole('cell', { name, exact: true }).first();
      expect(await brokenWords(cell), `${name} at ${width}px`).toEqual([]);
    }
    const capacity = log.getByRole('cell', { name: 'Capacity set to 3' });
    expect(await brokenWords(capacity), `"Capacity set to 3" at ${width}px`).toEqual([]);
    const { scrollWidth, clientWidth } = await capacity.evaluate((element) => ({
      scrollWidth: element.scrollWidth,
      clientWidth: element.clientWidth,
    }));
    expect(scrollWidth, `"Capacity set to 3" in ${clientWidth}px at ${width}px`).toBeLessThanOrEqual(clientWidth);
  }
});

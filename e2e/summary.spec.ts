// The live sales summary on `/summary`: the original's table, kept current by polling /summary_data.

import { expect, test } from './fixtures.ts';
import { salesRow, seatsSoldBar, termValue } from './ui.ts';

test.use({ freshAppOptions: { vipCapacity: 3, regularCapacity: 5 } });

test('the summary shows sales per type and follows a sale made elsewhere without a reload', async ({
  page,
  freshApp,
}) => {
  await page.goto(freshApp.url('/summary'));
  await expect(page.getByRole('heading', { level: 1, name: 'Live sales' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Ticket sales' });
  for (const column of ['Type', 'Sold', 'Remaining']) {
    await expect(table.getByRole('columnheader', { name: column, exact: true })).toBeVisible();
  }
  await expect(salesRow(page, 'VIP').sold).toHaveText('0');
  await expect(salesRow(page, 'VIP').remaining).toHaveText('3');
  await expect(salesRow(page, 'Regular').remaining).toHaveText('5');
  await expect(salesRow(page, 'Total').remaining).toHaveText('8');
  await expect(page.getByText(/Updated \d+ s ago/)).toBeVisible();

  // A sale through the API, as another attendee's purchase would be; the open page is not touched.
  const navigations: string[] = [];
  page.on('framenavigated', (frame) => navigations.push(frame.url()));
  await freshApp.api.register({ first_name: 'Mei', last_name: 'Chen', ticket_type: 'VIP' });
  await freshApp.api.register({ first_name: 'Liam', last_name: 'Walsh', ticket_type: 'Regular' });
  await freshApp.api.processNext();

  await expect(salesRow(page, 'VIP').sold).toHaveText('1');
  await expect(salesRow(page, 'VIP').remaining).toHaveText('2');
  await expect(salesRow(page, 'Total').sold).toHaveText('1');
  await expect(salesRow(page, 'Total').remaining).toHaveText('7');
  await expect(seatsSoldBar(page, 'VIP')).toHaveAttribute('aria-valuenow', '1');
  await expect(termValue(page, 'Regular queue')).toHaveText(/^\s*1\s*$/);
  await expect(termValue(page, 'VIP queue')).toHaveText(/^\s*0\s*$/);
  expect(navigations, 'the page updated itself rather than being reloaded').toEqual([]);
});

test('the capacity bars state seats sold out of capacity', async ({ page, freshApp }) => {
  await page.goto(freshApp.url('/summary'));
  for (const [type, capacity] of [
    ['VIP', '3'],
    ['Regular', '5'],
  ] as const) {
    await expect(seatsSoldBar(page, type)).toHaveAttribute('aria-valuenow', '0');
    await expect(seatsSoldBar(page, type)).toHaveAttribute('aria-valuemax', capacity);
  }
});

test('while nothing changes the page revalidates with If-None-Match and gets 304 Not Modified', async ({
  page,
  freshApp,
}) => {
  const notModified = page.waitForResponse(
    (response) => new URL(response.url()).pathname === '/summary_data' && response.status() === 304,
    { timeout: 20_000 },
  );
  await page.goto(freshApp.url('/summary'));
  await expect(salesRow(page, 'VIP').remaining).toHaveText('3');
  const response = await notModified;
  const current = await freshApp.api.request.get('/summary_data');
  const sent = await response.request().allHeaders();
  expect(sent['if-none-match'], 'the poll names the version it already has').toBe(current.headers().etag);
});

test('while the server cannot be reached the page says so once, keeps its last figures, and recovers', async ({
  page,
  freshApp,
}) => {
  await page.goto(freshApp.url('/summary'));
  await expect(salesRow(page, 'Total').remaining).toHaveText('8');
  const notice = page.getByRole('alert').filter({ hasText: 'Cannot reach the server. The page keeps trying' });

  // The connection drops: every poll fails in the network, as when the server is down.
  await page.route('**/summary_data', (route) => route.abort('connectionrefused'));
  await expect(notice).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('alert').filter({ hasText: /\S/ })).toHaveCount(1);
  await expect(salesRow(page, 'Total').remaining).toHaveText('8');

  // Back, with a sale made meanwhile: the notice goes and the figures catch up without a reload.
  await freshApp.api.register({ first_name: 'Mei', last_name: 'Chen', ticket_type: 'VIP' });
  await freshApp.api.processNext();
  await page.unroute('**/summary_data');
  await expect(notice).toHaveCount(0, { timeout: 20_000 });
  await expect(salesRow(page, 'Total').remaining).toHaveText('7');
});

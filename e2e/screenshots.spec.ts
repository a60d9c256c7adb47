// Full-page screenshots of every page with realistic content at phone and desktop widths, for people to
// look at: saved under e2e/artifacts/screenshots/<page>-<width>.png and attached to the report.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page, TestInfo } from '@playwright/test';
import type { Person } from './api.ts';
import { expect, test } from './fixtures.ts';
import { registerThroughForm, servedUpToYou, signInWithLink, staffSection, ticketRows } from './ui.ts';

const SCREENSHOTS_DIR = fileURLToPath(new URL('./artifacts/screenshots/', import.meta.url));
const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1440, height: 900 },
];
const CROWD: Person[] = [
  { first_name: 'Amara', last_name: 'Okafor', ticket_type: 'VIP' },
  { first_name: 'Björn', last_name: 'Lindqvist', ticket_type: 'VIP' },
  { first_name: 'Dana', last_name: 'Cohen', ticket_type: 'Regular' },
  { first_name: 'Emeka', last_name: 'Eze', ticket_type: 'Regular' },
  { first_name: '美咲', last_name: '佐藤', ticket_type: 'VIP' },
  { first_name: 'José', last_name: 'Núñez-García', ticket_type: 'Regular' },
  { first_name: 'Siobhán', last_name: "O'Sullivan", ticket_type: 'Regular' },
  { first_name: 'Андрей', last_name: 'Иванов', ticket_type: 'Regular' },
];
const LATECOMERS: Person[] = [
  { first_name: 'Kai', last_name: 'Nakamura', ticket_type: 'VIP' },
  { first_name: 'Ngozi', last_name: 'Adeyemi', ticket_type: 'Regular' },
];

test.use({ freshAppOptions: { vipCapacity: 2, regularCapacity: 6 } });

/** The whole page, or with `fullPage: false` what the screen shows (a modal dialog over the page). */
async function capture(page: Page, testInfo: TestInfo, name: string, { fullPage = true } = {}) {
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  const file = path.join(SCREENSHOTS_DIR, `${name}-${width}.png`);
  await page.screenshot({ path: file, fullPage });
  await testInfo.attach(`${name}-${width}`, { path: file, contentType: 'image/png' });
}

for (const viewport of VIEWPORTS) {
  test(`every page renders with content at ${viewport.name} width (${viewport.width}px)`, async ({
    page,
    freshApp,
  }, testInfo) => {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    // Sold seats, a waitlist and people still queued: every part of every page has something to show.
    await freshApp.api.registerAll(CROWD);
    for (let i = 0; i < 6; i++) await freshApp.api.processNext();

    await page.goto(freshApp.url('/'));
    const { card } = await registerThroughForm(page, {
      first_name: 'Chloé',
      last_name: 'Dubois',
      ticket_type: 'Regular',
    });
    await capture(page, testInfo, 'attendee-queued');
    await card.getByRole('button', { name: 'Purchase' }).click();
    await expect(servedUpToYou(page).getByRole('listitem').last()).toContainText('Chloé Dubois (Regular)');
    await capture(page, testInfo, 'attendee');
    await freshApp.api.registerAll(LATECOMERS);

    await page.goto(freshApp.url('/summary'));
    await expect(page.getByText(/Updated \d+ s ago/)).toBeVisible();
    await capture(page, testInfo, 'summary');

    await page.goto(freshApp.url('/staff'));
    await expect(page.getByLabel('Staff token')).toBeVisible();
    await capture(page, testInfo, 'staff-signed-out');

    await signInWithLink(page, freshApp);
    await expect(page.getByRole('region', { name: 'Transactions' }).getByRole('table')).toContainText('Chloé');
    const vipSeats = staffSection(page, 'VIP Confirmed');
    await expect(ticketRows(vipSeats)).toHaveCount(2);
    await expect(ticketRows(staffSection(page, 'VIP Waitlist'))).toHaveCount(1);
    await capture(page, testInfo, 'staff');

    // A seat given up from the dashboard goes to the first on the waitlist, and the list says so.
    const seat = ticketRows(vipSeats).filter({ hasText: 'Amara Okafor' });
    await seat.getByRole('button', { name: /^Cancel ticket / }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await capture(page, testInfo, 'staff-cancel-dialog', { fullPage: false });
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, cancel' }).click();
    await expect(vipSeats.getByRole('status')).toContainText('from the waitlist');
    await expect(ticketRows(vipSeats)).toContainText(['Björn Lindqvist', '美咲 佐藤']);
    await capture(page, testInfo, 'staff-after-cancel');
  });
}

// Names that are markup, spreadsheet formulas, SQL or non-Latin scripts are people's names to us: shown
// literally everywhere, never executed, and exported to CSV so a spreadsheet shows them as text. A name
// that is one long word wraps where it is shown instead of pushing the page or a table sideways.

import { readFile } from 'node:fs/promises';
import type { Locator, Page } from '@playwright/test';
import type { Person } from './api.ts';
import { parseCsvRecords } from './csv.ts';
import { expect, test } from './fixtures.ts';
import {
  fullName,
  registerThroughForm,
  servedUpToYou,
  signInWithLink,
  staffSection,
  ticketRows,
  uniqueTag,
} from './ui.ts';

const HOSTILE_PEOPLE: Person[] = [
  { first_name: '<img src=x onerror=alert(1)>', last_name: '<script>alert(2)</script>', ticket_type: 'VIP' },
  { first_name: '=HYPERLINK("http://x")', last_name: '+SUM(1,2)', ticket_type: 'Regular' },
  { first_name: "Robert'); DROP TABLE--", last_name: '@Tables', ticket_type: 'Regular' },
  { first_name: '李小龙', last_name: '李', ticket_type: 'VIP' },
  { first_name: 'José', last_name: 'Núñez-García', ticket_type: 'Regular' },
  { first_name: "O'Brien", last_name: 'Anne-Marie', ticket_type: 'Regular' },
];

// A spreadsheet runs a cell that starts with one of these. The export defuses such cells, and cells that
// start with an apostrophe, by adding one leading apostrophe (the OWASP convention), which spreadsheets
// hide; removing it gives the name back exactly.
const FORMULA_START = /^[=+\-@\t\r\n]/;
function unprotect(cell: string): string {
  return cell.startsWith("'") ? cell.slice(1) : cell;
}

test('hostile and international names are shown literally, never run, and survive the CSV export', async ({
  page,
  app,
}) => {
  const dialogs: string[] = [];
  page.context().on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });

  await page.goto('/');
  const tickets: { id: string; person: Person }[] = [];
  await test.step('the attendee page shows each name as text', async () => {
    for (const person of HOSTILE_PEOPLE) {
      const { ticket, card } = await registerThroughForm(page, person);
      tickets.push({ id: ticket.id, person });
      await expect(card).toContainText(fullName(person));
      // An <img src=x> that became an element would have fired its onerror; it must not exist at all.
      await expect(card.locator('img[src="x"]')).toHaveCount(0);
      const stored = await app.api.ticket(ticket.id);
      expect({ first: stored.first_name, last: stored.last_name }).toEqual({
        first: person.first_name,
        last: person.last_name,
      });
    }
    await page.reload();
    for (const { id, person } of tickets) {
      await expect(page.getByRole('article', { name: `Ticket ${id}` })).toContainText(fullName(person));
    }
  });

  const staffPage = await page.context().newPage();
  await test.step('the staff queues and transaction log show each name as text', async () => {
    await signInWithLink(staffPage, app);
    const queued = ticketRows(staffSection(staffPage, 'VIP Queue')).or(
      ticketRows(staffSection(staffPage, 'Regular Queue')),
    );
    const log = staffSection(staffPage, 'Transactions').getByRole('table');
    for (const { id, person } of tickets) {
      await expect(queued.filter({ hasText: id })).toContainText(fullName(person));
      await expect(log).toContainText(person.first_name);
      await expect(log).toContainText(person.last_name);
    }
    await expect(staffPage.locator('img[src="x"]')).toHaveCount(0);
  });

  await test.step('the CSV export gives every name back exactly, with formulas defused', async () => {
    const downloading = staffPage.waitForEvent('download');
    await staffSection(staffPage, 'Transactions').getByRole('button', { name: 'Download CSV' }).click();
    const csv = await readFile(await (await downloading).path(), 'utf8');
    const records = parseCsvRecords(csv);
    for (const { id, person } of tickets) {
      const rows = records.filter((record) => record.ticket_id === id);
      expect(rows.length, `the CSV has rows for ${id}:\n${csv}`).toBeGreaterThan(0);
      for (const row of rows) {
        expect(FORMULA_START.test(row.first_name ?? ''), `${row.first_name} would run as a formula`).toBe(false);
        expect(FORMULA_START.test(row.last_name ?? ''), `${row.last_name} would run as a formula`).toBe(false);
        expect(unprotect(row.first_name ?? '')).toBe(person.first_name);
        expect(unprotect(row.last_name ?? '')).toBe(person.last_name);
      }
    }
  });

  expect(dialogs, 'no name opened a dialog').toEqual([]);
});

/** The page does not scroll sideways: nothing in it is wider than the screen. */
async function expectNoSidewaysScroll(page: Page) {
  const width = page.viewportSize()?.width ?? 0;
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth, `${new URL(page.url()).pathname} at ${width}px is ${scrollWidth}px wide`).toBeLessThanOrEqual(
    width,
  );
}

/** A box that could scroll (a dialog, a table's scroll area) holds its content without scrolling sideways. */
async function expectFitsSideways(box: Locator, what: string) {
  const { scrollWidth, clientWidth } = await box.evaluate((element) => ({
    scrollWidth: element.scrollWidth,
    clientWidth: element.clientWidth,
  }));
  expect(scrollWidth, `${what}: ${scrollWidth}px of content in ${clientWidth}px`).toBeLessThanOrEqual(clientWidth);
}

test('a name that is one long word wraps on a phone and in the staff log, so nothing scrolls sideways', async ({
  page,
  app,
}) => {
  const tag = uniqueTag();
  const people: Person[] = [
    { first_name: `${'A'.repeat(96)}${tag}`, last_name: 'Lee', ticket_type: 'Regular' },
    { first_name: `Omar${tag}`, last_name: 'والمستشفيات'.repeat(9), ticket_type: 'VIP' },
  ];
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');

  await test.step('the attendee page: the announcement, the cards, the cancel question and the served list', async () => {
    const cards: Locator[] = [];
    for (const person of people) {
      const { ticket, card } = await registerThroughForm(page, person);
      await expect(page.getByRole('status').filter({ hasText: `Ticket ${ticket.id} registered` })).toBeVisible();
      await expectNoSidewaysScroll(page);
      cards.push(card);
    }
    const [first] = cards;
    if (!first) throw new Error('no card');
    await first.getByRole('button', { name: 'Cancel ticket', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText(people[0]?.first_name ?? '');
    await expectFitsSideways(dialog, 'the cancel question');
    await dialog.getByRole('button', { name: 'Keep ticket' }).click();
    await first.getByRole('button', { name: 'Purchase' }).click();
    await expect(servedUpToYou(page).getByRole('listitem').last()).toContainText(people[0]?.first_name ?? '');
    await expectNoSidewaysScroll(page);
  });

  await test.step('the summary and the staff dashboard on a phone', async () => {
    await page.goto('/summary');
    await expect(page.getByRole('table', { name: 'Ticket sales' })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await signInWithLink(page, app);
    await expect(staffSection(page, 'Transactions').getByRole('table')).toContainText(tag);
    await expectNoSidewaysScroll(page);
  });

  await test.step('the transaction log on a desktop keeps every column in its box', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const transactions = staffSection(page, 'Transactions');
    await expect(transactions.getByRole('columnheader', { name: 'By', exact: true })).toBeAttached();
    await expectFitsSideways(transactions.getByRole('region', { name: 'Transaction log' }), 'the transaction log');
    await expectNoSidewaysScroll(page);
  });
});

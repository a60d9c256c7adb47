// Names that are markup, spreadsheet formulas, SQL or non-Latin scripts are people's names to us: shown
// literally everywhere, never executed, and exported to CSV so a spreadsheet shows them as text.

import { readFile } from 'node:fs/promises';
import type { Person } from './api.ts';
import { parseCsvRecords } from './csv.ts';
import { expect, test } from './fixtures.ts';
import { fullName, registerThroughForm, signInWithLink, staffSection, ticketRows } from './ui.ts';

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

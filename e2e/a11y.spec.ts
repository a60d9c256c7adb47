// Accessibility: an axe scan of every page in the states people see, and the registration form by
// keyboard alone.

import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import {
  nextRegistration,
  registerThroughForm,
  registrationForm,
  signInWithLink,
  ticketCard,
  uniqueTag,
} from './ui.ts';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Fails on serious or critical violations and lists each one with the elements it concerns. */
async function expectNoSeriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious
    .map((v) => {
      const where = v.nodes.map((node) => `    ${node.target.join(' ')}: ${node.failureSummary ?? ''}`).join('\n');
      return `${v.impact} ${v.id}: ${v.help} (${v.helpUrl})\n${where}`;
    })
    .join('\n');
  expect(serious, `axe found serious violations on ${page.url()}:\n${report}`).toEqual([]);
}

test.beforeEach(async ({ app }) => {
  // The pages are scanned with content in them: empty tables and lists hide most problems.
  const tag = uniqueTag();
  await app.api.registerAll([
    { first_name: 'Aiyana', last_name: `Begay ${tag}`, ticket_type: 'VIP' },
    { first_name: 'Søren', last_name: `Kierkegaard ${tag}`, ticket_type: 'Regular' },
    { first_name: 'Nguyễn', last_name: `Thị Minh ${tag}`, ticket_type: 'Regular' },
  ]);
  await app.api.processNext();
});

test('the attendee page with a ticket has no serious accessibility violations', async ({ page }) => {
  await page.goto('/');
  await registerThroughForm(page, { first_name: 'Ana', last_name: `Silva ${uniqueTag()}`, ticket_type: 'Regular' });
  await expectNoSeriousViolations(page);
});

test('the summary page has no serious accessibility violations', async ({ page }) => {
  await page.goto('/summary');
  await expect(page.getByRole('table', { name: 'Ticket sales' })).toBeVisible();
  await expectNoSeriousViolations(page);
});

test('the staff page signed out has no serious accessibility violations', async ({ page }) => {
  await page.goto('/staff');
  await expect(page.getByLabel('Staff token')).toBeVisible();
  await expectNoSeriousViolations(page);
});

test('the staff page signed in with tickets has no serious accessibility violations', async ({ page, app }) => {
  await signInWithLink(page, app);
  await expect(page.getByRole('region', { name: 'Regular Queue' }).getByRole('table')).toBeVisible();
  await expect(page.getByRole('region', { name: 'VIP Confirmed' }).getByRole('table')).toBeVisible();
  await expectNoSeriousViolations(page);
});

test('the staff page on a phone, its tables stacked row by row, has no serious accessibility violations', async ({
  page,
  app,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signInWithLink(page, app);
  const confirmed = page.getByRole('region', { name: 'VIP Confirmed' });
  await expect(confirmed.getByRole('table')).toBeVisible();
  // Stacked, a table keeps its header row for screen readers and its rows and cells as such.
  await expect(confirmed.getByRole('columnheader', { name: 'Name', exact: true })).toHaveCount(1);
  await expect(confirmed.getByRole('cell').first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'Transactions' }).getByRole('table')).toBeVisible();
  await expectNoSeriousViolations(page);
});

/** Presses Tab until the element has focus, as a keyboard user would, failing if it is never reached. */
async function tabTo(page: Page, target: Locator, maxPresses = 30) {
  for (let i = 0; i < maxPresses; i++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target, `reachable with Tab within ${maxPresses} presses`).toBeFocused();
}

test('the registration form can be filled in and submitted with the keyboard alone', async ({ page }) => {
  await page.goto('/');
  const form = registrationForm(page);
  const lastName = `Okonkwo ${uniqueTag()}`;

  await tabTo(page, form.getByRole('textbox', { name: 'First name' }));
  await page.keyboard.type('Chidi');
  await page.keyboard.press('Tab');
  await expect(form.getByRole('textbox', { name: 'Last name' })).toBeFocused();
  await page.keyboard.type(lastName);
  // Tab enters a radio group on its checked radio (Regular); an arrow key moves to and checks the other.
  await page.keyboard.press('Tab');
  await expect(form.getByRole('radio', { name: 'Regular', exact: true })).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(form.getByRole('radio', { name: 'VIP', exact: true })).toBeChecked();
  await tabTo(page, form.getByRole('button', { name: 'Register' }), 5);

  const registered = nextRegistration(page);
  await page.keyboard.press('Enter');
  const ticket = await registered;
  const card = ticketCard(page, ticket.id);
  await expect(card).toContainText(`Chidi ${lastName}`);
  await expect(card).toContainText('VIP');
});

// The attendee's journey on `/`: register, watch the ticket, purchase, come back later, cancel.

import { bearer } from './api.ts';
import { expect, test } from './fixtures.ts';
import {
  confirmCancellation,
  fillRegistration,
  registerThroughForm,
  registrationForm,
  seatsShown,
  servedUpToYou,
  ticketCard,
  uniqueTag,
} from './ui.ts';

test('an attendee registers, purchases, finds the ticket again after a reload and cancels it', async ({ page }) => {
  const person = { first_name: 'Ann', last_name: `Lee ${uniqueTag()}`, ticket_type: 'Regular' as const };
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Get your tickets' })).toBeVisible();
  await expect(registrationForm(page).getByRole('radio', { name: 'Regular', exact: true })).toBeChecked();

  const { ticket, card } = await registerThroughForm(page, person);

  await test.step('registering shows a queued ticket with its place in the queue', async () => {
    await expect(card).toContainText(`Ann ${person.last_name}`);
    await expect(card).toContainText('Regular');
    await expect(card).toContainText('Queued');
    await expect(card).toContainText(`Place in Regular queue: ${ticket.queue_position}`);
    await expect(card).toContainText(`People ahead: ${ticket.people_ahead}`);
  });

  await test.step('purchasing lists who was served, ending with this ticket, Confirmed', async () => {
    await card.getByRole('button', { name: 'Purchase' }).click();
    await expect(servedUpToYou(page).getByRole('listitem').last()).toContainText(
      `Ann ${person.last_name} (Regular) — Confirmed (you)`,
    );
    await expect(card).toContainText('Confirmed');
    await expect(card.getByRole('button', { name: 'Purchase' })).toHaveCount(0);
    const announcement = page.getByRole('status').filter({ hasText: `Ticket ${ticket.id} is now Confirmed` });
    await expect(announcement).toHaveCount(1);
  });

  await test.step('the ticket survives a reload with its status', async () => {
    await page.reload();
    await expect(card).toContainText('Confirmed');
    const stored = await page.evaluate(() => localStorage.getItem('ticketing.tickets'));
    expect(JSON.parse(stored ?? '[]')).toContainEqual(expect.objectContaining({ id: ticket.id }));
  });

  await test.step('cancelling after confirmation frees the seat', async () => {
    const seatsBefore = await seatsShown(page, 'Regular');
    await card.getByRole('button', { name: 'Cancel ticket', exact: true }).click();
    await confirmCancellation(page, ticket.id);
    await expect(card).toContainText('Cancelled');
    await expect(card.getByRole('button', { name: 'Cancel ticket', exact: true })).toHaveCount(0);
    await expect(card.getByRole('button', { name: 'Remove from this browser' })).toBeVisible();
    await expect.poll(() => seatsShown(page, 'Regular')).toBe(seatsBefore + 1);
  });
});

test('keeping the ticket in the cancel dialog changes nothing', async ({ page, app }) => {
  await page.goto('/');
  const { ticket, card } = await registerThroughForm(page, {
    first_name: 'Kofi',
    last_name: `Mensah ${uniqueTag()}`,
    ticket_type: 'VIP',
  });
  await card.getByRole('button', { name: 'Cancel ticket', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Cancel ticket ${ticket.id}?` });
  await dialog.getByRole('button', { name: 'Keep ticket' }).click();
  await expect(dialog).toBeHidden();
  await expect(card).toContainText('Queued');
  expect((await app.api.ticket(ticket.id)).status).toBe('Queued');
});

test('an empty first name is refused inline, next to the field', async ({ page }) => {
  await page.goto('/');
  const form = registrationForm(page);
  await form.getByRole('textbox', { name: 'Last name' }).fill('Lee');
  await form.getByRole('button', { name: 'Register' }).click();
  const firstName = form.getByRole('textbox', { name: 'First name' });
  await expect(firstName).toHaveAttribute('aria-invalid', 'true');
  await expect(firstName).toHaveAccessibleDescription(/First name and last name are required/);
  await expect(page.getByRole('region', { name: 'My tickets' }).getByRole('article')).toHaveCount(0);
});

test('on a phone, the ticket a registration made is on screen at once, above the form', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  const myTickets = page.getByRole('region', { name: 'My tickets' });
  const form = registrationForm(page);
  await expect(form.getByRole('button', { name: 'Register' })).toBeVisible();

  const { card } = await registerThroughForm(page, {
    first_name: 'Misaki',
    last_name: `Sato ${uniqueTag()}`,
    ticket_type: 'VIP',
  });

  await expect(card).toBeInViewport({ ratio: 0.9 });
  const ticketsTop = (await myTickets.boundingBox())?.y ?? Number.NaN;
  const formTop = (await form.boundingBox())?.y ?? Number.NaN;
  expect(ticketsTop, '"My tickets" comes before the form').toBeLessThan(formTop);
  // The form stays ready for the next person, with the type last chosen.
  await expect(form.getByRole('radio', { name: 'VIP', exact: true })).toBeChecked();
});

test('cancelling by keyboard leaves focus on the ticket card, not on the page', async ({ page }) => {
  await page.goto('/');
  const { ticket, card } = await registerThroughForm(page, {
    first_name: 'Tariq',
    last_name: `Haddad ${uniqueTag()}`,
    ticket_type: 'Regular',
  });
  await card.getByRole('button', { name: 'Cancel ticket', exact: true }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: `Cancel ticket ${ticket.id}?` });
  await expect(dialog.getByRole('button', { name: 'Keep ticket' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Yes, cancel' })).toBeFocused();
  await page.keyboard.press('Enter');

  await expect(dialog).toBeHidden();
  await expect(card).toContainText('Cancelled');
  await expect(card).toBeFocused();
  // From there the keyboard goes on inside the card.
  await page.keyboard.press('Tab');
  await expect(card.getByRole('button', { name: 'Remove from this browser' })).toBeFocused();
});

test('with many people ahead, the served list follows the reveal and ends on the buyer in view', async ({
  page,
  freshApp,
}) => {
  const tag = uniqueTag();
  await freshApp.api.registerAll(
    Array.from({ length: 30 }, (_, i) => ({
      first_name: `Guest${i + 1}`,
      last_name: tag,
      ticket_type: 'Regular' as const,
    })),
  );
  await page.goto(freshApp.url('/'));
  const { card } = await registerThroughForm(page, {
    first_name: 'Ines',
    last_name: `Moreau ${tag}`,
    ticket_type: 'Regular',
  });
  await card.getByRole('button', { name: 'Purchase' }).click();

  const list = servedUpToYou(page);
  const own = list.getByRole('listitem').last();
  await expect(list.getByRole('listitem')).toHaveCount(31);
  await expect(own).toContainText(`Ines Moreau ${tag} (Regular)`);
  // The list is taller than its box, so it must have scrolled for the buyer's line to show.
  expect(await list.evaluate((element) => element.scrollHeight > element.clientHeight)).toBe(true);
  await expect(own).toBeInViewport();
});

test('a mistyped address shows "Page not found" with a link home, and is answered 404', async ({ page }) => {
  const answer = await page.goto('/tickets-please');
  expect(answer?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to the ticket page' }).click();
  await expect(page).toHaveURL('/');
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('Page not found');
});

test('registering again after the answer was lost, even after a reload, gets the one ticket the first press made', async ({
  page,
  app,
}) => {
  const person = { first_name: 'Lou', last_name: `Lost ${uniqueTag()}`, ticket_type: 'Regular' as const };
  // The first press reaches the server, which registers; its answer never reaches the page.
  let answersLost = 0;
  await page.route('**/api/register', async (route) => {
    if (answersLost > 0) return route.continue();
    answersLost++;
    await route.fetch();
    await route.abort('connectionreset');
  });
  await page.goto('/');
  await fillRegistration(page, person);
  const lost = page.waitForEvent('requestfailed', (request) => request.url().endsWith('/api/register'));
  await registrationForm(page).getByRole('button', { name: 'Register' }).click();
  await lost;
  await expect(registrationForm(page).getByRole('button', { name: 'Register' })).toBeEnabled();

  // Someone who saw "Cannot reach the server" reloads, types the same again and presses Register.
  await page.reload();
  await fillRegistration(page, person);
  const retried = page.waitForResponse((response) => response.url().endsWith('/api/register'));
  await registrationForm(page).getByRole('button', { name: 'Register' }).click();
  const answer = await retried;
  expect(answer.status()).toBe(201);
  expect(answer.headers()['idempotent-replayed']).toBe('true');
  const ticket = (await answer.json()) as { id: string };
  await expect(ticketCard(page, ticket.id)).toBeVisible();

  // One registration in the log under this name: the second press made none.
  const log = await page.request.get(`/api/transactions?q=${encodeURIComponent(person.last_name)}`, {
    headers: bearer(app.staffToken),
  });
  const { items } = (await log.json()) as { items: { action: string; ticket_id: string }[] };
  expect(items.filter((item) => item.action === 'registered').map((item) => item.ticket_id)).toEqual([ticket.id]);
});

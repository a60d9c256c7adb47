// The pages' accessible names (the UI contract) in one place, and the few steps every journey repeats.
// Everything is found by role and name, as a person using a screen reader would find it.

import { expect, type Locator, type Page } from '@playwright/test';
import type { QueueList, RegisterResponse, TicketType } from '@ticketing/shared';
import type { Person } from './api.ts';

// ---- attendee page (/) ----

export function registrationForm(page: Page): Locator {
  return page.getByRole('form', { name: 'Register for a ticket' });
}

export function ticketCard(page: Page, id: string): Locator {
  return page.getByRole('region', { name: 'My tickets' }).getByRole('article', { name: `Ticket ${id}` });
}

export function servedUpToYou(page: Page): Locator {
  return page.getByRole('list', { name: 'Served up to you' });
}

export async function fillRegistration(page: Page, person: Person): Promise<void> {
  const form = registrationForm(page);
  await form.getByRole('textbox', { name: 'First name' }).fill(person.first_name);
  await form.getByRole('textbox', { name: 'Last name' }).fill(person.last_name);
  await form
    .getByRole('radiogroup', { name: 'Ticket type' })
    .getByRole('radio', { name: person.ticket_type, exact: true })
    .check();
}

/** Resolves with the API's answer to the next registration this page sends. */
export async function nextRegistration(page: Page): Promise<RegisterResponse> {
  const response = await page.waitForResponse(
    (r) => new URL(r.url()).pathname === '/api/register' && r.request().method() === 'POST',
  );
  expect(response.status(), `registration answered ${response.status()}: ${await response.text()}`).toBe(201);
  return (await response.json()) as RegisterResponse;
}

/** Registers through the form and returns the new ticket (as the API answered) and its card. */
export async function registerThroughForm(
  page: Page,
  person: Person,
): Promise<{ ticket: RegisterResponse; card: Locator }> {
  await fillRegistration(page, person);
  const registered = nextRegistration(page);
  await registrationForm(page).getByRole('button', { name: 'Register' }).click();
  const ticket = await registered;
  const card = ticketCard(page, ticket.id);
  await expect(card).toBeVisible();
  return { ticket, card };
}

/** Seats left for a type, as the page's "Availability" region shows them. */
export async function seatsShown(page: Page, type: TicketType): Promise<number> {
  const text = (await page.getByRole('region', { name: 'Availability' }).textContent()) ?? '';
  const match = new RegExp(`${type}\\D*?(\\d+)`).exec(text);
  if (!match?.[1]) throw new Error(`The Availability region does not show a number for ${type}: ${text}`);
  return Number(match[1]);
}

// ---- dialogs shared by the attendee and staff pages ----

export async function confirmCancellation(page: Page, id: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: `Cancel ticket ${id}?` });
  await dialog.getByRole('button', { name: 'Yes, cancel' }).click();
  await expect(dialog).toBeHidden();
}

// ---- summary page (/summary), whose table the staff page shows too ----

export function salesRow(page: Page, type: TicketType | 'Total'): { sold: Locator; remaining: Locator } {
  const row = page
    .getByRole('table', { name: 'Ticket sales' })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: type, exact: true }) });
  // Columns are Type (the row header), Sold, Remaining: the data cells are Sold then Remaining.
  return { sold: row.getByRole('cell').nth(0), remaining: row.getByRole('cell').nth(1) };
}

/** The bar of seats sold for a type; the contract allows a meter or a progressbar. */
export function seatsSoldBar(page: Page, type: TicketType): Locator {
  const name = `${type} seats sold`;
  return page.getByRole('meter', { name }).or(page.getByRole('progressbar', { name }));
}

/** The value next to a term of a description list, such as "VIP queue" on the summary page. */
export function termValue(page: Page, term: string): Locator {
  return page
    .getByRole('term')
    .filter({ hasText: new RegExp(`^\\s*${term}\\s*$`) })
    .locator('xpath=following-sibling::*[1]');
}

// ---- staff page (/staff) ----

/** Opens the dashboard through the `#token=` link the server prints at start. */
export async function signInWithLink(page: Page, app: { baseURL: string; staffToken: string }) {
  await page.goto(new URL(`/staff#token=${encodeURIComponent(app.staffToken)}`, app.baseURL).href);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** A section of the dashboard: one of the lists (queues, waitlists, seat holders), the log or capacity. */
export function staffSection(page: Page, name: QueueList | 'Transactions' | 'Capacity'): Locator {
  return page.getByRole('region', { name });
}

/** Rows of a list's table that hold a ticket (each has its own cancel button). */
export function ticketRows(section: Locator): Locator {
  return section.getByRole('row').filter({ has: section.page().getByRole('button', { name: /^Cancel ticket / }) });
}

// ---- test data ----

/** A short random tag that keeps names unique across tests sharing one server. */
export function uniqueTag(): string {
  const letters = 'ABCDEFGHJKMNPQRSTUVWXYZ';
  return Array.from({ length: 4 }, () => letters[Math.floor(Math.random() * letters.length)]).join('');
}

export function fullName(person: Pick<Person, 'first_name' | 'last_name'>): string {
  return `${person.first_name} ${person.last_name}`;
}

// ---- network ----

/**
 * Holds the page's requests to matching paths until `release()` is called, so a state that only lasts
 * while a request is in flight (a progress bar, a Stop button) can be seen and acted on deterministically.
 */
export async function holdRequests(page: Page, path: RegExp): Promise<{ release(): void }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route(
    (url) => path.test(url.pathname),
    async (route) => {
      await released;
      await route.continue();
    },
  );
  return { release };
}

// The tickets this browser holds (id + owner token), kept in localStorage so they survive a reload.

import { useSyncExternalStore } from 'react';

export const TICKETS_STORAGE_KEY = 'ticketing.tickets';

export interface StoredTicket {
  id: string;
  token: string;
}

const EMPTY: readonly StoredTicket[] = Object.freeze([]);

/**
 * Reads the stored tickets. Anything unexpected (not JSON, not a list, entries without id or token,
 * storage blocked by the browser) is skipped rather than thrown: a damaged entry must not take the page down.
 */
export function readStoredTickets(): StoredTicket[] {
  let raw: string | null;
  try {
    raw = window.localStorage.getItem(TICKETS_STORAGE_KEY);
  } catch {
    return [];
  }
  if (!raw) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const seen = new Set<string>();
  const tickets: StoredTicket[] = [];
  for (const entry of parsed) {
    if (entry === null || typeof entry !== 'object') continue;
    const { id, token } = entry as Record<string, unknown>;
    if (typeof id !== 'string' || typeof token !== 'string' || id === '' || token === '' || seen.has(id)) continue;
    seen.add(id);
    tickets.push({ id, token });
  }
  return tickets;
}

/**
 * This page's tickets: what storage held when first asked, then every change made here or in another tab. The
 * page shows these, not storage itself, so a ticket the browser refused to store still shows for this visit.
 */
let held: readonly StoredTicket[] | null = null;
/** ids of held tickets the browser refused to store: they are gone once this page is closed or reloaded */
let unsaved: ReadonlySet<string> = new Set();
const listeners = new Set<() => void>();

function current(): readonly StoredTicket[] {
  if (held === null) held = frozen(readStoredTickets());
  return held;
}

const frozen = (tickets: readonly StoredTicket[]) => (tickets.length === 0 ? EMPTY : tickets);

function changed(): void {
  for (const listener of listeners) listener();
}

function hold(tickets: readonly StoredTicket[]): void {
  held = frozen(tickets);
  try {
    window.localStorage.setItem(TICKETS_STORAGE_KEY, JSON.stringify(tickets));
    unsaved = new Set();
  } catch {
    // Private mode, a full quota, storage blocked: the ticket works for this visit, and the page says it will
    // not survive a reload (useUnsavedTickets).
    const stored = new Set(readStoredTickets().map((t) => t.id));
    unsaved = new Set(tickets.filter((t) => !stored.has(t.id)).map((t) => t.id));
  }
  changed();
}

/** Remembers a ticket, newest first. */
export function addStoredTicket(ticket: StoredTicket): void {
  hold([{ id: ticket.id, token: ticket.token }, ...current().filter((t) => t.id !== ticket.id)]);
}

export function removeStoredTicket(id: string): void {
  hold(current().filter((t) => t.id !== id));
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab registering or removing a ticket shows up here too; tickets this tab could not store stay.
  const onStorage = (event: StorageEvent) => {
    if (event.key !== null && event.key !== TICKETS_STORAGE_KEY) return;
    const stored = readStoredTickets();
    const ids = new Set(stored.map((t) => t.id));
    held = frozen([...current().filter((t) => unsaved.has(t.id) && !ids.has(t.id)), ...stored]);
    listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** The tickets held in this browser, re-rendering when they change here or in another tab. */
export function useStoredTickets(): readonly StoredTicket[] {
  return useSyncExternalStore(subscribe, current, () => EMPTY);
}

/** Whether a ticket shown here could not be stored, so will be gone after a reload. */
export function useUnsavedTickets(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => unsaved.size > 0,
    () => false,
  );
}

/** Forgets what this page holds, to read storage afresh; tests that write localStorage directly call this. */
export function resetStoredTicketsCache(): void {
  held = null;
  unsaved = new Set();
}

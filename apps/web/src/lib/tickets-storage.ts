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

function writeStoredTickets(tickets: readonly StoredTicket[]): void {
  try {
    window.localStorage.setItem(TICKETS_STORAGE_KEY, JSON.stringify(tickets));
  } catch {
    // Private mode or a full quota: the ticket still works for this visit, it just will not survive a reload.
  }
  snapshot = null;
  for (const listener of listeners) listener();
}

/** Remembers a ticket, newest first. */
export function addStoredTicket(ticket: StoredTicket): void {
  const others = readStoredTickets().filter((t) => t.id !== ticket.id);
  writeStoredTickets([{ id: ticket.id, token: ticket.token }, ...others]);
}

export function removeStoredTicket(id: string): void {
  writeStoredTickets(readStoredTickets().filter((t) => t.id !== id));
}

// useSyncExternalStore needs the same array back until something changed, so the parsed list is cached.
let snapshot: readonly StoredTicket[] | null = null;
const listeners = new Set<() => void>();

function getSnapshot(): readonly StoredTicket[] {
  if (snapshot === null) {
    const tickets = readStoredTickets();
    snapshot = tickets.length === 0 ? EMPTY : tickets;
  }
  return snapshot;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab registering or removing a ticket shows up here too.
  const onStorage = (event: StorageEvent) => {
    if (event.key !== null && event.key !== TICKETS_STORAGE_KEY) return;
    snapshot = null;
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
  return useSyncExternalStore(subscribe, getSnapshot, () => EMPTY);
}

/** Forgets the cached snapshot; tests that write localStorage directly call this. */
export function resetStoredTicketsCache(): void {
  snapshot = null;
}

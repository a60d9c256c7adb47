// The staff sign-in: the token, kept in sessionStorage for this browser session, and why it last ended.

import { useSyncExternalStore } from 'react';

export const STAFF_TOKEN_STORAGE_KEY = 'ticketing.staffToken';

export interface StaffSession {
  token: string | null;
  /** shown on the sign-in form after a sign-out the person did not ask for */
  notice: string | null;
}

let session: StaffSession = { token: readToken(), notice: null };
const listeners = new Set<() => void>();

function readToken(): string | null {
  try {
    return window.sessionStorage.getItem(STAFF_TOKEN_STORAGE_KEY) || null;
  } catch {
    return null;
  }
}

function update(next: StaffSession): void {
  session = next;
  try {
    if (next.token) window.sessionStorage.setItem(STAFF_TOKEN_STORAGE_KEY, next.token);
    else window.sessionStorage.removeItem(STAFF_TOKEN_STORAGE_KEY);
  } catch {
    // Storage blocked: the session lasts until the page is closed or reloaded.
  }
  for (const listener of listeners) listener();
}

export function signInStaff(token: string): void {
  update({ token, notice: null });
}

/** Ends the session; `notice` explains an automatic sign-out (a rejected token). */
export function signOutStaff(notice: string | null = null): void {
  if (session.token === null && session.notice === notice) return;
  update({ token: null, notice });
}

export function getStaffSession(): StaffSession {
  return session;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useStaffSession(): StaffSession {
  return useSyncExternalStore(subscribe, getStaffSession, getStaffSession);
}

/** Re-reads sessionStorage; for tests that set it up before rendering. */
export function reloadStaffSession(): void {
  session = { token: readToken(), notice: null };
}

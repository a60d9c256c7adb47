// Test isolation for the web project: each test starts with an empty DOM, empty storage and the real fetch;
// and a modal <dialog> hands focus back on close() as browsers do.

import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';
import { reloadStaffSession } from '../lib/staff-session.ts';
import { resetStoredTicketsCache } from '../lib/tickets-storage.ts';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
  window.localStorage.clear();
  window.sessionStorage.clear();
  window.sessionStorage.clear();
  resetStoredTicketsCache();
  reloadStaffSession();
  window.history.replaceState(null, '', '/');
});

// happy-dom's <dialog> lacks two things browsers do, which decide where focus ends up: while a modal dialog
// is open the rest of the page is inert (focus() there does nothing), and close() hands focus back to what
// had it before showModal() (nothing, if that has gone meanwhile, so focus falls to <body>).
const openModals = new Set<HTMLDialogElement>();
const focusBeforeModal = new WeakMap<HTMLDialogElement, Element | null>();
const { showModal, close } = HTMLDialogElement.prototype;
const { focus } = HTMLElement.prototype;

HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) {
  focusBeforeModal.set(this, document.activeElement);
  openModals.add(this);
  showModal.call(this);
};

HTMLDialogElement.prototype.close = function (this: HTMLDialogElement, returnValue?: string) {
  close.call(this, returnValue);
  openModals.delete(this);
  const previous = focusBeforeModal.get(this);
  if (previous instanceof HTMLElement && previous.isConnected) previous.focus();
  else if (document.activeElement instanceof HTMLElement && this.contains(document.activeElement)) {
    document.activeElement.blur();
  }
};

HTMLElement.prototype.focus = function (this: HTMLElement, options?: FocusOptions) {
  for (const modal of openModals) if (modal.isConnected && !modal.contains(this)) return;
  focus.call(this, options);
};

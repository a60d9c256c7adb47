// Test isolation for the web project: each test starts with an empty DOM, empty storage and the real fetch.

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
  resetStoredTicketsCache();
  reloadStaffSession();
  window.history.replaceState(null, '', '/');
});

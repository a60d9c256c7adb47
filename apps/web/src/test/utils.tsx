// Helpers for component tests: a fresh QueryClient per test, and a fetch stub that answers like the API.

import type { QueryClient } from '@tanstack/react-query';
import { act, render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { type Mock, vi } from 'vitest';
import { Providers } from '../app/providers.tsx';
import { createQueryClient } from '../lib/query-client.ts';

export function renderWithClient(ui: ReactElement, client: QueryClient = testQueryClient()) {
  return { client, ...render(<Providers client={client}>{ui}</Providers>) };
}

/** No retries and no polling, so each test sees exactly the requests it caused. */
export function testQueryClient(): QueryClient {
  return createQueryClient({ queries: { retry: false, refetchInterval: false } });
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Headers;
  body: unknown;
}

type Route = (request: RecordedRequest) => Response | Promise<Response>;

/**
 * Replaces fetch with a router over "METHOD /path" keys (the query string is ignored for matching) and
 * records every request. Unknown routes answer 404 in the API's error shape.
 */
export function stubApi(routes: Record<string, Route>): { fetch: Mock; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost');
    const request: RecordedRequest = {
      method: init.method ?? 'GET',
      path: url.pathname + url.search,
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    requests.push(request);
    const route = routes[`${request.method} ${url.pathname}`];
    if (!route) return jsonResponse({ error: 'Not found', code: 'NOT_FOUND' }, 404);
    return route(request);
  });
  vi.stubGlobal('fetch', fetchMock);
  return { fetch: fetchMock, requests };
}

export const HOSTILE_NAME = '<img src=x onerror=alert(1)>';

/**
 * A text matcher for Testing Library that, like Playwright's getByText, reads an element's whole text
 * (including its children), matching the innermost element whose text is exactly `text`.
 */
export function fullText(text: string) {
  return (_content: string, element: Element | null) =>
    element?.textContent === text && Array.from(element.children).every((child) => child.textContent !== text);
}

/**
 * Lets React Query deliver the notifications it has scheduled (it sends them on a zero timeout), so that a
 * test asserting that something did not change asserts it after the change would have shown.
 */
export function settleNotifications(): Promise<void> {
  return act(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
}

// The one way the client talks to the API: fetch, credentials, and every failure turned into an ApiError.

/** Shown when no answer came back at all (offline, server down, DNS, CORS). */
export const NETWORK_ERROR_MESSAGE = 'Cannot reach the server. Check your connection and try again.';

/** The code of a 502/503/504 from a gateway (the dev proxy, a load balancer) rather than from the API. */
const UNREACHABLE_GATEWAY_CODE = 'API_UNREACHABLE';

/** A failed API call, carrying the sentence to show people and what code can branch on. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** seconds the server asked us to wait before trying again (429, 503), when it said */
  readonly retryAfter: number | null;
  readonly details: unknown;

  constructor(init: { status: number; code: string; message: string; retryAfter?: number | null; details?: unknown }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.retryAfter = init.retryAfter ?? null;
    this.details = init.details;
  }

  /** Status 0: the request never got an HTTP answer. */
  get isNetworkError(): boolean {
    return this.status === 0;
  }

  /** No answer from the API itself: no connection at all, or a gateway in front of it that could not reach it. */
  get isUnreachable(): boolean {
    return this.isNetworkError || this.code === UNREACHABLE_GATEWAY_CODE;
  }

  get isAuthError(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** True for an error that says only that the server could not be reached (see ApiError.isUnreachable). */
export function isUnreachable(error: unknown): boolean {
  return isApiError(error) && error.isUnreachable;
}

/** The sentence to show for any thrown value; unexpected errors get a generic one rather than a stack. */
export function errorMessage(error: unknown): string {
  if (isApiError(error)) return error.message;
  return 'Something went wrong. Please try again.';
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** sent as JSON */
  body?: unknown;
  /** a ticket token or the staff token, sent as `Authorization: Bearer …` */
  token?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** statuses besides 2xx that the caller handles itself (the summary's 304) */
  accept?: readonly number[];
}

/** Sends a request and returns the raw response; anything but 2xx (or `accept`) becomes an ApiError. */
export async function apiRequest(path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.token) headers.Authorization = `Bearer ${options.token}`;

  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      // Polling must see the server's state, and a 304 must reach us rather than be answered from cache.
      cache: 'no-store',
    });
  } catch (error) {
    // React Query cancels by aborting; that is not a failure to report.
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({ status: 0, code: 'NETWORK_ERROR', message: NETWORK_ERROR_MESSAGE });
  }

  if (response.ok || options.accept?.includes(response.status)) return response;
  throw await toApiError(response);
}

/** Sends a request and parses the JSON answer as T (the shapes come from @ticketing/shared). */
export async function apiJson<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await apiRequest(path, options);
  return (await response.json()) as T;
}

/** Reads an error response: the API's own `{error, code}` when present, a plain sentence otherwise. */
export async function toApiError(response: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // A proxy or crash page instead of the API's JSON: fall back to a sentence made from the status.
  }
  const apiSentence = readString(body, 'error');
  const details = body !== null && typeof body === 'object' ? (body as { details?: unknown }).details : undefined;

  // A gateway (the dev proxy, a load balancer) answering for an API it cannot reach means the same as
  // a failed connection, and says so the same way.
  const unreachable = apiSentence === undefined && [502, 503, 504].includes(response.status);
  const code = readString(body, 'code') ?? (unreachable ? UNREACHABLE_GATEWAY_CODE : `HTTP_${response.status}`);
  let message = apiSentence ?? (unreachable ? NETWORK_ERROR_MESSAGE : fallbackMessage(response.status));
  if (response.status === 429) message = withWaitAdvice(apiSentence ?? 'Too many requests.', retryAfter);
  return new ApiError({ status: response.status, code, message, retryAfter, details });
}

/** Retry-After is either a number of seconds or an HTTP date; both become whole seconds from now. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function withWaitAdvice(sentence: string, retryAfter: number | null): string {
  // The API's own sentence already says how long to wait.
  if (/\bwait\b/i.test(sentence)) return sentence;
  const base = /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
  if (retryAfter === null) return `${base} Please wait a moment and try again.`;
  const wait = retryAfter === 1 ? '1 second' : `${retryAfter} seconds`;
  return `${base} Please wait ${wait} and try again.`;
}

function fallbackMessage(status: number): string {
  if (status === 401 || status === 403) return 'You are not allowed to do that.';
  if (status === 404) return 'Not found.';
  if (status >= 500) return `The server had a problem (${status}). Please try again in a moment.`;
  return `The request failed (${status}).`;
}

function readString(body: unknown, field: string): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const value = (body as Record<string, unknown>)[field];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** A fresh random Idempotency-Key (see retry-keys.ts for when a press reuses one). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID exists only in secure contexts; a LAN address over http still deserves a unique key.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

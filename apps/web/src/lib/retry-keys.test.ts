import { describe, expect, it } from 'vitest';
import { ApiError } from './api-client.ts';
import { answeredDefinitely, RetryKeys } from './retry-keys.ts';

const apiError = (status: number, code = 'X') => new ApiError({ status, code, message: 'm' });

describe('RetryKeys', () => {
  it('sends the same request again with the same key until a definite answer, then a new one', () => {
    const keys = new RetryKeys();
    const ann = { first_name: 'Ann', last_name: 'Lee', ticket_type: 'VIP' };
    const first = keys.keyFor(ann);
    keys.settled(apiError(0, 'NETWORK_ERROR'));
    expect(keys.keyFor({ ...ann })).toBe(first);
    keys.settled(apiError(503));
    expect(keys.keyFor(ann)).toBe(first);
    keys.settled(new TypeError('the body broke off'));
    expect(keys.keyFor(ann)).toBe(first);
    keys.settled(null);
    // Answered: pressing again is a new registration.
    expect(keys.keyFor(ann)).not.toBe(first);
  });

  it('gives another request, or one after a definite refusal, a new key', () => {
    const keys = new RetryKeys();
    const first = keys.keyFor({ id: 'ABC-DEF' });
    keys.settled(apiError(0, 'NETWORK_ERROR'));
    const other = keys.keyFor({ id: 'XYZ-234' });
    expect(other).not.toBe(first);
    keys.settled(apiError(400, 'VALIDATION_ERROR'));
    expect(keys.keyFor({ id: 'XYZ-234' })).not.toBe(other);
  });

  it('keeps a pending key in storage, so a reloaded page sends the same request with it', () => {
    const kept = { storage: window.sessionStorage, name: 'test.retry' };
    const before = new RetryKeys(kept);
    const key = before.keyFor({ first_name: 'Ann' });
    before.settled(apiError(0, 'NETWORK_ERROR'));
    const reloaded = new RetryKeys(kept);
    expect(reloaded.keyFor({ first_name: 'Ann' })).toBe(key);
    reloaded.settled(null);
    expect(window.sessionStorage.getItem('test.retry')).toBeNull();
    expect(new RetryKeys(kept).keyFor({ first_name: 'Ann' })).not.toBe(key);
  });

  it('takes only 4xx refusals for definite answers, not a timeout, "still in flight" or "too many requests"', () => {
    expect(answeredDefinitely(apiError(400, 'VALIDATION_ERROR'))).toBe(true);
    expect(answeredDefinitely(apiError(409, 'ALREADY_CANCELLED'))).toBe(true);
    expect(answeredDefinitely(apiError(409, 'IDEMPOTENCY_ANSWER_LOST'))).toBe(true);
    expect(answeredDefinitely(apiError(0, 'NETWORK_ERROR'))).toBe(false);
    expect(answeredDefinitely(apiError(502, 'API_UNREACHABLE'))).toBe(false);
    expect(answeredDefinitely(apiError(500))).toBe(false);
    expect(answeredDefinitely(apiError(408))).toBe(false);
    expect(answeredDefinitely(apiError(429, 'RATE_LIMITED'))).toBe(false);
    expect(answeredDefinitely(apiError(409, 'IDEMPOTENCY_IN_FLIGHT'))).toBe(false);
    expect(answeredDefinitely(new TypeError('a broken body'))).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { ApiError } from './api-client.ts';
import { outcomeUnknown, RetryKeys } from './retry-keys.ts';

const apiError = (status: number, code = 'X') => new ApiError({ status, code, message: 'm' });

describe('RetryKeys', () => {
  it('sends the same request again with the same key while its outcome is unknown, and a new one after an answer', () => {
    const keys = new RetryKeys();
    const ann = { first_name: 'Ann', last_name: 'Lee', ticket_type: 'VIP' };
    const first = keys.keyFor(ann);
    keys.settled(apiError(0, 'NETWORK_ERROR'));
    expect(keys.keyFor({ ...ann })).toBe(first);
    keys.settled(apiError(503));
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

  it('counts no answer, a server failure, a timeout and "still in flight" as unknown outcomes', () => {
    expect(outcomeUnknown(apiError(0, 'NETWORK_ERROR'))).toBe(true);
    expect(outcomeUnknown(apiError(502, 'API_UNREACHABLE'))).toBe(true);
    expect(outcomeUnknown(apiError(500))).toBe(true);
    expect(outcomeUnknown(apiError(408))).toBe(true);
    expect(outcomeUnknown(apiError(409, 'IDEMPOTENCY_IN_FLIGHT'))).toBe(true);
    expect(outcomeUnknown(apiError(409, 'ALREADY_CANCELLED'))).toBe(false);
    expect(outcomeUnknown(apiError(409, 'IDEMPOTENCY_ANSWER_LOST'))).toBe(false);
    expect(outcomeUnknown(apiError(429, 'RATE_LIMITED'))).toBe(false);
    expect(outcomeUnknown(new Error('a bug'))).toBe(false);
  });
});

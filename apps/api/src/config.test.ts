import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('the configuration', () => {
  it('takes the defaults from an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', logLevel: 'info', trustProxy: false });
    expect(config.capacityGiven).toEqual([]);
  });

  it.each(['1', 'true', 'YES', 'on'])('trusts the proxy for TRUST_PROXY=%s', (value) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toBe(true);
  });

  it.each(['0', 'false', 'no', 'OFF', ''])('does not trust a proxy for TRUST_PROXY=%j', (value) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toBe(false);
  });

  it('refuses a TRUST_PROXY it cannot read rather than taking it for "off"', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'enabled' })).toThrow(
      'TRUST_PROXY must be 1 (or true, yes, on) or 0 (or false, no, off), not "enabled"',
    );
  });

  it('refuses a staff token that could never be sent as a Bearer token', () => {
    expect(() => loadConfig({ STAFF_TOKEN: 'my staff token with spaces' })).toThrow(/without spaces/);
    expect(() => loadConfig({ STAFF_TOKEN: 'short' })).toThrow(/at least 12 characters/);
    expect(loadConfig({ STAFF_TOKEN: ' a-long-shared-secret ' }).staffToken).toBe('a-long-shared-secret');
  });

  it('refuses an unknown LOG_LEVEL with the levels it takes, in any case', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL must be one of trace, debug, info/);
    expect(loadConfig({ LOG_LEVEL: 'WARN' }).logLevel).toBe('warn');
  });

  it('records which capacities were given, as they apply to a new event only', () => {
    expect(loadConfig({ VIP_CAPACITY: '10' })).toMatchObject({
      capacityGiven: ['VIP'],
      initialCapacity: { VIP: 10 },
    });
  });
});

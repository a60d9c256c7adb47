import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('the configuration', () => {
  it('takes the defaults from an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', logLevel: 'info', trustProxy: [] });
    expect(config.capacityGiven).toEqual([]);
  });

  it.each(['1', 'true', 'YES', 'on'])(
    'trusts a proxy on this machine or a private network for TRUST_PROXY=%s',
    (value) => {
      expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(['loopback', 'linklocal', 'uniquelocal']);
    },
  );

  it('trusts the proxies TRUST_PROXY lists by address or subnet', () => {
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.5, 192.0.2.0/24,fd00::/8, ::1 ' }).trustProxy).toEqual([
      '10.0.0.5',
      '192.0.2.0/24',
      'fd00::/8',
      '::1',
    ]);
  });

  it.each(['0', 'false', 'no', 'OFF', ''])('trusts no proxy for TRUST_PROXY=%j', (value) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual([]);
  });

  it('takes the names of the private ranges in a list too, in any case', () => {
    expect(loadConfig({ TRUST_PROXY: 'Loopback, 203.0.113.7' }).trustProxy).toEqual(['loopback', '203.0.113.7']);
  });

  it.each([
    'enabled',
    '2',
    '10.0.0.300',
    '10.0.0.0/33',
    '10.0.0.5,',
    'fd00::/129',
    '10.0.0.0/8/8',
    '0.0.0.0/0',
    '::/0',
    'fe80::1%eth0',
  ])('refuses TRUST_PROXY=%j rather than guessing', (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(
      `TRUST_PROXY must be yes (1, true, on: the proxy is on this machine or a private network), no (0, false, off), or the proxies' addresses or subnets separated by commas (such as 10.0.0.5 or 10.0.0.0/8), not "${value}"`,
    );
  });

  it('refuses a staff token that could never be sent as a Bearer token', () => {
    expect(() => loadConfig({ STAFF_TOKEN: 'my staff token with spaces' })).toThrow(/without spaces/);
    expect(() => loadConfig({ STAFF_TOKEN: 'short' })).toThrow(/at least 12 characters/);
    expect(loadConfig({ STAFF_TOKEN: ' a-long-shared-secret ' }).staffToken).toBe('a-long-shared-secret');
  });

  it('refuses a DATABASE_URL the driver would guess at: not a URL, another scheme, no host, no database', () => {
    expect(() => loadConfig({ DATABASE_URL: 'foo' })).toThrow(/must be a URL such as postgres:\/\/user/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://db/x' })).toThrow(/must start with postgres:\/\//);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/' })).toThrow(/names no database/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://…' })).toThrow(/names no database/);
    const url = 'postgresql://ticketing:secret@db.internal:5432/event';
    expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
    expect(loadConfig({ DATABASE_URL: 'postgres:///event?host=/var/run/postgresql' }).databaseUrl).toBeDefined();
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

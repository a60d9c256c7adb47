import { describe, expect, it } from 'vitest';
import { startupBanner } from './banner.ts';

const options = {
  host: '127.0.0.1',
  port: 3000,
  staffToken: 'a/b+c=secret',
  databaseUrl: undefined,
  dataDir: '/srv/event',
  webBuilt: true,
};

describe('the startup banner', () => {
  it('gives the pages, the staff link with its token, and the data directory', () => {
    const banner = startupBanner(options);
    expect(banner).toContain('Event ticketing is running at http://127.0.0.1:3000\n');
    expect(banner).toContain('Live sales:       http://127.0.0.1:3000/summary\n');
    expect(banner).toContain('Staff dashboard:  http://127.0.0.1:3000/staff#token=a%2Fb%2Bc%3Dsecret\n');
    expect(banner).toContain('Data directory:   /srv/event\n');
    expect(banner).not.toContain('On the network');
  });

  it('listening on every interface, names the addresses other devices reach it at', () => {
    const banner = startupBanner({ ...options, host: '0.0.0.0', networkAddresses: ['192.168.1.20', '10.0.0.4'] });
    expect(banner).toContain('Event ticketing is running at http://127.0.0.1:3000\n');
    expect(banner).toContain('On the network:   http://192.168.1.20:3000, http://10.0.0.4:3000 (the same pages)\n');
    // Staff on a tablet get a link that works there too.
    expect(banner).toContain(
      [
        '  Staff dashboard:  http://127.0.0.1:3000/staff#token=a%2Fb%2Bc%3Dsecret',
        '                    http://192.168.1.20:3000/staff#token=a%2Fb%2Bc%3Dsecret',
        '                    http://10.0.0.4:3000/staff#token=a%2Fb%2Bc%3Dsecret\n',
      ].join('\n'),
    );
  });

  it('does not print a staff token set in STAFF_TOKEN into the log', () => {
    const banner = startupBanner({ ...options, staffTokenConfigured: true });
    expect(banner).toContain('Staff dashboard:  http://127.0.0.1:3000/staff (sign in with STAFF_TOKEN)\n');
    expect(banner).not.toContain('secret');
  });

  it('shows the database without its password, and says when the web client is missing', () => {
    const banner = startupBanner({
      ...options,
      host: '::1',
      databaseUrl: 'postgres://ticketing:hunter2@db.internal:5432/event',
      webBuilt: false,
    });
    expect(banner).toContain('running at http://[::1]:3000\n');
    expect(banner).toContain('Database:         postgres://ticketing:***@db.internal:5432/event\n');
    expect(banner).not.toContain('hunter2');
    expect(banner).toContain('the web client is not built: run pnpm build');
  });
});

// What the server prints once it listens: where to find each page, and where the event is kept.

import { networkInterfaces } from 'node:os';

export interface BannerOptions {
  /** the address listened on (HOST) */
  host: string;
  port: number;
  staffToken: string;
  databaseUrl: string | undefined;
  dataDir: string;
  webBuilt: boolean;
  /** this machine's addresses on its networks (listening on every interface, other devices use these) */
  networkAddresses?: string[];
}

export function startupBanner(options: BannerOptions): string {
  const everywhere = options.host === '0.0.0.0' || options.host === '::';
  const base = url(everywhere ? '127.0.0.1' : options.host, options.port);
  const others = everywhere ? (options.networkAddresses ?? networkAddresses()) : [];
  const lines = [
    '',
    `  Event ticketing is running at ${base}`,
    ...(others.length > 0
      ? [`  On the network:   ${others.map((address) => url(address, options.port)).join(', ')} (the same pages)`]
      : []),
    `  Live sales:       ${base}/summary`,
    `  Staff dashboard:  ${base}/staff#token=${encodeURIComponent(options.staffToken)}`,
    options.databaseUrl
      ? `  Database:         ${redactPassword(options.databaseUrl)}`
      : `  Data directory:   ${options.dataDir}`,
    options.webBuilt ? '' : '  (the web client is not built: run pnpm build)',
    '',
  ];
  return `${lines.join('\n')}\n`;
}

function url(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** This machine's IPv4 addresses that other devices can reach, loopback left out. */
function networkAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((found) => found !== undefined && found.family === 'IPv4' && !found.internal)
    .map((found) => (found as { address: string }).address);
}

function redactPassword(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

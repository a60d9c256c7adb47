// What the server prints once it listens: where to find each page, and where the event is kept.

import { networkInterfaces } from 'node:os';

export interface BannerOptions {
  /** the address listened on (HOST) */
  host: string;
  port: number;
  staffToken: string;
  /** the token came from STAFF_TOKEN: whoever set it knows it, and it is not printed into the log */
  staffTokenConfigured?: boolean;
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
    ...staffLinks([base, ...others.map((address) => url(address, options.port))], options),
    options.databaseUrl
      ? `  Database:         ${redactPassword(options.databaseUrl)}`
      : `  Data directory:   ${options.dataDir}`,
    options.webBuilt ? '' : '  (the web client is not built: run pnpm build)',
    '',
  ];
  return `${lines.join('\n')}\n`;
}

/** The staff dashboard's link on each address, signing staff in with a generated token. */
function staffLinks(bases: string[], options: BannerOptions): string[] {
  const label = '  Staff dashboard:  ';
  if (options.staffTokenConfigured) return [`${label}${bases[0]}/staff (sign in with STAFF_TOKEN)`];
  const link = (base: string) => `${base}/staff#token=${encodeURIComponent(options.staffToken)}`;
  return bases.map((base, i) => `${i === 0 ? label : ' '.repeat(label.length)}${link(base)}`);
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

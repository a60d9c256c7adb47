// Brings a data directory written by the original Flask app into this product: its three files become
// a journal of ours, and the originals are moved aside, untouched, for reference.

import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import {
  checkName,
  type JournalEvent,
  parseTicketType,
  repairName,
  TICKET_TYPES,
  TicketEngine,
  type TicketType,
} from '@ticketing/shared';
import Papa from 'papaparse';
import { unescapeCell } from '../../lib/csv-cells.ts';
import { StorageDamagedError } from '../types.ts';

export const FLASK_TRANSACTIONS_HEADER = 'first_name,last_name,ticket_type,time,status';
export const FLASK_QUEUE_HEADER = 'first_name,last_name,ticket_type,time';

/** The first line of a file, reading only its first few kilobytes (a journal may be very large). */
async function firstLine(path: string): Promise<string | undefined> {
  if (!existsSync(path)) return undefined;
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    return buffer
      .toString('utf8', 0, bytesRead)
      .split(/\r?\n/, 1)[0]
      ?.replace(/^\uFEFF/, '')
      .trim();
  } finally {
    await handle.close();
  }
}

/** True when the directory holds the original app's files and none of ours. */
export async function isFlaskDataDir(dir: string): Promise<boolean> {
  const transactions = await firstLine(join(dir, 'transactions.csv'));
  const queue = await firstLine(join(dir, 'queue.csv'));
  return transactions === FLASK_TRANSACTIONS_HEADER || (transactions === undefined && queue === FLASK_QUEUE_HEADER);
}

interface FlaskRow {
  first_name?: string;
  last_name?: string;
  ticket_type?: string;
  time?: string;
  status?: string;
}

async function readRows(path: string): Promise<FlaskRow[]> {
  if (!existsSync(path)) return [];
  const parsed = Papa.parse<FlaskRow>(await readFile(path, 'utf8'), {
    header: true,
    // Python's csv module wrote these with commas; left to guess, papaparse may pick a tab found in a name.
    delimiter: ',',
    skipEmptyLines: 'greedy',
    transform: (value) => unescapeCell(value),
  });
  return parsed.data;
}

export interface FlaskImport {
  events: JournalEvent[];
  warnings: string[];
  movedTo: string;
}

/**
 * Builds our journal from the original files. The original identified people only by name, never gave
 * a cancelled seat back, and had no waitlist; each of its rows becomes a ticket of ours in file order,
 * its capacity is what its files say (seats sold + seats left), and our rules apply from then on.
 */
export async function importFlaskDataDir(
  dir: string,
  options: {
    now: Date;
    newId: (taken: (id: string) => boolean) => string;
    fallbackCapacity: Record<TicketType, number>;
  },
): Promise<FlaskImport> {
  const warnings: string[] = [];
  const transactions = await readRows(join(dir, 'transactions.csv'));
  const queue = await readRows(join(dir, 'queue.csv'));
  const left = await readAvailability(join(dir, 'availability.json'));

  type Entry = { row: FlaskRow; line: number; file: string; type: TicketType; status: string };
  const entries: Entry[] = [];
  const collect = (rows: FlaskRow[], file: string, status: (row: FlaskRow) => string) =>
    rows.forEach((row, index) => {
      const type = parseTicketType(row.ticket_type);
      if (!type) warnings.push(`${file} line ${index + 2}: unknown ticket type "${row.ticket_type}", row skipped`);
      else entries.push({ row, line: index + 2, file, type, status: status(row).trim() });
    });
  collect(transactions, 'transactions.csv', (row) => row.status ?? '');
  collect(queue, 'queue.csv', () => 'Queued');

  // A "Cancelled" row cancels the latest earlier ticket of the same name and type, if there is one.
  const confirmedCount = { VIP: 0, Regular: 0 };
  const open = new Map<string, Entry[]>();
  const finalStatus = new Map<Entry, string>();
  for (const entry of entries) {
    const key = `${entry.type}|${entry.row.first_name?.trim()}|${entry.row.last_name?.trim()}`;
    if (entry.status === 'Cancelled' && open.get(key)?.length) {
      const target = open.get(key)?.pop() as Entry;
      if (finalStatus.get(target) === 'Confirmed') confirmedCount[target.type]--;
      finalStatus.set(target, 'Cancelled');
      continue;
    }
    finalStatus.set(entry, entry.status);
    if (entry.status === 'Confirmed') confirmedCount[entry.type]++;
    if (entry.status !== 'Cancelled') open.set(key, [...(open.get(key) ?? []), entry]);
  }

  const engine = new TicketEngine();
  const events: JournalEvent[] = [];
  const at = options.now.toISOString();
  const capacity = Object.fromEntries(
    TICKET_TYPES.map((type) => [
      type,
      Math.max(
        confirmedCount[type] + (left?.[type] ?? options.fallbackCapacity[type] - confirmedCount[type]),
        confirmedCount[type],
      ),
    ]),
  ) as Record<TicketType, number>;
  events.push(...engine.createEvent(capacity, { at, actor: 'system' }).events);

  // Seats first, then the waitlist, then cancellations, then the live queue: the order our rules need.
  const rank = (status: string) => ['Confirmed', 'Sold Out', 'Cancelled', 'Queued'].indexOf(status);
  const ordered = [...finalStatus.entries()].filter(([, s]) => rank(s) >= 0).sort(([, a], [, b]) => rank(a) - rank(b));
  for (const [status, count] of Object.entries(countBy([...finalStatus.values()]))) {
    if (rank(status) < 0) warnings.push(`${count} row(s) with status "${status}" were not imported`);
  }
  for (const [entry, status] of ordered) {
    const ctx = { at: validTime(entry.row.time) ?? at, actor: 'system' as const };
    const first = importedName(entry.row.first_name, `${entry.file} line ${entry.line}`, warnings);
    const last = importedName(entry.row.last_name, `${entry.file} line ${entry.line}`, warnings);
    const id = options.newId((candidate) => engine.has(candidate));
    const registered = engine.register(
      { id, first_name: first, last_name: last, ticket_type: entry.type, token_hash: '' },
      ctx,
    );
    events.push(...registered.events);
    if (status === 'Confirmed' || status === 'Sold Out') {
      const processed = engine.processUpTo(id, ctx);
      events.push(...processed.events);
      if (processed.result.ticket.status !== status) {
        warnings.push(`${entry.file} line ${entry.line}: was ${status}, imported as ${processed.result.ticket.status}`);
      }
    } else if (status === 'Cancelled') {
      events.push(...engine.cancel(id, ctx).events);
    }
  }

  const movedTo = join(dir, `imported-from-flask-${at.replace(/[:.]/g, '-')}`);
  await mkdir(movedTo);
  for (const file of ['transactions.csv', 'queue.csv', 'availability.json']) {
    if (existsSync(join(dir, file))) await rename(join(dir, file), join(movedTo, file));
  }
  return { events, warnings, movedTo };
}

async function readAvailability(path: string): Promise<Record<TicketType, number> | undefined> {
  if (!existsSync(path)) return undefined;
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    const seats = (value: unknown) => (Number.isInteger(value) && (value as number) >= 0 ? (value as number) : 0);
    return { VIP: seats(parsed.VIP), Regular: seats(parsed.Regular) };
  } catch (error) {
    throw new StorageDamagedError(
      `${path} is not valid JSON (${(error as Error).message}); fix or remove it to import.`,
    );
  }
}

function importedName(raw: string | undefined, where: string, warnings: string[]): string {
  const check = checkName(raw);
  if (check.ok) return check.value;
  // Keep the person even when the old app let a bad name through: repair what our rules forbid.
  warnings.push(`${where}: name "${raw ?? ''}" adjusted (${check.message})`);
  return repairName(raw ?? '', '(no name)');
}

function validTime(raw: string | undefined): string | undefined {
  const time = raw ? Date.parse(raw) : Number.NaN;
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

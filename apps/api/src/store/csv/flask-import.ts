// Brings a data directory written by the original Flask app into this product: its three files become
// a journal of ours, and the originals are moved aside, untouched, for reference. Also tells the original's
// files from ours, so that a start never overwrites a file a person may need.

import { existsSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rmdir } from 'node:fs/promises';
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
import { StorageDamagedError } from '../types.ts';
import { fileStamp, removeInterruptedWrites, syncDirectory } from './atomic-file.ts';
import { JOURNAL_HEADER } from './journal-codec.ts';
import { AVAILABILITY_FILE, AVAILABILITY_START, QUEUE_FILE, QUEUE_HEADER } from './snapshots.ts';

export const FLASK_TRANSACTIONS_HEADER = 'first_name,last_name,ticket_type,time,status';
export const FLASK_QUEUE_HEADER = 'first_name,last_name,ticket_type,time';
const FLASK_FILES = ['transactions.csv', QUEUE_FILE, AVAILABILITY_FILE] as const;
/** Where an import keeps its new journal and the originals until the journal is in place. */
const STAGING_DIR = 'importing-from-flask';
const STAGED_JOURNAL = 'new-transactions.csv';
/** Enough of a file to know whose it is (and all of an availability.json). */
const HEAD_BYTES = 64 * 1024;

// ---- whose files these are ----------------------------------------------------------------------

/** What a data directory holds, as far as starting on it goes. */
export type DataDirContents =
  /** `foreign`: snapshot files beside it that this server did not write, to keep aside before they are rebuilt */
  { kind: 'journal'; foreign: string[] } | { kind: 'flask' } | { kind: 'nothing' };

type Shape = 'missing' | 'blank' | 'ours' | 'flask' | 'unknown';

interface FileHead {
  path: string;
  text: string;
  /** the whole file was read */
  whole: boolean;
  size: number;
}

async function readHead(path: string): Promise<FileHead | undefined> {
  if (!existsSync(path)) return undefined;
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
    const text = buffer.toString('utf8', 0, bytesRead).replace(/^\uFEFF/, '');
    return { path, text, whole: size <= HEAD_BYTES, size };
  } finally {
    await handle.close();
  }
}

function firstLineOf(head: FileHead): string {
  return (head.text.split(/\r?\n/, 1)[0] ?? '').trim();
}

/** How each event line of this server's journal begins: its seq, then its time. */
const JOURNAL_LINE = /^\d+,\d{4}-\d\d-\d\dT[\d:.]+Z,/;

/** Text nobody could need: empty, or only spaces, line breaks or the zeros a crash can leave. */
const BLANK_TEXT = /^[\s\0]*$/;

/** A file holding nothing anyone could need (see BLANK_TEXT). */
function isBlank(head: FileHead): boolean {
  // A file cut short by a power cut can read as zeros however long it is.
  return BLANK_TEXT.test(head.text) && (head.whole || /^\0+$/.test(head.text));
}

function csvShape(head: FileHead | undefined, ourHeader: string, flaskHeader: string): Shape {
  if (!head) return 'missing';
  if (isBlank(head)) return 'blank';
  const first = firstLineOf(head);
  // A header cut short (no line break yet) is a first write of ours that a crash interrupted.
  const tornHeader = head.whole && !head.text.includes('\n') && ourHeader.startsWith(first);
  if (first === ourHeader || tornHeader) return 'ours';
  return first === flaskHeader ? 'flask' : 'unknown';
}

function availabilityShape(head: FileHead | undefined): Shape {
  if (!head) return 'missing';
  if (isBlank(head)) return 'blank';
  let parsed: unknown;
  try {
    parsed = JSON.parse(head.text);
  } catch {
    return head.text.startsWith(AVAILABILITY_START) ? 'ours' : 'unknown';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'unknown';
  if ('journal_seq' in parsed) return 'ours';
  // The original's {"VIP": n, "Regular": n}: seats left per type, and nothing else.
  const entries = Object.entries(parsed);
  const flask =
    entries.length > 0 &&
    entries.every(([key, value]) => (TICKET_TYPES as readonly string[]).includes(key) && typeof value === 'number');
  return flask ? 'flask' : 'unknown';
}

/**
 * Whose files the directory holds: this server's journal, the original app's files (none of ours), or neither.
 * Beside our journal, queue.csv and availability.json are rebuilt from it whatever they hold (cut short by a
 * crash, edited in a spreadsheet); one this server did not write is named in `foreign`, to be kept aside.
 * Without our journal, a file that neither app wrote, or a mix of the two, is refused (StorageDamagedError):
 * starting would overwrite it, and it may be someone's only copy.
 */
export async function inspectDataDir(dir: string): Promise<DataDirContents> {
  const [journal, queue, availability] = await Promise.all(FLASK_FILES.map((file) => readHead(join(dir, file))));
  const journalShape = csvShape(journal, JOURNAL_HEADER, FLASK_TRANSACTIONS_HEADER);
  // This server writes a journal whole (fsync'd, then renamed into place) and then only appends whole lines, so
  // zeros where it was are its lines lost (a power cut can leave a file so), never a journal yet to be written.
  if (journal && journalShape === 'blank' && journal.text.includes('\0')) {
    throw new StorageDamagedError(
      `${journal.path} holds only zero bytes (${journal.size} of them) where the journal's lines were: its contents were lost, as a power cut can do to a file. Restore it from a backup; the server will not start an empty event over a lost one.`,
    );
  }
  const shapes: [FileHead | undefined, Shape][] = [
    [journal, journalShape],
    [queue, csvShape(queue, QUEUE_HEADER, FLASK_QUEUE_HEADER)],
    [availability, availabilityShape(availability)],
  ];
  if (journalShape === 'ours') {
    const foreign = shapes.flatMap(([head, shape]) =>
      head && (shape === 'flask' || shape === 'unknown') ? [head.path] : [],
    );
    return { kind: 'journal', foreign };
  }
  const keep = `The server will not start over a file it could overwrite or discard: move it out of ${dir} (or put back the file that belongs there), then start again.`;
  if (journal && journalShape === 'unknown' && JOURNAL_LINE.test(journal.text.split('\n', 2)[1] ?? '')) {
    // Our events under another first line: a journal whose header was edited or damaged, not a stranger's file.
    throw new StorageDamagedError(
      `${journal.path} line 1 is damaged: it reads ${JSON.stringify(firstLineOf(journal).slice(0, 80))} where the journal's header belongs, while the lines after it are this server's events. Put back line 1 as ${JOURNAL_HEADER} (or restore the file from a backup), then start again; the file is left as it is.`,
    );
  }
  for (const [head, shape] of shapes) {
    if (head && shape === 'unknown') {
      throw new StorageDamagedError(
        `${head.path} was written neither by this server nor by the original app (it begins ${JSON.stringify(firstLineOf(head).slice(0, 80))}). ${keep}`,
      );
    }
  }
  const ours = shapes.find(([, shape]) => shape === 'ours')?.[0];
  const flask = shapes.find(([, shape]) => shape === 'flask')?.[0];
  if (ours && flask) {
    throw new StorageDamagedError(
      `${flask.path} is the original app's, but ${ours.path} was written by this server: the directory mixes the two. ${keep}`,
    );
  }
  return flask ? { kind: 'flask' } : { kind: 'nothing' };
}

/**
 * What event a data directory holds: none; one of ours only opened (its capacities set, nothing since); one of
 * ours under way (its journal goes on beyond those lines, read from the start of the file only); or the
 * original app's, whose files are all it had, sales and queue alike. Throws as inspectDataDir does.
 */
export async function eventInDataDir(dir: string): Promise<'none' | 'opened' | 'under way' | 'original app'> {
  const contents = await inspectDataDir(dir);
  if (contents.kind === 'flask') return 'original app';
  if (contents.kind === 'nothing') return 'none';
  const head = await readHead(join(dir, FLASK_FILES[0]));
  // Complete lines: the header, then events.
  const lines = head ? head.text.split('\n').length - 1 : 0;
  if (lines > 1 + TICKET_TYPES.length) return 'under way';
  return lines > 1 ? 'opened' : 'none';
}

// ---- reading the original's files ---------------------------------------------------------------

interface FlaskRow {
  first_name?: string;
  last_name?: string;
  ticket_type?: string;
  time?: string;
  status?: string;
}

async function readRows(path: string): Promise<FlaskRow[]> {
  if (!existsSync(path)) return [];
  // The cells are taken as they are: the original never escaped formulas, so a leading ' is part of a name.
  const parsed = Papa.parse<FlaskRow>(await readFile(path, 'utf8'), {
    header: true,
    // Python's csv module wrote these with commas; left to guess, papaparse may pick a tab found in a name.
    delimiter: ',',
    skipEmptyLines: 'greedy',
  });
  return parsed.data;
}

export interface FlaskData {
  events: JournalEvent[];
  warnings: string[];
}

/**
 * Builds our journal from the original files, changing nothing on disk. The original identified people only by
 * name, never put a cancelled seat back on sale, and had no waitlist; each of its rows becomes a ticket of ours
 * in file order, its capacity is every seat it ever confirmed plus the seats it had left, and our rules apply
 * from then on: a seat it kept back after a cancellation goes to the first on the waitlist, else on sale.
 */
export async function readFlaskDataDir(
  dir: string,
  options: {
    now: Date;
    newId: (taken: (id: string) => boolean) => string;
    fallbackCapacity: Record<TicketType, number>;
  },
): Promise<FlaskData> {
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

  // A "Cancelled" row cancels the latest earlier ticket of the same name and type, if there is one; otherwise it
  // is a ticket of its own, cancelled.
  const rank = (status: string) => ['Confirmed', 'Sold Out', 'Cancelled', 'Queued'].indexOf(status);
  const tickets: Entry[] = [];
  const cancellations: { ticket: Entry; by: Entry }[] = [];
  const open = new Map<string, Entry[]>();
  for (const entry of entries) {
    const key = `${entry.type}|${entry.row.first_name?.trim()}|${entry.row.last_name?.trim()}`;
    const cancelled = entry.status === 'Cancelled' ? open.get(key)?.pop() : undefined;
    if (cancelled && rank(cancelled.status) < 0) cancelled.status = 'Cancelled';
    else if (cancelled) cancellations.push({ ticket: cancelled, by: entry });
    if (cancelled) continue;
    tickets.push(entry);
    if (entry.status === 'Cancelled') continue;
    const named = open.get(key);
    if (named) named.push(entry);
    else open.set(key, [entry]);
  }
  for (const [status, count] of Object.entries(countBy(tickets.map((ticket) => ticket.status)))) {
    if (rank(status) < 0) warnings.push(`${count} row(s) with status "${status}" were not imported`);
  }

  const capacity = {} as Record<TicketType, number>;
  for (const type of TICKET_TYPES) {
    const everConfirmed = tickets.filter((t) => t.type === type && t.status === 'Confirmed').length;
    const keptBack = cancellations.filter(({ ticket }) => ticket.type === type && ticket.status === 'Confirmed').length;
    const seatsLeft = left?.[type];
    capacity[type] =
      seatsLeft === undefined ? Math.max(options.fallbackCapacity[type], everConfirmed) : everConfirmed + seatsLeft;
    if (keptBack > 0) {
      const how =
        seatsLeft === undefined
          ? `the configured capacity or the ${everConfirmed} ever confirmed, as availability.json is missing`
          : `${everConfirmed} ever confirmed + ${seatsLeft} left`;
      warnings.push(
        `${type}: capacity ${capacity[type]} (${how}): the original app never put a cancelled seat back on sale, so the ${describeSeats(keptBack)} cancelled there ${keptBack === 1 ? 'is' : 'are'} available again`,
      );
    }
  }

  const engine = new TicketEngine();
  const events: JournalEvent[] = [];
  const at = options.now.toISOString();
  const context = (entry: Entry) => ({ at: validTime(entry.row.time) ?? at, actor: 'system' as const });
  events.push(...engine.createEvent(capacity, { at, actor: 'system' }).events);

  // Seats first (also those cancelled later), then the waitlist, the tickets only ever cancelled and the live
  // queue: the order our rules need. Then the cancellations, in the order the original made them.
  const ids = new Map<Entry, string>();
  const ordered = tickets.filter((t) => rank(t.status) >= 0).sort((a, b) => rank(a.status) - rank(b.status));
  for (const entry of ordered) {
    const first = importedName(entry.row.first_name, `${entry.file} line ${entry.line}`, warnings);
    const last = importedName(entry.row.last_name, `${entry.file} line ${entry.line}`, warnings);
    const id = options.newId((candidate) => engine.has(candidate));
    ids.set(entry, id);
    const registered = engine.register(
      { id, first_name: first, last_name: last, ticket_type: entry.type, token_hash: '' },
      context(entry),
    );
    events.push(...registered.events);
    if (entry.status === 'Confirmed' || entry.status === 'Sold Out') {
      const processed = engine.processUpTo(id, context(entry));
      events.push(...processed.events);
      if (processed.result.ticket.status !== entry.status) {
        warnings.push(
          `${entry.file} line ${entry.line}: was ${entry.status}, imported as ${processed.result.ticket.status}`,
        );
      }
    } else if (entry.status === 'Cancelled') {
      events.push(...engine.cancel(id, context(entry)).events);
    }
  }
  for (const { ticket, by } of cancellations) {
    const cancelled = engine.cancel(ids.get(ticket) as string, context(by));
    events.push(...cancelled.events);
    const { ticket: gone, promoted } = cancelled.result;
    if (promoted) {
      warnings.push(
        `${by.file} line ${by.line}: the seat ${gone.first_name} ${gone.last_name} gave back goes to ${promoted.first_name} ${promoted.last_name}, first on the waitlist (the original app kept it back)`,
      );
    }
  }
  return { events, warnings };
}

// ---- putting the journal in place ---------------------------------------------------------------

/** Where commitFlaskImport can be stopped, in order: tests stop it there as a crash would. */
export const IMPORT_STEPS = [
  'staging folder made',
  'journal staged',
  'moved transactions.csv',
  'moved queue.csv',
  'moved availability.json',
  'journal in place',
] as const;
export type ImportStep = (typeof IMPORT_STEPS)[number];

interface CommitOptions {
  now: Date;
  /** writes a complete journal file durably, whole or not at all (writeJournalFile) */
  writeJournal: (path: string, events: JournalEvent[]) => Promise<void>;
  /** called after each step; tests throw here to stop the import as a crash would */
  afterStep?: (step: ImportStep) => void | Promise<void>;
}

/**
 * Replaces the original files with the imported journal, in steps each made durable (its directories fsync'd)
 * before the next, so that a crash or power cut at any point leaves what the next start can finish or redo
 * (resumeInterruptedImport), and never a journal cut short that it would take for a whole one:
 *
 *   step                                                   a crash before the next step leaves
 *   1. make importing-from-flask/                          the originals untouched: the next start removes the
 *                                                          folder (and any temporary file of ours in it) and
 *                                                          imports again
 *   2. write importing-from-flask/new-transactions.csv     the same: the journal is written to a temporary file,
 *      (temporary file, fsync, rename, fsync)              so it is there whole or not at all
 *   3. move each original into importing-from-flask/       the whole new journal with some originals moved: the
 *                                                          next start moves the rest and carries on with 4
 *   4. rename new-transactions.csv to transactions.csv     our journal in place, the import done: the next start
 *                                                          only carries on with 5
 *   5. rename importing-from-flask/ to imported-from-flask-<time>/
 *
 * Returns the folder the originals are kept in.
 */
export async function commitFlaskImport(dir: string, events: JournalEvent[], options: CommitOptions): Promise<string> {
  const staging = join(dir, STAGING_DIR);
  await mkdir(staging);
  await syncDirectory(dir);
  await options.afterStep?.('staging folder made');
  await options.writeJournal(join(staging, STAGED_JOURNAL), events);
  await options.afterStep?.('journal staged');
  return finishImport(dir, options);
}

/** Steps 3 to 5 of commitFlaskImport, from wherever a crash stopped them: each is skipped once done. */
async function finishImport(dir: string, options: Omit<CommitOptions, 'writeJournal'>): Promise<string> {
  const staging = join(dir, STAGING_DIR);
  for (const file of FLASK_FILES) {
    // Until the journal is in place, these are the original's: ours are written only once the store is open.
    const from = join(dir, file);
    if (!existsSync(from)) continue;
    if (existsSync(join(staging, file))) {
      throw new StorageDamagedError(
        `${from} and ${join(staging, file)} both exist, so an interrupted import of the original app's data cannot be finished. Keep the right one, then start again.`,
      );
    }
    await rename(from, join(staging, file));
    await options.afterStep?.(`moved ${file}`);
  }
  await syncDirectory(staging);
  await syncDirectory(dir);
  await rename(join(staging, STAGED_JOURNAL), join(dir, 'transactions.csv'));
  await syncDirectory(dir);
  await syncDirectory(staging);
  await options.afterStep?.('journal in place');
  return keepOriginals(dir, options.now);
}

async function keepOriginals(dir: string, now: Date): Promise<string> {
  const kept = join(dir, `imported-from-flask-${fileStamp(now)}`);
  await rename(join(dir, STAGING_DIR), kept);
  await syncDirectory(dir);
  return kept;
}

/**
 * Finishes an import that a crash interrupted, or undoes it when its journal was not complete yet (see
 * commitFlaskImport), so that the directory is again the original's or ours. Returns what it did, for the log;
 * undefined when no import was interrupted.
 */
export async function resumeInterruptedImport(dir: string, now: Date): Promise<string | undefined> {
  const staging = join(dir, STAGING_DIR);
  if (!existsSync(staging)) return undefined;
  const interrupted = "The import of the original app's data was interrupted at the last start";
  if (existsSync(join(staging, STAGED_JOURNAL))) {
    return `${interrupted}; it is finished now, and the original files are kept in ${await finishImport(dir, { now })}.`;
  }
  const journal = join(dir, 'transactions.csv');
  if (csvShape(await readHead(journal), JOURNAL_HEADER, FLASK_TRANSACTIONS_HEADER) === 'ours') {
    return `${interrupted} after its journal was in place; the original files are kept in ${await keepOriginals(dir, now)}.`;
  }
  // The journal never got there whole, so nothing was moved yet: the originals are all in place to import again.
  await removeInterruptedWrites(staging, [STAGED_JOURNAL]);
  const strangers = await readdir(staging);
  if (strangers.length > 0) {
    throw new StorageDamagedError(
      `${staging} holds files this server did not put there: ${strangers.join(', ')}. It is left from an import of the original app's data that was interrupted before its journal was complete; move those files elsewhere, then start again.`,
    );
  }
  await rmdir(staging);
  await syncDirectory(dir);
  return `${interrupted} before its journal was complete; importing again from the original files.`;
}

async function readAvailability(path: string): Promise<Record<TicketType, number> | undefined> {
  if (!existsSync(path)) return undefined;
  const text = await readFile(path, 'utf8');
  if (BLANK_TEXT.test(text)) return undefined;
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
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

function describeSeats(count: number): string {
  return count === 1 ? '1 seat' : `${count} seats`;
}

// Generated journals (transactions.csv) of any length, made by running the real engine and encoding its
// events with the server's own codec, so that the server replays them exactly as it would its own.

import { copyFileSync, mkdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { type JournalEvent, TICKET_ID_ALPHABET, TicketEngine, type TicketType } from '@ticketing/shared';
import { encodeEvent, JOURNAL_HEADER } from '../apps/api/src/store/csv/journal-codec.ts';
import { makeTempDir } from './cleanup.ts';

export const JOURNAL_FILE = 'transactions.csv';

const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Tim'];
const LAST_NAMES = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Perlman'];
const START = Date.parse('2025-06-01T09:00:00.000Z');
const WRITE_CHUNK_LINES = 10_000;

/** A distinct ticket id for every n below 31^6, in the product's "ABC-DEF" shape. */
export function ticketId(n: number): string {
  const base = TICKET_ID_ALPHABET.length;
  let id = '';
  let rest = n;
  for (let i = 0; i < 6; i++) {
    id = TICKET_ID_ALPHABET[rest % base] + id;
    rest = Math.floor(rest / base);
    if (i === 2) id = `-${id}`;
  }
  return id;
}

export interface Registration {
  id: string;
  first_name: string;
  last_name: string;
  ticket_type: TicketType;
  token_hash: string;
}

/** Registrations to feed the engine: distinct ids, plausible names, one VIP in four. */
export class Registrations {
  private count = 0;

  next(): Registration {
    const n = this.count++;
    return {
      id: ticketId(n),
      first_name: FIRST_NAMES[n % FIRST_NAMES.length] as string,
      last_name: `${LAST_NAMES[n % LAST_NAMES.length]}-${n}`,
      ticket_type: n % 4 === 0 ? 'VIP' : 'Regular',
      token_hash: fakeTokenHash(n),
    };
  }
}

/** 64 hex digits, distinct per n, shaped like the SHA-256 the server stores, at a fraction of its cost. */
function fakeTokenHash(n: number): string {
  return (Math.imul(n + 1, 0x9e3779b1) >>> 0).toString(16).padStart(8, '0').repeat(7) + n.toString(16).padStart(8, '0');
}

/** A small deterministic random source (mulberry32), so every run builds the same journals. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface JournalShape {
  /** number of events (lines after the header) */
  events: number;
  /**
   * 'sale': a busy on-sale — per ten events about six registrations, three served (confirmed, or sold out
   * onto the waitlist once seats run out) and one cancellation, which may promote from the waitlist.
   * 'queued': registrations only, everyone still in line.
   */
  kind: 'sale' | 'queued';
}

export interface WrittenJournal {
  path: string;
  bytes: number;
  events: number;
  tickets: number;
  queueLength: number;
}

/** Writes DATA_DIR/transactions.csv with exactly shape.events events. */
export async function writeJournal(dataDir: string, shape: JournalShape): Promise<WrittenJournal> {
  const path = join(dataDir, JOURNAL_FILE);
  const file = await open(path, 'w');
  const engine = new TicketEngine();
  let written = 0;
  let pending: string[] = [];
  const flush = async () => {
    await file.write(pending.join(''));
    pending = [];
  };
  const keep = async (events: JournalEvent[]) => {
    for (const event of events) {
      if (written === shape.events) return;
      pending.push(encodeEvent(event));
      written++;
    }
    if (pending.length >= WRITE_CHUNK_LINES) await flush();
  };
  try {
    await file.write(`${JOURNAL_HEADER}\n`);
    const seats = shape.kind === 'sale' ? Math.max(1, Math.round(shape.events / 30)) : shape.events;
    const at = () => new Date(START + engine.lastSeq * 50).toISOString();
    await keep(engine.createEvent({ VIP: seats, Regular: seats * 3 }, { at: at(), actor: 'system' }).events);
    const registrations = new Registrations();
    const random = seededRandom(shape.events);
    /** tickets not cancelled yet, for picking one to cancel */
    const live: string[] = [];
    for (let step = 0; written < shape.events; step++) {
      const phase = step % 10;
      if (shape.kind === 'queued' || phase < 6 || live.length === 0) {
        const ticket = registrations.next();
        await keep(engine.register(ticket, { at: at(), actor: 'attendee' }).events);
        live.push(ticket.id);
      } else if (phase < 9) {
        await keep(engine.processNext({ at: at(), actor: 'staff' }).events);
      } else {
        const index = Math.floor(random() * live.length);
        const id = live[index] as string;
        live[index] = live[live.length - 1] as string;
        live.pop();
        await keep(engine.cancel(id, { at: at(), actor: 'attendee' }).events);
      }
    }
    await flush();
    await file.sync();
    return {
      path,
      bytes: (await file.stat()).size,
      events: written,
      tickets: engine.ticketCount,
      queueLength: engine.queueLength,
    };
  } finally {
    await file.close();
  }
}

/**
 * A generated journal, written once when first needed and copied into a fresh data directory for every use,
 * so that every server started on it starts from the same state.
 */
export class JournalTemplate {
  private written: string | undefined;

  constructor(
    private readonly workspace: string,
    private readonly name: string,
    readonly shape: JournalShape,
  ) {}

  /** The journal file itself, to read (never to start a server on). */
  async path(): Promise<string> {
    if (!this.written) {
      const dir = join(this.workspace, this.name);
      mkdirSync(dir);
      this.written = (await writeJournal(dir, this.shape)).path;
    }
    return this.written;
  }

  /** A new data directory holding a copy of the journal. */
  async dataDir(): Promise<string> {
    const journal = await this.path();
    const dataDir = makeTempDir(this.name);
    copyFileSync(journal, join(dataDir, JOURNAL_FILE));
    return dataDir;
  }
}

// transactions.csv: the journal and audit log. One event per line, with a CRC-32 of the line so that a
// damaged line is told apart from an intact one; the journal alone is enough to rebuild all state.

import { crc32 } from 'node:zlib';
import {
  ACTORS,
  type Actor,
  EVENT_ACTIONS,
  type EventAction,
  type JournalEvent,
  TICKET_STATUSES,
  TICKET_TYPES,
  type TicketStatus,
  type TicketType,
  TRANSACTION_COLUMNS,
} from '@ticketing/shared';
import { decodeRecord, encodeRecords } from '../../lib/csv-cells.ts';

/** The log's columns, then what only the journal keeps: the owner token's hash and a line checksum. */
export const JOURNAL_COLUMNS = [...TRANSACTION_COLUMNS, 'token_hash', 'check'] as const;

export const JOURNAL_HEADER = JOURNAL_COLUMNS.join(',');

const checksum = (text: string) => crc32(text).toString(16).padStart(8, '0');

const cells = (event: JournalEvent) => [
  event.seq,
  event.at,
  event.action,
  event.actor,
  event.ticket_id,
  event.first_name,
  event.last_name,
  event.ticket_type,
  event.status,
  event.capacity,
  event.token_hash,
];

export const encodeEvent = (event: JournalEvent): string => encodeEvents([event]);

/** Journal lines for these events, each ending in its checksum and a line break. */
export function encodeEvents(events: readonly JournalEvent[]): string {
  // One papaparse call for the batch; no value can hold a line break, so lines split back exactly.
  const records = encodeRecords(events.map(cells));
  let out = '';
  let start = 0;
  for (let end = records.indexOf('\n'); end !== -1; end = records.indexOf('\n', start)) {
    const record = records.slice(start, end);
    out += `${record},${checksum(record)}\n`;
    start = end + 1;
  }
  return out;
}

export class LineDamagedError extends Error {}

const oneOf = <T extends string>(values: readonly T[], value: string | undefined, column: string): T => {
  if (value !== undefined && (values as readonly string[]).includes(value)) return value as T;
  throw new LineDamagedError(`${column} "${value}" is not one of ${values.join(', ')}`);
};

/**
 * A copy of a cell that does not keep its whole line alive. V8 makes longer substrings views into
 * their parent string, so without this every ticket held in memory would pin one or two ~150-byte
 * journal lines: at a million events, over a hundred megabytes.
 */
function detached(cell: string): string {
  return cell.length < 13 ? cell : Buffer.from(cell, 'utf8').toString('utf8');
}

/** Parses one journal line (without its line break); throws LineDamagedError saying what is wrong. */
export function decodeEvent(line: string): JournalEvent {
  const split = line.lastIndexOf(',');
  const record = line.slice(0, split);
  // Compared as numbers: formatting every line's checksum as text would cost more than the CRC itself.
  const stored = line.length - split === 9 ? Number.parseInt(line.slice(split + 1), 16) : Number.NaN;
  if (split < 0 || stored !== crc32(record)) {
    throw new LineDamagedError('its checksum does not match its content');
  }
  const cells = decodeRecord(record);
  if (cells.length !== JOURNAL_COLUMNS.length - 1) {
    throw new LineDamagedError(`expected ${JOURNAL_COLUMNS.length - 1} values, found ${cells.length}`);
  }
  const [seq, at, action, actor, ticket_id, first_name, last_name, ticket_type, status, capacity, token_hash] =
    cells as [string, string, string, string, string, string, string, string, string, string, string];
  if (!/^[1-9]\d*$/.test(seq)) throw new LineDamagedError(`seq "${seq}" is not a positive whole number`);
  if (Number.isNaN(Date.parse(at))) throw new LineDamagedError(`time "${at}" is not a date`);
  if (capacity !== '' && !/^\d+$/.test(capacity)) throw new LineDamagedError(`capacity "${capacity}" is not a number`);
  return {
    seq: Number(seq),
    at: detached(at),
    action: oneOf<EventAction>(EVENT_ACTIONS, action, 'action'),
    actor: oneOf<Actor>(ACTORS, actor, 'actor'),
    ticket_id,
    first_name: detached(first_name),
    last_name: detached(last_name),
    ticket_type: oneOf<TicketType>(TICKET_TYPES, ticket_type, 'ticket_type'),
    status: status === '' ? '' : oneOf<TicketStatus>(TICKET_STATUSES, status, 'status'),
    capacity: capacity === '' ? null : Number(capacity),
    token_hash: detached(token_hash),
  };
}

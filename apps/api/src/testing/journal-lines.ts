// Journal lines for the codec's and the readers' tests.

import { crc32 } from 'node:zlib';
import type { JournalEvent } from '@ticketing/shared';

export const SAMPLE_DIGEST = 'ab'.repeat(32);

/** A registration, with any of its fields replaced. */
export function sampleEvent(fields: Partial<JournalEvent> = {}): JournalEvent {
  return {
    seq: 7,
    at: '2026-11-25T10:15:00.123Z',
    action: 'registered',
    actor: 'attendee',
    ticket_id: 'ABC-DEF',
    first_name: 'Ada',
    last_name: 'Lovelace',
    ticket_type: 'VIP',
    status: 'Queued',
    capacity: null,
    token_hash: SAMPLE_DIGEST,
    ...fields,
  };
}

/** What sampleEvent's fields become for a capacity_set event (which names no ticket), but for the capacity. */
export const CAPACITY_SET_FIELDS: Partial<JournalEvent> = {
  action: 'capacity_set',
  actor: 'system',
  ticket_id: '',
  first_name: '',
  last_name: '',
  status: '',
};

/** A record with a correct checksum after it, whatever its content, as a journal line without its line break. */
export const withChecksum = (record: string) => `${record},${crc32(record).toString(16).padStart(8, '0')}`;

import type { JournalEvent } from '@ticketing/shared';
import { describe, expect, it } from 'vitest';
import { CAPACITY_SET_FIELDS, SAMPLE_DIGEST, sampleEvent, withChecksum } from '../../testing/journal-lines.ts';
import {
  ChunkDecoder,
  decodeEvent,
  encodeEvent,
  encodeEvents,
  LineDamagedError,
  SHORTEST_OWNED_REGISTRATION_BYTES,
} from './journal-codec.ts';

/** The line without its line break, as bytes. */
const bytesOf = (line: string) => Buffer.from(line.replace(/\n$/, ''), 'utf8');

/** A record with a correct checksum, whatever its content. */
const withCheck = (record: string) => Buffer.from(withChecksum(record));

describe('the journal line codec', () => {
  it('reads back exactly what it wrote, quoted or not', () => {
    const events = [
      sampleEvent({}),
      sampleEvent({ first_name: 'Zoë', last_name: '李 O’Brien' }),
      sampleEvent({ first_name: 'Smith, Jr.', last_name: 'said "hi"' }),
      sampleEvent({ first_name: '=SUM(A1)', last_name: "'quoted", token_hash: '' }),
      sampleEvent({ first_name: '+1', last_name: '@home' }),
      sampleEvent({ action: 'confirmed', actor: 'staff', status: 'Confirmed', token_hash: '' }),
      sampleEvent(CAPACITY_SET_FIELDS),
    ];
    events[6] = { ...(events[6] as JournalEvent), capacity: 250 };
    for (const original of events) expect(decodeEvent(bytesOf(encodeEvent(original)))).toEqual(original);
  });

  it('reads a line in the middle of a larger buffer', () => {
    const text = encodeEvents([
      sampleEvent({ seq: 1 }),
      sampleEvent({ seq: 2, first_name: 'a,b' }),
      sampleEvent({ seq: 3 }),
    ]);
    const bytes = Buffer.from(text);
    const starts = [0, bytes.indexOf(10) + 1, bytes.indexOf(10, bytes.indexOf(10) + 1) + 1, bytes.length];
    const decoded = [0, 1, 2].map((i) => decodeEvent(bytes, starts[i], (starts[i + 1] as number) - 1));
    expect(decoded.map((e) => [e.seq, e.first_name])).toEqual([
      [1, 'Ada'],
      [2, 'a,b'],
      [3, 'Ada'],
    ]);
  });

  it('writes no registration with an owner token shorter than SHORTEST_OWNED_REGISTRATION_BYTES', () => {
    const shortest = sampleEvent({ seq: 1, actor: 'staff', first_name: 'A', last_name: 'B' });
    for (const registration of [
      shortest,
      sampleEvent({}),
      sampleEvent({ ticket_id: 'x', first_name: '李', last_name: 'Zoë' }),
    ]) {
      expect(Buffer.byteLength(encodeEvent(registration))).toBeGreaterThanOrEqual(SHORTEST_OWNED_REGISTRATION_BYTES);
    }
  });

  it('refuses a line whose content no longer matches its checksum', () => {
    const line = encodeEvent(sampleEvent({})).trim();
    for (const damaged of [line.replace('Ada', 'Adb'), line.slice(0, -1), line.slice(0, 20), '', ',12345678']) {
      expect(() => decodeEvent(Buffer.from(damaged))).toThrow(
        new LineDamagedError('its checksum does not match its content'),
      );
    }
  });

  it('refuses a well-checksummed line that is not an event, saying what is wrong', () => {
    const cases: [string, string][] = [
      ['1,2026-11-25T10:15:00.000Z,registered', 'expected 11 values, found 3'],
      [`0,2026-11-25T10:15:00.000Z,registered,attendee,ABC-DEF,A,B,VIP,Queued,,${SAMPLE_DIGEST}`, 'seq "0"'],
      [`01,2026-11-25T10:15:00.000Z,registered,attendee,ABC-DEF,A,B,VIP,Queued,,${SAMPLE_DIGEST}`, 'seq "01"'],
      [`1,yesterday,registered,attendee,ABC-DEF,A,B,VIP,Queued,,${SAMPLE_DIGEST}`, 'time "yesterday" is not a date'],
      [`1,2026-11-25T10:15:00.000Z,bought,attendee,ABC-DEF,A,B,VIP,Queued,,${SAMPLE_DIGEST}`, 'action "bought"'],
      [`1,2026-11-25T10:15:00.000Z,registered,robot,ABC-DEF,A,B,VIP,Queued,,${SAMPLE_DIGEST}`, 'actor "robot"'],
      [
        `1,2026-11-25T10:15:00.000Z,registered,attendee,ABC-DEF,A,B,Gold,Queued,,${SAMPLE_DIGEST}`,
        'ticket_type "Gold"',
      ],
      [`1,2026-11-25T10:15:00.000Z,registered,attendee,ABC-DEF,A,B,VIP,Lost,,${SAMPLE_DIGEST}`, 'status "Lost"'],
      ['1,2026-11-25T10:15:00.000Z,capacity_set,system,,,,VIP,,-3,', 'capacity "-3" is not a number'],
      ['1,2026-11-25T10:15:00.000Z,capacity_set,system,"",,,VIP,,x,', 'capacity "x" is not a number'],
    ];
    for (const [record, message] of cases) {
      expect(() => decodeEvent(withCheck(record)), record).toThrow(LineDamagedError);
      expect(() => decodeEvent(withCheck(record)), record).toThrow(message);
    }
  });

  it('accepts a checksum written in upper case', () => {
    const line = encodeEvent(sampleEvent({})).trim();
    const upper = `${line.slice(0, -8)}${line.slice(-8).toUpperCase()}`;
    expect(decodeEvent(Buffer.from(upper))).toEqual(sampleEvent({}));
  });

  it('decodes a chunk of lines, plain, quoted and in any script, exactly as line by line', () => {
    const events = [
      sampleEvent({ seq: 1 }),
      sampleEvent({ seq: 2, first_name: 'Zoë', last_name: '李 O’Brien' }),
      sampleEvent({ seq: 3, first_name: 'Smith, Jr.', last_name: 'said "hi"' }),
      sampleEvent({ seq: 4, action: 'confirmed', status: 'Confirmed', token_hash: '' }),
      sampleEvent({ seq: 5, first_name: '😀 Ann', last_name: '=cmd' }),
      sampleEvent({ seq: 6, first_name: 'Ada', last_name: 'Lovelace' }),
    ];
    const bytes = Buffer.from(`header\n${encodeEvents(events)}`);
    const starts = [bytes.indexOf(10) + 1];
    for (let nl = bytes.indexOf(10, starts[0]); nl !== -1; nl = bytes.indexOf(10, nl + 1)) starts.push(nl + 1);
    const decoder = new ChunkDecoder(bytes, starts);
    expect(events.map((_, i) => decoder.event(i))).toEqual(events);
    expect(() => decoder.event(0)).toThrow(/in order/);
  });
});

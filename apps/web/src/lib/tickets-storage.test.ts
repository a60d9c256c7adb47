import { describe, expect, it, vi } from 'vitest';
import {
  addStoredTicket,
  readStoredTickets,
  removeStoredTicket,
  resetStoredTicketsCache,
  TICKETS_STORAGE_KEY,
} from './tickets-storage.ts';

describe('tickets storage', () => {
  it('keeps tickets as [{id, token}] under "ticketing.tickets", newest first', () => {
    addStoredTicket({ id: 'AAA-BBB', token: 't1' });
    addStoredTicket({ id: 'CCC-DDD', token: 't2' });

    expect(JSON.parse(window.localStorage.getItem(TICKETS_STORAGE_KEY) ?? 'null')).toEqual([
      { id: 'CCC-DDD', token: 't2' },
      { id: 'AAA-BBB', token: 't1' },
    ]);
    expect(readStoredTickets().map((t) => t.id)).toEqual(['CCC-DDD', 'AAA-BBB']);
  });

  it('forgets a removed ticket and keeps the others', () => {
    addStoredTicket({ id: 'AAA-BBB', token: 't1' });
    addStoredTicket({ id: 'CCC-DDD', token: 't2' });
    removeStoredTicket('AAA-BBB');

    expect(readStoredTickets()).toEqual([{ id: 'CCC-DDD', token: 't2' }]);
  });

  it.each([
    ['not JSON', '{oops'],
    ['JSON that is not a list', '{"id":"AAA-BBB","token":"t"}'],
    ['null', 'null'],
    ['a number', '42'],
  ])('reads %s as no tickets instead of throwing', (_label, raw) => {
    window.localStorage.setItem(TICKETS_STORAGE_KEY, raw);
    resetStoredTicketsCache();
    expect(readStoredTickets()).toEqual([]);
  });

  it('skips damaged entries and duplicates but keeps the good ones', () => {
    window.localStorage.setItem(
      TICKETS_STORAGE_KEY,
      JSON.stringify([
        null,
        'AAA-BBB',
        { id: 'AAA-BBB' },
        { id: 5, token: 't' },
        { id: 'GOOD-ONE', token: 'secret' },
        { id: 'GOOD-ONE', token: 'other' },
        { id: '', token: 'x' },
      ]),
    );
    expect(readStoredTickets()).toEqual([{ id: 'GOOD-ONE', token: 'secret' }]);
  });

  it('survives a browser that refuses storage (private mode, full quota)', () => {
    const blocked = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    // On the instance: happy-dom binds storage methods onto it once used, which hides a spy on the prototype.
    const getItem = vi.spyOn(window.localStorage, 'getItem').mockImplementation(blocked);
    const setItem = vi.spyOn(window.localStorage, 'setItem').mockImplementation(blocked);
    try {
      expect(readStoredTickets()).toEqual([]);
      expect(() => addStoredTicket({ id: 'AAA-BBB', token: 't' })).not.toThrow();
      expect(setItem).toHaveBeenCalled();
    } finally {
      getItem.mockRestore();
      setItem.mockRestore();
    }
  });
});

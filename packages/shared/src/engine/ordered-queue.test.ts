import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderedQueue, type SlotColumn } from './ordered-queue.ts';

/** Items are numbers; names map them back for readable expectations. */
type Item = number;
const itemNames: string[] = [];
const item = (name: string): Item => itemNames.push(name) - 1;
const names = (items: Iterable<Item>) => Array.from(items, (i) => itemNames[i]);

/** The slot column lines share, as a ticket table's is. */
function slotColumn(): SlotColumn {
  const slots = new Map<number, number>();
  return { slotOf: (i) => slots.get(i) ?? -1, setSlot: (i, slot) => slots.set(i, slot) };
}

describe('OrderedQueue', () => {
  it('serves items first in, first out', () => {
    const line = new OrderedQueue(slotColumn());
    for (const name of ['a', 'b', 'c']) line.push(item(name));
    expect(
      [line.shift(), line.shift(), line.shift(), line.shift()].map((i) => (i === undefined ? undefined : itemNames[i])),
    ).toEqual(['a', 'b', 'c', undefined]);
  });

  it('removes from the middle and renumbers the places behind', () => {
    const line = new OrderedQueue(slotColumn());
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(item) as [Item, Item, Item, Item];
    for (const i of [a, b, c, d]) line.push(i);
    expect(line.remove(b)).toBe(true);
    expect(line.remove(b)).toBe(false);
    expect(names(line.items())).toEqual(['a', 'c', 'd']);
    expect(line.positionOf(d)).toBe(3);
    expect(line.positionOf(b)).toBeUndefined();
    expect(line.has(c)).toBe(true);
  });

  it('refuses an item that is already in line, and knows items of other lines are not its own', () => {
    const column = slotColumn();
    const line = new OrderedQueue(column);
    const other = new OrderedQueue(column);
    const a = item('a');
    line.push(a);
    expect(() => line.push(a)).toThrow(/already/);
    const b = item('b');
    other.push(b);
    expect(line.has(b)).toBe(false);
    expect(line.remove(b)).toBe(false);
    expect(other.positionOf(b)).toBe(1);
  });

  it('behaves like a plain array under any mix of operations, across growth and compactions', () => {
    const operation = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), count: fc.integer({ min: 1, max: 400 }) }),
      fc.record({ kind: fc.constant('shift' as const), count: fc.integer({ min: 1, max: 400 }) }),
      fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('move' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (operations) => {
        const column = slotColumn();
        const line = new OrderedQueue(column);
        // A second line items move to, as tickets move from a queue to a waitlist.
        const elsewhere = new OrderedQueue(column);
        const model: Item[] = [];
        let next = 0;
        for (const op of operations) {
          if (op.kind === 'push') {
            for (let i = 0; i < op.count; i++) {
              const added = item(`t${next++}`);
              line.push(added);
              model.push(added);
            }
          } else if (op.kind === 'shift') {
            for (let i = 0; i < op.count; i++) expect(line.shift()).toBe(model.shift());
          } else if (model.length > 0) {
            const [taken] = model.splice(op.pick % model.length, 1) as [Item];
            expect(line.remove(taken)).toBe(true);
            if (op.kind === 'move') elsewhere.push(taken);
          }
          expect(line.size).toBe(model.length);
          expect(line.peek()).toBe(model[0]);
          for (const index of [0, Math.floor(model.length / 2), model.length - 1]) {
            const at = model[index];
            if (at !== undefined) expect(line.positionOf(at)).toBe(index + 1);
          }
        }
        expect(Array.from(line.items())).toEqual(model);
        expect(Array.from(line.copy())).toEqual(model);
        for (const moved of elsewhere.items()) expect(line.has(moved)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

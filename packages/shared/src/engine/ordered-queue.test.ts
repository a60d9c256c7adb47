import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderedQueue } from './ordered-queue.ts';

describe('OrderedQueue', () => {
  it('serves ids first in, first out', () => {
    const line = new OrderedQueue();
    for (const id of ['a', 'b', 'c']) line.push(id);
    expect([line.shift(), line.shift(), line.shift(), line.shift()]).toEqual(['a', 'b', 'c', undefined]);
  });

  it('removes from the middle and renumbers the places behind', () => {
    const line = new OrderedQueue();
    for (const id of ['a', 'b', 'c', 'd']) line.push(id);
    expect(line.remove('b')).toBe(true);
    expect(line.remove('b')).toBe(false);
    expect([...line.ids()]).toEqual(['a', 'c', 'd']);
    expect(line.positionOf('d')).toBe(3);
    expect(line.positionOf('b')).toBeUndefined();
  });

  it('refuses an id that is already in line', () => {
    const line = new OrderedQueue();
    line.push('a');
    expect(() => line.push('a')).toThrow(/already/);
  });

  it('behaves like a plain array under any mix of operations, across compactions', () => {
    const operation = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), count: fc.integer({ min: 1, max: 400 }) }),
      fc.record({ kind: fc.constant('shift' as const), count: fc.integer({ min: 1, max: 400 }) }),
      fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (operations) => {
        const line = new OrderedQueue();
        const model: string[] = [];
        let next = 0;
        for (const op of operations) {
          if (op.kind === 'push') {
            for (let i = 0; i < op.count; i++) {
              const id = `t${next++}`;
              line.push(id);
              model.push(id);
            }
          } else if (op.kind === 'shift') {
            for (let i = 0; i < op.count; i++) expect(line.shift()).toBe(model.shift());
          } else if (model.length > 0) {
            const [id] = model.splice(op.pick % model.length, 1);
            expect(line.remove(id as string)).toBe(true);
          }
          expect(line.size).toBe(model.length);
          expect(line.peek()).toBe(model[0]);
          for (const index of [0, Math.floor(model.length / 2), model.length - 1]) {
            const id = model[index];
            if (id !== undefined) expect(line.positionOf(id)).toBe(index + 1);
          }
        }
        expect([...line.ids()]).toEqual(model);
      }),
      { numRuns: 200 },
    );
  });
});

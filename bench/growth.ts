// Does an operation cost the same with 10 people in line as with a million? The engine alone, in process:
// build a queue of each size, then time register / processNext / cancel while keeping the queue at that size.

import { type CommandContext, TicketEngine } from '@ticketing/shared';
import { Registrations } from './journal.ts';
import { formatNumber, formatPowerOfTen, median } from './numbers.ts';
import type { Table } from './report.ts';

export interface GrowthOptions {
  sizes: number[];
  /** operations timed per operation and size */
  operations: number;
}

const OPERATIONS = ['register', 'processNext', 'cancel'] as const;
type Operation = (typeof OPERATIONS)[number];

/** Operations are timed in small groups, each after as many untimed opposite ones, so the line keeps its size. */
const GROUP = 10;
const MAX_GROWTH = 2;
/** Passes over all sizes; each times operations / PASSES of each operation on each line. */
const PASSES = 5;

/**
 * One engine with `size` people in line, plus the bench's own list of who is in line (to cancel people at
 * random places). Only the engine's calls are timed; the list is kept up to date outside the timer.
 */
class Line {
  private readonly engine = new TicketEngine();
  private readonly registrations = new Registrations();
  /** ids in line, in no particular order */
  private readonly queued: string[] = [];
  private readonly slotOf = new Map<string, number>();
  private clock = Date.parse('2025-06-01T09:00:00.000Z');
  private random = 0x2545f491;

  constructor(size: number) {
    // Plenty of seats: processing confirms, so nobody moves to a waitlist and the line is the only structure.
    this.engine.createEvent({ VIP: 100_000_000, Regular: 100_000_000 }, this.context());
    this.register(size, this.context());
  }

  /** Times `count` operations of one kind, in groups of GROUP; returns each group's microseconds per operation. */
  time(operation: Operation, count: number): number[] {
    const at = this.context();
    const served: (string | undefined)[] = new Array(GROUP);
    const perGroup: number[] = [];
    for (let done = 0; done < count; done += GROUP) {
      // The opposite operation first, untimed, so the timed one leaves the line as it found it.
      if (operation === 'register') this.processNext(GROUP, at);
      else this.register(GROUP, at);
      const tickets = operation === 'register' ? Array.from({ length: GROUP }, () => this.registrations.next()) : [];
      const cancelled = operation === 'cancel' ? Array.from({ length: GROUP }, () => this.pickAtRandom()) : [];

      const started = performance.now();
      if (operation === 'register') for (const ticket of tickets) this.engine.register(ticket, at);
      else if (operation === 'processNext')
        for (let i = 0; i < GROUP; i++) served[i] = this.engine.processNext(at).result?.id;
      else for (const id of cancelled) this.engine.cancel(id, at);
      perGroup.push(((performance.now() - started) * 1000) / GROUP);

      for (const ticket of tickets) this.remember(ticket.id);
      if (operation === 'processNext') for (const id of served) if (id !== undefined) this.forget(id);
    }
    return perGroup;
  }

  private context() {
    this.clock += 1;
    return { at: new Date(this.clock).toISOString(), actor: 'staff' as const };
  }

  private register(count: number, at: CommandContext): void {
    for (let i = 0; i < count; i++) {
      const ticket = this.registrations.next();
      this.engine.register(ticket, at);
      this.remember(ticket.id);
    }
  }

  private processNext(count: number, at: CommandContext): void {
    for (let i = 0; i < count; i++) {
      const id = this.engine.processNext(at).result?.id;
      if (id !== undefined) this.forget(id);
    }
  }

  /** A queued id at a random place in line, already forgotten by the list. */
  private pickAtRandom(): string {
    const id = this.queued[this.nextRandom() % this.queued.length] as string;
    this.forget(id);
    return id;
  }

  private remember(id: string): void {
    this.slotOf.set(id, this.queued.length);
    this.queued.push(id);
  }

  private forget(id: string): void {
    const slot = this.slotOf.get(id) as number;
    const last = this.queued.pop() as string;
    if (last !== id) {
      this.queued[slot] = last;
      this.slotOf.set(last, slot);
    }
    this.slotOf.delete(id);
  }

  private nextRandom(): number {
    // xorshift32: cheap, deterministic and good enough to pick places in line.
    let x = this.random;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.random = x >>> 0;
    return this.random;
  }
}

/**
 * The floor under any "find one ticket among n and change it": a Map lookup of a random key among `size`
 * objects and one write to the object found, timed in groups as the operations are. With 10 entries it all
 * sits in the CPU's nearest cache; with a million, each lookup waits on main memory.
 */
function memoryFloor(size: number, count: number): number[] {
  const objects = new Map<number, { status: number }>();
  for (let key = 0; key < size; key++) objects.set(key * 7919, { status: 0 });
  let random = 0x9e3779b9;
  const keys = new Array<number>(GROUP);
  const perGroup: number[] = [];
  for (let done = 0; done < count; done += GROUP) {
    for (let i = 0; i < GROUP; i++) {
      random ^= random << 13;
      random ^= random >>> 17;
      random ^= random << 5;
      keys[i] = ((random >>> 0) % size) * 7919;
    }
    const started = performance.now();
    for (const key of keys) (objects.get(key) as { status: number }).status++;
    perGroup.push(((performance.now() - started) * 1000) / GROUP);
  }
  return perGroup;
}

export async function runGrowth(options: GrowthOptions): Promise<Table[]> {
  // Warm the JIT on a throwaway line so the first size measured is not also the first code run.
  const warm = new Line(1000);
  for (const operation of OPERATIONS) warm.time(operation, options.operations);
  memoryFloor(1000, options.operations);
  const floor = options.sizes.map((size) => median(memoryFloor(size, options.operations)));

  // Every size is measured in several passes, in alternating order, so that a stretch of time in which the
  // machine is slower (another process, the host) is spread over all sizes instead of landing on one cell.
  const lines = options.sizes.map((size) => new Line(size));
  /** groups[operation][i]: the timed groups of that operation on lines[i], all passes together */
  const groups = new Map<Operation, number[][]>(OPERATIONS.map((operation) => [operation, lines.map(() => [])]));
  const perPass = options.operations / PASSES;
  for (let pass = 0; pass < PASSES; pass++) {
    const order = lines.map((_, i) => (pass % 2 === 0 ? i : lines.length - 1 - i));
    for (const i of order) {
      for (const operation of OPERATIONS) {
        const line = lines[i] as Line;
        // A tenth as many untimed first: the code adapts to this line, and its data comes back into cache.
        line.time(operation, perPass / 10);
        groups.get(operation)?.[i]?.push(...line.time(operation, perPass));
      }
      // Let the event loop breathe between sizes.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  const cells = (of: (times: number[]) => number) =>
    new Map<Operation, number[]>(OPERATIONS.map((operation) => [operation, (groups.get(operation) ?? []).map(of)]));
  const typical = cells(median);
  const mean = cells((times) => times.reduce((sum, us) => sum + us, 0) / times.length);

  const columns = ['operation', ...options.sizes.map((size) => `${formatPowerOfTen(size)} queued`), 'max/min'];
  const rows = (times: Map<Operation, number[]>, judged: boolean) =>
    OPERATIONS.map((operation) => {
      const values = times.get(operation) as number[];
      const growth = Math.max(...values) / Math.min(...values);
      return {
        cells: [
          operation,
          ...values.map((us) => formatNumber(us, 2)),
          formatNumber(growth, 2, judged ? MAX_GROWTH : undefined),
        ],
        target: judged ? `max/min ≤ ${MAX_GROWTH}` : '',
        pass: judged ? growth <= MAX_GROWTH : undefined,
      };
    });
  const floorRow = {
    cells: [
      'reference: Map.get of a random entry',
      ...floor.map((us) => formatNumber(us, 3)),
      formatNumber(Math.max(...floor) / Math.min(...floor), 2),
    ],
    target: '',
  };
  return [
    {
      title: 'Engine cost per operation by queue size (µs/op, in process, typical)',
      columns,
      rows: [...rows(typical, true), floorRow],
      notes: [
        `${formatNumber(options.operations)} operations per cell, timed in groups of ${GROUP} over ${PASSES} passes through all sizes (in alternating order, so a slow stretch of the machine does not land on one size); the cell is the median group, so a group that a garbage collection or another process interrupted does not count. cancel picks queued tickets at random places in line.`,
        `The line is held at its size: each timed group follows ${GROUP} untimed opposite operations (register ↔ processNext / cancel). In each pass, each operation on each line is run a tenth as many times untimed before it is timed.`,
        'The reference row is no engine code: one lookup in a Map of that many objects at a random key, and one write to the object found. It is the memory floor under cancel, which must find a ticket anywhere in line: at 10 entries everything is in the nearest CPU cache, at 10^6 every lookup waits on main memory.',
      ],
    },
    {
      title: 'Engine cost per operation by queue size (µs/op, mean of all groups)',
      columns,
      rows: rows(mean, false),
      notes: [
        'The same operations, averaged: this includes garbage collection, which grows with the heap, and any time the machine gave to other processes.',
      ],
    },
  ];
}

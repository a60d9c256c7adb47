// A first-in-first-out line of items that also supports removal from the middle and "what is my place?",
// each in O(log n) or better, so a line of a million costs per operation what a line of ten does.

/** Where an item sits in the line it is in; kept on the item itself, so a line needs no index of its own. */
export const LINE_SLOT: unique symbol = Symbol('line slot');

/** An item that can stand in lines, one line at a time. */
export interface Lineable {
  [LINE_SLOT]?: number;
}

/**
 * Every item gets the next slot number when it joins, stored on the item. A Fenwick tree over the slots
 * counts who is still in line, which answers "how many are ahead of slot s" in O(log n). Removed slots
 * are skipped lazily at the head, and the arrays are compacted once the dead prefix outweighs the live
 * part, so memory follows the live length and every cost stays amortised O(log n).
 */
export class OrderedQueue<T extends Lineable> {
  /** slot - offset -> item, or undefined once that item has left the line */
  private slots: (T | undefined)[] = [];
  /** Fenwick tree (1-based) over slots - offset: 1 while the slot's item is in line; grows by doubling */
  private tree = new Int32Array(16);
  private offset = 0;
  /** index (relative to offset) of the first slot that may still be occupied */
  private head = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  has(item: T): boolean {
    const slot = item[LINE_SLOT];
    return slot !== undefined && slot >= this.offset && this.slots[slot - this.offset] === item;
  }

  push(item: T): void {
    if (this.has(item)) throw new Error('already in this line');
    const index = this.slots.length;
    this.slots.push(item);
    this.growTree();
    this.addToTree(index, 1);
    item[LINE_SLOT] = index + this.offset;
    this.count++;
  }

  /** The item at the front, without removing it. */
  peek(): T | undefined {
    this.skipDeadHead();
    return this.slots[this.head];
  }

  shift(): T | undefined {
    const item = this.peek();
    if (item !== undefined) this.remove(item);
    return item;
  }

  /** Removes an item from anywhere in the line; returns false when it was not in line. */
  remove(item: T): boolean {
    if (!this.has(item)) return false;
    const index = (item[LINE_SLOT] as number) - this.offset;
    this.slots[index] = undefined;
    item[LINE_SLOT] = -1;
    this.count--;
    this.addToTree(index, -1);
    this.compactIfWasteful();
    return true;
  }

  /** 1-based place in line, or undefined when the item is not in line. */
  positionOf(item: T): number | undefined {
    if (!this.has(item)) return undefined;
    return this.countUpTo((item[LINE_SLOT] as number) - this.offset);
  }

  /** Items in line order, from the front; stops after `limit`. */
  *items(limit = Number.POSITIVE_INFINITY): Generator<T> {
    let yielded = 0;
    for (let i = this.head; i < this.slots.length && yielded < limit; i++) {
      const item = this.slots[i];
      if (item !== undefined) {
        yielded++;
        yield item;
      }
    }
  }

  private skipDeadHead(): void {
    while (this.head < this.slots.length && this.slots[this.head] === undefined) this.head++;
  }

  /** Number of occupied slots with index <= i (0-based index). */
  private countUpTo(index: number): number {
    let sum = 0;
    for (let i = index + 1; i > 0; i -= i & -i) sum += this.tree[i] as number;
    return sum;
  }

  private addToTree(index: number, delta: number): void {
    const last = this.slots.length;
    for (let i = index + 1; i <= last; i += i & -i) this.tree[i] = (this.tree[i] as number) + delta;
  }

  /** Adds the node for the newest slot: its value is the count over the range the node covers. */
  private growTree(): void {
    const i = this.slots.length; // 1-based position of the new slot
    if (i >= this.tree.length) {
      // Nodes cover ranges that end at their own index, so growing leaves every existing node valid.
      const grown = new Int32Array(this.tree.length * 2);
      grown.set(this.tree);
      this.tree = grown;
    }
    // Node i covers (i - lowbit(i), i]; slot i itself is added by the caller, and the nodes reached
    // from i - 1 by removing low bits exactly tile the rest. On average that is one or two steps.
    const start = i - (i & -i);
    let covered = 0;
    for (let j = i - 1; j > start; j -= j & -j) covered += this.tree[j] as number;
    this.tree[i] = covered;
  }

  private compactIfWasteful(): void {
    this.skipDeadHead();
    if (this.head < 1024 || this.head < this.slots.length / 2) return;
    // Slot numbers on the items are absolute (index + offset), so they stay right as the offset moves.
    const live = this.slots.slice(this.head);
    this.offset += this.head;
    this.slots = live;
    this.head = 0;
    this.tree = new Int32Array(Math.max(16, live.length * 2));
    for (let i = 0; i < live.length; i++) {
      // Linear-time Fenwick build: add each slot's own count, then pass it up to its parent.
      if (live[i] !== undefined) this.tree[i + 1] = (this.tree[i + 1] as number) + 1;
      const parent = i + 1 + ((i + 1) & -(i + 1));
      if (parent <= live.length) this.tree[parent] = (this.tree[parent] as number) + (this.tree[i + 1] as number);
    }
  }
}

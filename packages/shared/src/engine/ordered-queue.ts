// A first-in-first-out line of items that also supports removal from the middle and "what is my place?",
// each in O(log n) or better, so a line of a million costs per operation what a line of ten does.

/**
 * Where each item sits in the line it stands in, kept by the line's owner: items are small whole numbers
 * (rows of a table), and one item stands in one line at a time, so the lines of an owner share one column.
 */
export interface SlotColumn {
  /** the item's slot in the line it stands in, -1 when it stands in none */
  slotOf(item: number): number;
  setSlot(item: number, slot: number): void;
}

const EMPTY = -1;

/**
 * Every item gets the next slot number when it joins, stored in the slot column. A Fenwick tree over the
 * slots counts who is still in line, which answers "how many are ahead of slot s" in O(log n). Removed
 * slots are skipped lazily at the head, and the arrays are compacted once the dead prefix outweighs the
 * live part, so memory follows the live length and every cost stays amortised O(log n).
 */
export class OrderedQueue {
  /** slot - offset -> item, or EMPTY once that item has left the line; `length` of them are in use */
  private slots = new Int32Array(16);
  private length = 0;
  /** Fenwick tree (1-based) over slots - offset: 1 while the slot's item is in line */
  private tree = new Int32Array(17);
  private offset = 0;
  /** index (relative to offset) of the first slot that may still be occupied */
  private head = 0;
  private count = 0;

  constructor(private readonly column: SlotColumn) {}

  get size(): number {
    return this.count;
  }

  has(item: number): boolean {
    const index = this.column.slotOf(item) - this.offset;
    return index >= 0 && index < this.length && this.slots[index] === item;
  }

  push(item: number): void {
    if (this.has(item)) throw new Error('already in this line');
    if (this.length === this.slots.length) this.grow();
    const index = this.length++;
    this.slots[index] = item;
    this.addTreeNode(index + 1);
    this.column.setSlot(item, index + this.offset);
    this.count++;
  }

  /** The item at the front without removing it, or undefined when the line is empty. */
  peek(): number | undefined {
    this.skipDeadHead();
    return this.head < this.length ? (this.slots[this.head] as number) : undefined;
  }

  shift(): number | undefined {
    const item = this.peek();
    if (item !== undefined) this.remove(item);
    return item;
  }

  /** Removes an item from anywhere in the line; returns false when it was not in line. */
  remove(item: number): boolean {
    if (!this.has(item)) return false;
    const index = this.column.slotOf(item) - this.offset;
    this.slots[index] = EMPTY;
    this.column.setSlot(item, EMPTY);
    this.count--;
    for (let i = index + 1; i <= this.length; i += i & -i) this.tree[i] = (this.tree[i] as number) - 1;
    this.compactIfWasteful();
    return true;
  }

  /** 1-based place in line, or undefined when the item is not in line. */
  positionOf(item: number): number | undefined {
    if (!this.has(item)) return undefined;
    let sum = 0;
    for (let i = this.column.slotOf(item) - this.offset + 1; i > 0; i -= i & -i) sum += this.tree[i] as number;
    return sum;
  }

  /** Items in line order, from the front; stops after `limit`. */
  *items(limit = Number.POSITIVE_INFINITY): Generator<number> {
    let yielded = 0;
    for (let i = this.head; i < this.length && yielded < limit; i++) {
      const item = this.slots[i] as number;
      if (item !== EMPTY) {
        yielded++;
        yield item;
      }
    }
  }

  private skipDeadHead(): void {
    while (this.head < this.length && this.slots[this.head] === EMPTY) this.head++;
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2);
    slots.set(this.slots);
    this.slots = slots;
    // Nodes cover ranges that end at their own index, so growing leaves every existing node valid.
    const tree = new Int32Array(slots.length + 1);
    tree.set(this.tree);
    this.tree = tree;
  }

  /**
   * Sets node i (1-based) for a newly occupied slot i: node i covers (i - lowbit(i), i], which is slot i
   * itself plus the nodes reached from i - 1 by removing low bits. On average that is one or two steps.
   */
  private addTreeNode(i: number): void {
    const start = i - (i & -i);
    let covered = 1;
    for (let j = i - 1; j > start; j -= j & -j) covered += this.tree[j] as number;
    this.tree[i] = covered;
  }

  private compactIfWasteful(): void {
    this.skipDeadHead();
    if (this.head < 1024 || this.head < this.length / 2) return;
    // Slot numbers in the column are absolute (index + offset), so they stay right as the offset moves.
    const live = this.length - this.head;
    const slots = new Int32Array(Math.max(16, live * 2));
    slots.set(this.slots.subarray(this.head, this.length));
    this.offset += this.head;
    this.slots = slots;
    this.length = live;
    this.head = 0;
    const tree = new Int32Array(slots.length + 1);
    for (let i = 1; i <= live; i++) {
      // Linear-time Fenwick build: add each slot's own count, then pass it up to its parent.
      if (slots[i - 1] !== EMPTY) tree[i] = (tree[i] as number) + 1;
      const parent = i + (i & -i);
      if (parent <= live) tree[parent] = (tree[parent] as number) + (tree[i] as number);
    }
    this.tree = tree;
  }
}

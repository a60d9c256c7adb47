// A first-in-first-out line of ids that also supports removal from the middle and "what is my place?",
// each in O(log n) or better, so a line of a million costs per operation what a line of ten does.

/**
 * Every id gets the next slot number when it joins. A Fenwick tree over the slots counts who is still
 * in line, which answers "how many are ahead of slot s" in O(log n). Removed slots are skipped lazily
 * at the head, and the arrays are compacted once the dead prefix outweighs the live part, so memory
 * follows the live length and every cost stays amortised O(log n).
 */
export class OrderedQueue {
  /** slot - offset -> id, or undefined once that id has left the line */
  private slots: (string | undefined)[] = [];
  /** Fenwick tree (1-based) over slots - offset: 1 while the slot's id is in line */
  private tree: number[] = [0];
  private offset = 0;
  /** index (relative to offset) of the first slot that may still be occupied */
  private head = 0;
  private readonly slotOf = new Map<string, number>();

  get size(): number {
    return this.slotOf.size;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  push(id: string): void {
    if (this.slotOf.has(id)) throw new Error(`${id} is already in this line`);
    const index = this.slots.length;
    this.slots.push(id);
    this.growTree();
    this.addToTree(index, 1);
    this.slotOf.set(id, index + this.offset);
  }

  /** The id at the front, without removing it. */
  peek(): string | undefined {
    this.skipDeadHead();
    return this.slots[this.head];
  }

  shift(): string | undefined {
    const id = this.peek();
    if (id !== undefined) this.remove(id);
    return id;
  }

  /** Removes an id from anywhere in the line; returns false when it was not in line. */
  remove(id: string): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    const index = slot - this.offset;
    this.slotOf.delete(id);
    this.slots[index] = undefined;
    this.addToTree(index, -1);
    this.compactIfWasteful();
    return true;
  }

  /** 1-based place in line, or undefined when the id is not in line. */
  positionOf(id: string): number | undefined {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return undefined;
    return this.countUpTo(slot - this.offset);
  }

  /** Ids in line order, from the front; stops after `limit`. */
  *ids(limit = Number.POSITIVE_INFINITY): Generator<string> {
    let yielded = 0;
    for (let i = this.head; i < this.slots.length && yielded < limit; i++) {
      const id = this.slots[i];
      if (id !== undefined) {
        yielded++;
        yield id;
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
    for (let i = index + 1; i < this.tree.length; i += i & -i) this.tree[i] = (this.tree[i] as number) + delta;
  }

  /** Adds the node for the newest slot: its value is the count over the range the node covers. */
  private growTree(): void {
    const i = this.slots.length; // 1-based position of the new slot
    // Node i covers (i - lowbit(i), i]; slot i itself is added by the caller, and the nodes reached
    // from i - 1 by removing low bits exactly tile the rest. On average that is one or two steps.
    const start = i - (i & -i);
    let covered = 0;
    for (let j = i - 1; j > start; j -= j & -j) covered += this.tree[j] as number;
    this.tree.push(covered);
  }

  private compactIfWasteful(): void {
    this.skipDeadHead();
    if (this.head < 1024 || this.head < this.slots.length / 2) return;
    const live = this.slots.slice(this.head);
    this.offset += this.head;
    this.slots = live;
    this.head = 0;
    this.tree = new Array<number>(live.length + 1).fill(0);
    for (let i = 0; i < live.length; i++) {
      if (live[i] !== undefined) {
        // Linear-time Fenwick build: add each slot's own count, then pass it up to its parent.
        this.tree[i + 1] = (this.tree[i + 1] as number) + 1;
      }
      const parent = i + 1 + ((i + 1) & -(i + 1));
      if (parent <= live.length) this.tree[parent] = (this.tree[parent] as number) + (this.tree[i + 1] as number);
    }
  }
}

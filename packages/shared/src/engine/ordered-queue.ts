// A first-in-first-out line of items that also supports removal from the middle and "what is my place?",
// each in O(log n) or better, so a line of a million costs per operation what a line of ten does.

import { grown } from './columns.ts';

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
/** Slots per block: one bit each in a 32-bit word. */
const BLOCK = 32;

/**
 * Every item gets the next slot when it joins; its slot number is kept in the slot column. Who is still in
 * line is one bit per slot, and a Fenwick tree counts them per block of 32 slots, so "how many are ahead of
 * slot s" is a sum over the blocks before s's plus a bit count within its block, in O(log n). Bits and the
 * tree are 1/32 and 1/8 of a byte per slot: at a million in line they stay in the CPU's caches, and taking
 * someone out of line touches main memory only for their own slot. Removed slots are skipped lazily at the
 * head, and the arrays are compacted once the dead prefix outweighs the live part, so memory follows the
 * live length and every cost stays amortised O(log n).
 */
export class OrderedQueue {
  /** slot - offset -> item, or EMPTY once that item has left the line; `length` of them are in use */
  private slots = new Int32Array(BLOCK * 4);
  private length = 0;
  /** bit j of word b: slot b * BLOCK + j (after offset) is in line */
  private live = new Int32Array(4);
  /** Fenwick tree (1-based) over blocks: how many of a block's slots are in line */
  private tree = new Int32Array(5);
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
    const block = index >>> 5;
    if ((index & (BLOCK - 1)) === 0) this.addTreeNode(block + 1);
    this.live[block] = (this.live[block] as number) | (1 << (index & (BLOCK - 1)));
    this.addToBlock(block, 1);
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
    const block = index >>> 5;
    this.live[block] = (this.live[block] as number) & ~(1 << (index & (BLOCK - 1)));
    this.addToBlock(block, -1);
    this.count--;
    this.compactIfWasteful();
    return true;
  }

  /** 1-based place in line, or undefined when the item is not in line. */
  positionOf(item: number): number | undefined {
    if (!this.has(item)) return undefined;
    const index = this.column.slotOf(item) - this.offset;
    const block = index >>> 5;
    let ahead = 0;
    for (let i = block; i > 0; i -= i & -i) ahead += this.tree[i] as number;
    // Its own bit and those below it in its block's word.
    const mask = -1 >>> (BLOCK - 1 - (index & (BLOCK - 1)));
    return ahead + bitCount((this.live[block] as number) & mask);
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

  /** Everyone in line, in order, as a copy the line's later changes do not touch. */
  copy(): Int32Array {
    const copy = new Int32Array(this.count);
    let n = 0;
    for (let i = this.head; i < this.length; i++) {
      const item = this.slots[i] as number;
      if (item !== EMPTY) copy[n++] = item;
    }
    return copy;
  }

  private skipDeadHead(): void {
    // A whole block at a time while its word says nobody in it is left.
    while (this.head < this.length && this.slots[this.head] === EMPTY) {
      this.head = this.live[this.head >>> 5] === 0 ? ((this.head >>> 5) + 1) * BLOCK : this.head + 1;
    }
    if (this.head > this.length) this.head = this.length;
  }

  private addToBlock(block: number, delta: number): void {
    const blocks = Math.ceil(this.length / BLOCK);
    for (let i = block + 1; i <= blocks; i += i & -i) this.tree[i] = (this.tree[i] as number) + delta;
  }

  /**
   * Starts node i (1-based) for a block just begun, still empty: node i covers blocks (i - lowbit(i), i],
   * which are the nodes reached from i - 1 by removing low bits. On average that is one or two steps.
   */
  private addTreeNode(i: number): void {
    const start = i - (i & -i);
    let covered = 0;
    for (let j = i - 1; j > start; j -= j & -j) covered += this.tree[j] as number;
    this.tree[i] = covered;
  }

  private grow(): void {
    this.slots = grown(this.slots, this.slots.length * 2);
    const blocks = this.slots.length / BLOCK;
    this.live = grown(this.live, blocks);
    // Nodes cover ranges that end at their own index, so growing leaves every existing node valid.
    this.tree = grown(this.tree, blocks + 1);
  }

  private compactIfWasteful(): void {
    this.skipDeadHead();
    if (this.head < 1024 || this.head < this.length / 2) return;
    // Slot numbers in the column are absolute (index + offset), so they stay right as the offset moves. The
    // offset moves by whole blocks, so every slot keeps its place within its block's word.
    const from = this.head - (this.head % BLOCK);
    const kept = this.length - from;
    const slots = new Int32Array(Math.max(BLOCK * 4, Math.ceil((kept * 2) / BLOCK) * BLOCK));
    slots.set(this.slots.subarray(from, this.length));
    const blocks = slots.length / BLOCK;
    const live = new Int32Array(blocks);
    live.set(this.live.subarray(from / BLOCK, Math.ceil(this.length / BLOCK)));
    this.offset += from;
    this.slots = slots;
    this.live = live;
    this.length = kept;
    this.head -= from;
    // Linear-time Fenwick build over the blocks in use: each block's own count, passed up to its parent.
    const used = Math.ceil(kept / BLOCK);
    const tree = new Int32Array(blocks + 1);
    for (let i = 1; i <= used; i++) {
      tree[i] = (tree[i] as number) + bitCount(live[i - 1] as number);
      const parent = i + (i & -i);
      if (parent <= used) tree[parent] = (tree[parent] as number) + (tree[i] as number);
    }
    this.tree = tree;
  }
}

/** The number of bits set in a 32-bit word. */
function bitCount(word: number): number {
  let x = word - ((word >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

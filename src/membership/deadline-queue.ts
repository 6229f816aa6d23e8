/**
 * The node table's deadline queue: one indexed min-heap of (slot, dueMs) pairs, where a slot is a
 * node's index in the table. Each slot is in the heap at most once, so a node's deadline moves
 * with `set` (update-key) in O(log n) and a node that needs no deadline (dead, left, removed)
 * leaves with `delete` in O(log n). The earliest deadline is `peekDueMs()` in O(1); the table
 * arms its one clock timer from it.
 *
 * Struct of arrays, no objects: `heapSlots` (Int32Array) and `heapDue` (Float64Array) hold the
 * heap in parallel, `posBySlot` (Int32Array, -1 when not queued) indexes it: 16 bytes a slot.
 * Keys sit next to each other in `heapDue` instead of behind the slot, and the heap is 4-ary
 * (half the depth of a binary heap, the four children of a node in one cache line): at a million
 * nodes a sift is bound by cache misses, and this layout roughly halves them (see
 * docs/MEMBERSHIP.md and bench/RESULTS.md). Arrays grow by doubling.
 */
const ARITY = 4;

export class DeadlineQueue {
  private heapSlots: Int32Array;
  private heapDue: Float64Array;
  private posBySlot: Int32Array;
  private count = 0;

  constructor(initialCapacity = 1024) {
    const n = Math.max(1, initialCapacity);
    this.heapSlots = new Int32Array(n);
    this.heapDue = new Float64Array(n);
    this.posBySlot = new Int32Array(n).fill(-1);
  }

  /** Number of queued slots. */
  get size(): number {
    return this.count;
  }

  /** Whether `slot` has a deadline. */
  has(slot: number): boolean {
    return slot < this.posBySlot.length && (this.posBySlot[slot] as number) >= 0;
  }

  /** The deadline of `slot`, or `undefined` when it has none. */
  dueMs(slot: number): number | undefined {
    return this.has(slot) ? this.heapDue[this.posBySlot[slot] as number] : undefined;
  }

  /** The slot with the earliest deadline, or -1 when the queue is empty. */
  peekSlot(): number {
    return this.count > 0 ? (this.heapSlots[0] as number) : -1;
  }

  /** The earliest deadline, or `Infinity` when the queue is empty. */
  peekDueMs(): number {
    return this.count > 0 ? (this.heapDue[0] as number) : Infinity;
  }

  /** Inserts `slot` or moves its deadline (earlier or later); O(log n). */
  set(slot: number, dueMs: number): void {
    if (slot >= this.posBySlot.length) this.growSlots(slot + 1);
    const pos = this.posBySlot[slot] as number;
    if (pos < 0) {
      if (this.count === this.heapSlots.length) this.growHeap();
      this.siftUp(this.count++, slot, dueMs);
      return;
    }
    const old = this.heapDue[pos] as number;
    if (dueMs < old) this.siftUp(pos, slot, dueMs);
    else if (dueMs > old) this.siftDown(pos, slot, dueMs);
  }

  /**
   * Inserts `slot`, or moves its deadline earlier; a later `dueMs` leaves the earlier one queued
   * (the node table re-checks it when due, instead of a sift down on every heartbeat).
   */
  setEarlier(slot: number, dueMs: number): void {
    const pos = slot < this.posBySlot.length ? (this.posBySlot[slot] as number) : -1;
    if (pos >= 0 && !(dueMs < (this.heapDue[pos] as number))) return;
    this.set(slot, dueMs);
  }

  /** Removes `slot`'s deadline if it has one; O(log n). Returns whether it had one. */
  delete(slot: number): boolean {
    if (!this.has(slot)) return false;
    const pos = this.posBySlot[slot] as number;
    this.posBySlot[slot] = -1;
    this.count--;
    if (pos === this.count) return true;
    // Fill the hole with the last entry, which may belong above or below it.
    const last = this.heapSlots[this.count] as number;
    const lastDue = this.heapDue[this.count] as number;
    const parent = pos > 0 ? ((pos - 1) / ARITY) | 0 : -1;
    if (parent >= 0 && lastDue < (this.heapDue[parent] as number)) this.siftUp(pos, last, lastDue);
    else this.siftDown(pos, last, lastDue);
    return true;
  }

  /** Removes every deadline. */
  clear(): void {
    for (let i = 0; i < this.count; i++) this.posBySlot[this.heapSlots[i] as number] = -1;
    this.count = 0;
  }

  /** Bytes held by the typed arrays (capacity, not just the used part). */
  memoryBytes(): number {
    return this.heapSlots.byteLength + this.heapDue.byteLength + this.posBySlot.byteLength;
  }

  /** Places (slot, due) at hole `start` or above it. */
  private siftUp(start: number, slot: number, due: number): void {
    const slots = this.heapSlots;
    const dues = this.heapDue;
    let i = start;
    while (i > 0) {
      const parent = ((i - 1) / ARITY) | 0;
      const parentDue = dues[parent] as number;
      if (!(due < parentDue)) break;
      this.place(i, slots[parent] as number, parentDue);
      i = parent;
    }
    this.place(i, slot, due);
  }

  /** Puts (slot, due) at heap position `i`. */
  private place(i: number, slot: number, due: number): void {
    this.heapSlots[i] = slot;
    this.heapDue[i] = due;
    this.posBySlot[slot] = i;
  }

  /** Places (slot, due) at hole `start` or below it. */
  private siftDown(start: number, slot: number, due: number): void {
    const slots = this.heapSlots;
    const dues = this.heapDue;
    const n = this.count;
    let i = start;
    for (;;) {
      const first = ARITY * i + 1;
      if (first >= n) break;
      const end = Math.min(first + ARITY, n);
      let c = first;
      let cDue = dues[first] as number;
      for (let k = first + 1; k < end; k++) {
        const kDue = dues[k] as number;
        if (kDue < cDue) {
          c = k;
          cDue = kDue;
        }
      }
      if (!(cDue < due)) break;
      this.place(i, slots[c] as number, cDue);
      i = c;
    }
    this.place(i, slot, due);
  }

  private growSlots(minLength: number): void {
    let n = this.posBySlot.length;
    while (n < minLength) n *= 2;
    const pos = new Int32Array(n).fill(-1);
    pos.set(this.posBySlot);
    this.posBySlot = pos;
  }

  private growHeap(): void {
    const n = this.heapSlots.length * 2;
    const slots = new Int32Array(n);
    slots.set(this.heapSlots);
    const dues = new Float64Array(n);
    dues.set(this.heapDue);
    this.heapSlots = slots;
    this.heapDue = dues;
  }
}

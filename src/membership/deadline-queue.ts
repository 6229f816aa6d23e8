/**
 * The node table's deadline queue: one indexed binary min-heap of (slot, dueMs) pairs, where a
 * slot is a node's index in the table. Each slot is in the heap at most once, so a heartbeat
 * moves its node's deadline with `set` (update-key) in O(log n) and a node that needs no
 * deadline (dead, left, removed) leaves it with `delete` in O(log n). The earliest deadline is
 * `peekDueMs()` in O(1); the table arms its one clock timer from it.
 *
 * Struct of arrays, so a million nodes cost three typed-array entries each (16 bytes) and no
 * objects: `dueBySlot` (Float64Array, indexed by slot), `heap` (Int32Array of slots in heap
 * order) and `posBySlot` (Int32Array, -1 when the slot is not queued). Arrays grow by doubling.
 */
export class DeadlineQueue {
  private dueBySlot: Float64Array;
  private posBySlot: Int32Array;
  private heap: Int32Array;
  private count = 0;

  constructor(initialCapacity = 1024) {
    const n = Math.max(1, initialCapacity);
    this.dueBySlot = new Float64Array(n);
    this.posBySlot = new Int32Array(n).fill(-1);
    this.heap = new Int32Array(n);
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
    return this.has(slot) ? this.dueBySlot[slot] : undefined;
  }

  /** The slot with the earliest deadline, or -1 when the queue is empty. */
  peekSlot(): number {
    return this.count > 0 ? (this.heap[0] as number) : -1;
  }

  /** The earliest deadline, or `Infinity` when the queue is empty. */
  peekDueMs(): number {
    return this.count > 0 ? (this.dueBySlot[this.heap[0] as number] as number) : Infinity;
  }

  /** Inserts `slot` or moves its deadline (earlier or later); O(log n). */
  set(slot: number, dueMs: number): void {
    if (slot >= this.posBySlot.length) this.growSlots(slot + 1);
    const pos = this.posBySlot[slot] as number;
    if (pos < 0) {
      if (this.count === this.heap.length) this.growHeap();
      this.dueBySlot[slot] = dueMs;
      this.heap[this.count] = slot;
      this.posBySlot[slot] = this.count;
      this.count++;
      this.siftUp(this.count - 1);
      return;
    }
    const old = this.dueBySlot[slot] as number;
    this.dueBySlot[slot] = dueMs;
    if (dueMs < old) this.siftUp(pos);
    else if (dueMs > old) this.siftDown(pos);
  }

  /** Removes `slot`'s deadline if it has one; O(log n). Returns whether it had one. */
  delete(slot: number): boolean {
    if (!this.has(slot)) return false;
    const pos = this.posBySlot[slot] as number;
    this.posBySlot[slot] = -1;
    this.count--;
    if (pos === this.count) return true;
    const last = this.heap[this.count] as number;
    this.heap[pos] = last;
    this.posBySlot[last] = pos;
    // The moved slot may belong above or below its new position.
    this.siftUp(pos);
    this.siftDown(this.posBySlot[last] as number);
    return true;
  }

  /** Removes every deadline. */
  clear(): void {
    for (let i = 0; i < this.count; i++) this.posBySlot[this.heap[i] as number] = -1;
    this.count = 0;
  }

  /** Bytes held by the typed arrays (capacity, not just the used part). */
  memoryBytes(): number {
    return this.dueBySlot.byteLength + this.posBySlot.byteLength + this.heap.byteLength;
  }

  private siftUp(start: number): void {
    const heap = this.heap;
    const due = this.dueBySlot;
    const slot = heap[start] as number;
    const key = due[slot] as number;
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as number;
      if (!(key < (due[p] as number))) break;
      heap[i] = p;
      this.posBySlot[p] = i;
      i = parent;
    }
    heap[i] = slot;
    this.posBySlot[slot] = i;
  }

  private siftDown(start: number): void {
    const heap = this.heap;
    const due = this.dueBySlot;
    const n = this.count;
    const slot = heap[start] as number;
    const key = due[slot] as number;
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      let cKey = due[heap[l] as number] as number;
      if (r < n) {
        const rKey = due[heap[r] as number] as number;
        if (rKey < cKey) {
          c = r;
          cKey = rKey;
        }
      }
      if (!(cKey < key)) break;
      const cs = heap[c] as number;
      heap[i] = cs;
      this.posBySlot[cs] = i;
      i = c;
    }
    heap[i] = slot;
    this.posBySlot[slot] = i;
  }

  private growSlots(minLength: number): void {
    let n = this.posBySlot.length;
    while (n < minLength) n *= 2;
    const due = new Float64Array(n);
    due.set(this.dueBySlot);
    const pos = new Int32Array(n).fill(-1);
    pos.set(this.posBySlot);
    this.dueBySlot = due;
    this.posBySlot = pos;
  }

  private growHeap(): void {
    const heap = new Int32Array(this.heap.length * 2);
    heap.set(this.heap);
    this.heap = heap;
  }
}

/**
 * A binary min-heap of items by a numeric key, ties first in, first out. O(log n) push and pop,
 * O(1) peek. It is the manual clock's timer list: the key is the due time, so timers due at the
 * same time run in the order they were set.
 *
 * Keys and insertion numbers sit in typed arrays beside the items, so a sift compares plain
 * numbers and calls no comparator: the simulator pushes tens of millions of timers through it.
 * The arrays grow by doubling and never shrink.
 */
export class MinHeap<T> {
  private items: (T | undefined)[] = [];
  private keys = new Float64Array(16);
  /** Insertion number of each entry: the tie-break between equal keys. */
  private orders = new Float64Array(16);
  private count = 0;
  private nextOrder = 0;

  get size(): number {
    return this.count;
  }

  /** The first item (smallest key, earliest pushed among equals), or undefined when empty. */
  peek(): T | undefined {
    return this.count > 0 ? this.items[0] : undefined;
  }

  /** The first item's key, or Infinity when empty. */
  peekKey(): number {
    return this.count > 0 ? (this.keys[0] as number) : Infinity;
  }

  push(item: T, key: number): void {
    if (this.count === this.keys.length) this.grow();
    this.siftUp(this.count++, item, key, this.nextOrder++);
  }

  /** Removes and returns the first item. */
  pop(): T | undefined {
    if (this.count === 0) return undefined;
    const items = this.items;
    const top = items[0];
    const last = --this.count;
    const item = items[last] as T;
    items[last] = undefined; // no reference kept to what left the heap
    if (last > 0) this.siftDown(item, this.keys[last] as number, this.orders[last] as number);
    return top;
  }

  /** Places (item, key, order) at hole `start` or above it. */
  private siftUp(start: number, item: T, key: number, order: number): void {
    const items = this.items;
    const keys = this.keys;
    const orders = this.orders;
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keys[parent] as number;
      if (!(key < pk || (key === pk && order < (orders[parent] as number)))) break;
      items[i] = items[parent];
      keys[i] = pk;
      orders[i] = orders[parent] as number;
      i = parent;
    }
    items[i] = item;
    keys[i] = key;
    orders[i] = order;
  }

  /** Places (item, key, order) at the root hole or below it. */
  private siftDown(item: T, key: number, order: number): void {
    const items = this.items;
    const keys = this.keys;
    const orders = this.orders;
    const n = this.count;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let ck = keys[c] as number;
      let co = orders[c] as number;
      const r = c + 1;
      if (r < n) {
        const rk = keys[r] as number;
        const ro = orders[r] as number;
        if (rk < ck || (rk === ck && ro < co)) {
          c = r;
          ck = rk;
          co = ro;
        }
      }
      if (!(ck < key || (ck === key && co < order))) break;
      items[i] = items[c];
      keys[i] = ck;
      orders[i] = co;
      i = c;
    }
    items[i] = item;
    keys[i] = key;
    orders[i] = order;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    this.keys = keys;
    const orders = new Float64Array(this.orders.length * 2);
    orders.set(this.orders);
    this.orders = orders;
  }
}

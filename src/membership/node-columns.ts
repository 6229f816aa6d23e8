/**
 * The node table's storage: one entry per slot in parallel arrays (struct of arrays) instead of
 * one object per node. Numbers live in typed arrays (8 or 4 bytes each, no boxed doubles for the
 * GC to trace); only values that are objects (id, detector, address, tags, payload) live in
 * plain arrays. `NaN` stands for "not known" in the Float64 columns. All columns grow together by
 * doubling. docs/MEMBERSHIP.md adds up the bytes per node.
 *
 * It also keeps the slots' bookkeeping: which slot holds which node id, the free list, the
 * count of nodes in each state and the list of slots changed since the last checkpoint.
 */
import type { FailureDetector } from '../detectors/detector.js';
import type { Payload } from '../protocol/message.js';
import { NODE_STATES, TRANSITION_REASONS, type NodeState, type TransitionReason } from './types.js';

/** A node's state as a small integer: its index in NODE_STATES (types.ts). */
export const STATE_CODE = Object.freeze(
  Object.fromEntries(NODE_STATES.map((state, code) => [state, code])),
) as Readonly<Record<NodeState, number>>;
export const UNKNOWN = STATE_CODE.unknown;
export const ALIVE = STATE_CODE.alive;
export const SUSPECT = STATE_CODE.suspect;
export const DEAD = STATE_CODE.dead;
export const LEFT = STATE_CODE.left;

/** A transition reason as a small integer: its index in TRANSITION_REASONS (types.ts). */
export const REASON_CODE = Object.freeze(
  Object.fromEntries(TRANSITION_REASONS.map((reason, code) => [reason, code])),
) as Readonly<Record<TransitionReason, number>>;

/** Bits of `flags`. */
/** Changed by heartbeats since the monitor last saved it (checkpoint). */
export const FLAG_DIRTY = 1;
/** Restored after a monitor restart and not heard since: its next seq gap is not a loss. */
export const FLAG_RESTORED = 2;

/** The tags of every node without any: one shared frozen empty array, not one per node. */
export const NO_TAGS: readonly string[] = Object.freeze([]);

export class NodeColumns {
  capacity: number;
  /** Monotonic ms of the last accepted heartbeat. */
  lastArrivalMs: Float64Array;
  /** Wall ms of the last accepted heartbeat. */
  lastArrivalWallMs: Float64Array;
  /** Monotonic ms when the node entered its current state. */
  stateSinceMs: Float64Array;
  /** Monotonic ms when the current failure (suspect, then dead) began; NaN when not failed. */
  failedSinceMs: Float64Array;
  incarnation: Float64Array;
  lastSeq: Float64Array;
  /** The sender's interval as known (its heartbeat, its registration or the default). */
  intervalMs: Float64Array;
  heartbeats: Uint32Array;
  lost: Uint32Array;
  duplicates: Uint32Array;
  stale: Uint32Array;
  state: Uint8Array;
  /** Index into TRANSITION_REASONS of the transition into the current state. */
  stateReason: Uint8Array;
  /** FLAG_DIRTY, FLAG_RESTORED. */
  flags: Uint8Array;
  ids: (string | undefined)[];
  /** Created on the first heartbeat of each incarnation; undefined before and after leaving. */
  detectors: (FailureDetector | undefined)[];
  addresses: (string | null)[];
  tags: (readonly string[])[];
  payloads: (Payload | null)[];

  /** The slot of every node in the table, by id. */
  readonly slotById = new Map<string, number>();
  /** One more than the highest slot ever used: slots at and beyond it were never used. */
  end = 0;
  private readonly freeSlots: number[] = [];
  /** Nodes in each state, by state code. */
  private readonly stateCounts = NODE_STATES.map(() => 0);
  /** Slots whose FLAG_DIRTY was set since `takeDirty` last ran (may hold freed slots). */
  private dirtySlots: number[] = [];

  constructor(initialCapacity = 1024) {
    this.capacity = Math.max(1, initialCapacity);
    const n = this.capacity;
    this.lastArrivalMs = new Float64Array(n);
    this.lastArrivalWallMs = new Float64Array(n);
    this.stateSinceMs = new Float64Array(n);
    this.failedSinceMs = new Float64Array(n);
    this.incarnation = new Float64Array(n);
    this.lastSeq = new Float64Array(n);
    this.intervalMs = new Float64Array(n);
    this.heartbeats = new Uint32Array(n);
    this.lost = new Uint32Array(n);
    this.duplicates = new Uint32Array(n);
    this.stale = new Uint32Array(n);
    this.state = new Uint8Array(n);
    this.stateReason = new Uint8Array(n);
    this.flags = new Uint8Array(n);
    this.ids = [];
    this.detectors = [];
    this.addresses = [];
    this.tags = [];
    this.payloads = [];
  }

  /** Nodes in the table. */
  get size(): number {
    return this.slotById.size;
  }

  /** A slot for a new node `id` (a freed one, or the next): `unknown`, never heard from. */
  allocate(id: string, intervalMs: number, nowMs: number): number {
    const slot = this.freeSlots.pop() ?? this.end++;
    this.init(slot, id, intervalMs, nowMs);
    this.slotById.set(id, slot);
    this.count(UNKNOWN, 1);
    return slot;
  }

  /** Gives the slot of a node leaving the table back to the free list. */
  free(slot: number): void {
    this.slotById.delete(this.ids[slot] as string);
    this.count(this.state[slot] as number, -1);
    this.release(slot);
    this.freeSlots.push(slot);
  }

  /** Puts `slot` in state `to` (a code), entered at `nowMs` for `reason`, keeping the counts. */
  setState(slot: number, to: number, reason: TransitionReason, nowMs: number): void {
    this.count(this.state[slot] as number, -1);
    this.count(to, 1);
    this.state[slot] = to;
    this.stateReason[slot] = REASON_CODE[reason];
    this.stateSinceMs[slot] = nowMs;
  }

  /** Nodes in each state. */
  counts(): Record<NodeState, number> {
    const [unknown, alive, suspect, dead, left] = this.stateCounts as [
      number,
      number,
      number,
      number,
      number,
    ];
    return { unknown, alive, suspect, dead, left };
  }

  /** Marks `slot` changed since the last checkpoint (FLAG_DIRTY) and clears FLAG_RESTORED. */
  markHeard(slot: number): void {
    const flags = this.flags[slot] as number;
    if ((flags & FLAG_DIRTY) === 0) this.dirtySlots.push(slot);
    this.flags[slot] = (flags | FLAG_DIRTY) & ~FLAG_RESTORED;
  }

  /** Ids of up to `max` dirty nodes, marked saved (see NodeTable.takeDirty). */
  takeDirty(max: number): string[] {
    const ids: string[] = [];
    while (ids.length < max && this.dirtySlots.length > 0) {
      const slot = this.dirtySlots.pop() as number;
      if (((this.flags[slot] as number) & FLAG_DIRTY) === 0) continue;
      this.flags[slot] = (this.flags[slot] as number) & ~FLAG_DIRTY;
      const id = this.ids[slot];
      if (id !== undefined) ids.push(id);
    }
    return ids;
  }

  /** Entries waiting for `takeDirty`. */
  get dirtyCount(): number {
    return this.dirtySlots.length;
  }

  private count(state: number, by: number): void {
    this.stateCounts[state] = (this.stateCounts[state] as number) + by;
  }

  /** Makes room for `slot` (doubling), then resets it to a node never heard from. */
  private init(slot: number, id: string, intervalMs: number, nowMs: number): void {
    if (slot >= this.capacity) this.grow(slot + 1);
    this.lastArrivalMs[slot] = NaN;
    this.lastArrivalWallMs[slot] = NaN;
    this.stateSinceMs[slot] = nowMs;
    this.failedSinceMs[slot] = NaN;
    this.incarnation[slot] = NaN;
    this.lastSeq[slot] = NaN;
    this.intervalMs[slot] = intervalMs;
    this.heartbeats[slot] = 0;
    this.lost[slot] = 0;
    this.duplicates[slot] = 0;
    this.stale[slot] = 0;
    this.state[slot] = UNKNOWN;
    this.stateReason[slot] = 0;
    this.flags[slot] = 0;
    this.ids[slot] = id;
    this.detectors[slot] = undefined;
    this.addresses[slot] = null;
    this.tags[slot] = NO_TAGS;
    this.payloads[slot] = null;
  }

  /**
   * Drops the object references of a freed slot so the GC can take them, and gives the
   * detector's pooled storage back (`dispose`).
   */
  private release(slot: number): void {
    this.ids[slot] = undefined;
    this.detectors[slot]?.dispose?.();
    this.detectors[slot] = undefined;
    this.addresses[slot] = null;
    this.tags[slot] = NO_TAGS;
    this.payloads[slot] = null;
  }

  /** Bytes held by the typed arrays and the reference arrays (8 bytes per reference). */
  memoryBytes(): number {
    return this.capacity * (7 * 8 + 4 * 4 + 3 + 5 * 8);
  }

  private grow(minCapacity: number): void {
    let n = this.capacity;
    while (n < minCapacity) n *= 2;
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    const u32 = (a: Uint32Array) => {
      const b = new Uint32Array(n);
      b.set(a);
      return b;
    };
    const u8 = (a: Uint8Array) => {
      const b = new Uint8Array(n);
      b.set(a);
      return b;
    };
    this.lastArrivalMs = f64(this.lastArrivalMs);
    this.lastArrivalWallMs = f64(this.lastArrivalWallMs);
    this.stateSinceMs = f64(this.stateSinceMs);
    this.failedSinceMs = f64(this.failedSinceMs);
    this.incarnation = f64(this.incarnation);
    this.lastSeq = f64(this.lastSeq);
    this.intervalMs = f64(this.intervalMs);
    this.heartbeats = u32(this.heartbeats);
    this.lost = u32(this.lost);
    this.duplicates = u32(this.duplicates);
    this.stale = u32(this.stale);
    this.state = u8(this.state);
    this.stateReason = u8(this.stateReason);
    this.flags = u8(this.flags);
    this.capacity = n;
  }
}

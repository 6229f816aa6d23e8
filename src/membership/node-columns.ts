/**
 * The node table's storage: one entry per slot in parallel arrays (struct of arrays) instead of
 * one object per node. Numbers live in typed arrays (8 or 4 bytes each, no boxed doubles for the
 * GC to trace); only values that are objects (id, detector, address, tags, payload) live in
 * plain arrays. `NaN` stands for "not known" in the Float64 columns. All columns grow together by
 * doubling. docs/MEMBERSHIP.md adds up the bytes per node.
 */
import type { FailureDetector } from '../detectors/detector.js';
import type { Payload } from '../protocol/message.js';

/** A node's state as a small integer: its index in NODE_STATES (types.ts). */
export const UNKNOWN = 0;
export const ALIVE = 1;
export const SUSPECT = 2;
export const DEAD = 3;
export const LEFT = 4;

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

  /** Makes room for `slot` (doubling), then resets it to a node never heard from. */
  init(slot: number, id: string, intervalMs: number, nowMs: number): void {
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
  release(slot: number): void {
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

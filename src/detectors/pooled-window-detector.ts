import type { DetectorExplanation, DetectorKind, FailureDetector } from './detector.js';
import { objectBytes } from './footprint.js';
import { type Slab, windowBytes, windowCapacity, windowClear } from './slab-window.js';
import {
  blockBytes,
  OWN_SLAB_BYTES,
  sharedParams,
  takeBlock,
  type SamplePool,
} from './sample-pool.js';

/** The resolved options a windowed detector must have; `threshold` where it is configurable. */
export interface WindowOptions {
  windowSize: number;
  threshold?: number;
}

/**
 * The constants every windowed detector keeps once per spec (see `sharedParams`): its resolved
 * options, the window's capacity, the block size and the pool the block came from.
 */
export interface WindowParams<O extends WindowOptions> {
  options: O;
  capacity: number;
  /** Block size: the float64 fields and the window. */
  bytes: number;
  pool: SamplePool | undefined;
}

/**
 * The shared params for `key`, made on first use: the frozen options, the window's capacity, a
 * block of `windowAt` bytes of fields followed by the window, the pool, and the detector's own
 * constants (what `extra` returns; like the rest, made once per key).
 */
export function windowParams<O extends WindowOptions, X extends object>(
  pool: SamplePool | undefined,
  key: string,
  options: O,
  windowAt: number,
  extra: () => X,
): Readonly<WindowParams<O> & X> {
  return sharedParams(pool, key, () => {
    const capacity = windowCapacity(options.windowSize);
    return {
      options: Object.freeze(options),
      ...extra(),
      capacity,
      bytes: windowAt + windowBytes(capacity),
      pool,
    };
  });
}

/**
 * Block layout common to the windowed detectors, float64 indices from the block's start: the last
 * arrival (NaN before the first) and the verdict time. A detector's own fields follow; its window
 * starts at the byte offset it passes to the constructor.
 */
export const LAST = 0;
export const SUSPECT_AT = 1;

/**
 * What the windowed detectors (φ accrual, Cassandra's φ, Chen) have in common: one block of bytes
 * from a `SamplePool` (or a small slab of their own) holding their float64 fields and their sample
 * window, one shared params object per spec, and the verdict time cached in the block at each
 * arrival, so `suspectAtMs()` is one read. Subclasses implement `heartbeat()`, `suspicion()` and
 * the `details` of `explain()`; their `heartbeat()` reads and writes the block directly, with no
 * call through this class.
 *
 * Three own fields (`p`, `slab`, `at`), the count `memoryBytes()` charges.
 */
export abstract class PooledWindowDetector<
  P extends WindowParams<WindowOptions>,
> implements FailureDetector {
  protected readonly p: P;
  protected readonly slab: Slab;
  /** Byte offset of this detector's block in `slab`; -1 once disposed. */
  protected at: number;

  /**
   * Takes a block of `p.bytes` and clears its common fields and the window at byte `windowAt`;
   * the subclass sets its own fields after.
   */
  protected constructor(p: P, windowAt: number) {
    this.p = p;
    const block = takeBlock(p.pool, p.bytes);
    this.slab = block.slab;
    this.at = block.at;
    this.slab.f64[(this.at >> 3) + LAST] = Number.NaN;
    this.slab.f64[(this.at >> 3) + SUSPECT_AT] = Infinity;
    windowClear(this.slab, this.at + windowAt);
  }

  abstract get kind(): DetectorKind;

  /** The configured threshold; a detector without that option (Chen) overrides this. */
  get threshold(): number {
    return this.p.options.threshold as number;
  }

  /** The resolved options (one frozen object shared by detectors with the same ones). */
  get options(): P['options'] {
    return this.p.options;
  }

  abstract heartbeat(nowMs: number, seq?: number): void;

  abstract suspicion(nowMs: number): number;

  suspects(nowMs: number): boolean {
    return nowMs >= this.suspectAtMs();
  }

  suspectAtMs(): number {
    return this.slab.f64[(this.at >> 3) + SUSPECT_AT] as number;
  }

  explain(nowMs: number): DetectorExplanation {
    const lastMs = this.slab.f64[(this.at >> 3) + LAST] as number;
    const heard = !Number.isNaN(lastMs);
    return {
      kind: this.kind,
      suspicion: this.suspicion(nowMs),
      threshold: this.threshold,
      suspects: this.suspects(nowMs),
      lastArrivalMs: heard ? lastMs : null,
      elapsedMs: heard ? Math.max(0, nowMs - lastMs) : null,
      suspectAtMs: this.suspectAtMs(),
      details: this.details(heard),
    };
  }

  /** Own fields (3) and the block (with a slab of its own when there is no pool). */
  memoryBytes(): number {
    const own = this.p.pool === undefined ? OWN_SLAB_BYTES : 0;
    return objectBytes(3) + blockBytes(this.p.bytes) + own;
  }

  /**
   * An independent copy in the same state, of the same class: the same shared params and a block
   * of its own (from the same pool, given back by the copy's `dispose()`) holding this one's
   * bytes. The three own fields are all the state outside the block, so they are set directly.
   */
  clone(): this {
    const p = this.p;
    const block = takeBlock(p.pool, p.bytes);
    const from = this.at >> 3;
    // Same-type typed arrays copy bytes unchanged (the float32 samples in the block included).
    block.slab.f64.set(this.slab.f64.subarray(from, from + blockBytes(p.bytes) / 8), block.at >> 3);
    const copy = Object.create(Object.getPrototypeOf(this) as object) as this;
    return Object.assign(copy, { p, slab: block.slab, at: block.at });
  }

  /** Returns the block to the pool (nothing to do without one). */
  dispose(): void {
    const pool = this.p.pool;
    if (pool === undefined || this.at < 0) return;
    pool.release(this.slab, this.at, this.p.bytes);
    this.at = -1;
  }

  /** The detector's own part of `explain()`; `heard` once there has been an arrival. */
  protected abstract details(heard: boolean): Record<string, number>;
}

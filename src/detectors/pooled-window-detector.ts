import type { DetectorExplanation, DetectorKind, FailureDetector } from './detector.js';
import { explanation } from './explanation.js';
import { objectBytes } from './footprint.js';
import { reconcileLevel } from './level.js';
import {
  type Slab,
  windowBytes,
  windowCapacity,
  windowClear,
  windowPush,
  windowToArray,
} from './slab-window.js';
import {
  blockBytes,
  OWN_SLAB_BYTES,
  sharedParams,
  takeBlock,
  type SamplePool,
} from './sample-pool.js';

/**
 * The window a windowed detector keeps unless told otherwise: 32 samples estimate a steady link's
 * mean within a few percent, adapt faster than the 1000 Akka and Cassandra keep, and keep a
 * million nodes in a few hundred megabytes (each detector's `windowSize` says more).
 */
export const DEFAULT_WINDOW_SIZE = 32;

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
const LAST = 0;
const SUSPECT_AT = 1;

/**
 * What the windowed detectors (φ accrual, Cassandra's φ, Chen) have in common: one block of bytes
 * from a `SamplePool` (or a small slab of their own) holding their float64 fields and their sample
 * window, one shared params object per spec, and the verdict time cached in the block at each
 * arrival, so `suspectAtMs()` is one read. `heartbeat()` keeps the last arrival and the verdict
 * time; subclasses implement what an arrival records (`record`), the verdict time it leads to
 * (`verdictAtMs`), the suspicion level (`level`) and the `details` of `explain()`.
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

  /**
   * An arrival at `nowMs` (ignored when not finite or before the last one): the detector records
   * it, then the last arrival is `nowMs` and the verdict time is computed afresh.
   */
  heartbeat(nowMs: number, seq?: number): void {
    const f64 = this.slab.f64;
    const d = this.at >> 3;
    const lastMs = f64[d + LAST] as number;
    if (!Number.isFinite(nowMs) || nowMs < lastMs) return;
    if (!this.record(nowMs, lastMs, seq)) return;
    f64[d + LAST] = nowMs;
    f64[d + SUSPECT_AT] = this.verdictAtMs(nowMs);
  }

  /** The suspicion level at `nowMs`, reconciled with the verdict time; 0 before the first arrival. */
  suspicion(nowMs: number): number {
    const lastMs = this.lastArrivalMs;
    if (Number.isNaN(lastMs)) return 0;
    return reconcileLevel(this.level(nowMs, lastMs), nowMs, this.suspectAtMs(), this.threshold);
  }

  suspects(nowMs: number): boolean {
    return nowMs >= this.suspectAtMs();
  }

  suspectAtMs(): number {
    return this.slab.f64[(this.at >> 3) + SUSPECT_AT] as number;
  }

  explain(nowMs: number): DetectorExplanation {
    const lastMs = this.lastArrivalMs;
    return explanation(this, nowMs, lastMs, this.details(!Number.isNaN(lastMs)));
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

  /** The last accepted arrival; NaN before the first. */
  protected get lastArrivalMs(): number {
    return this.slab.f64[(this.at >> 3) + LAST] as number;
  }

  /** Adds a sample to the window at byte `windowAt` of the block. */
  protected push(windowAt: number, value: number): void {
    windowPush(this.slab, this.at + windowAt, this.p.capacity, value);
  }

  /** The last `max` samples of the window at byte `windowAt` of the block, oldest first. */
  protected lastSamples(windowAt: number, max: number): number[] {
    const all = windowToArray(this.slab, this.at + windowAt, this.p.capacity);
    return all.slice(Math.max(0, all.length - Math.max(0, Math.floor(max))));
  }

  /**
   * Records an arrival at `nowMs` in the block; `lastMs` is the last one (NaN before the first)
   * and `suspectAtMs()` still the verdict time before it. Returns false to ignore the arrival
   * (the last arrival and the verdict then stay as they were).
   */
  protected abstract record(nowMs: number, lastMs: number, seq: number | undefined): boolean;

  /** The verdict time after an arrival at `nowMs` (already the last arrival). */
  protected abstract verdictAtMs(nowMs: number): number;

  /** The suspicion level at `nowMs`, the last arrival at `lastMs` (before reconciling). */
  protected abstract level(nowMs: number, lastMs: number): number;

  /** The detector's own part of `explain()`; `heard` once there has been an arrival. */
  protected abstract details(heard: boolean): Record<string, number>;
}

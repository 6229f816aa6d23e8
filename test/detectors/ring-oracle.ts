/**
 * The test oracle of the windowed detectors' sample window: `Ring`, the window as a plain object
 * (test/detectors/ring.test.ts checks the block form in src/detectors/slab-window.ts against it).
 */
import { MAX_DETECTOR_WINDOW } from '../../src/core/limits.js';
import {
  FIELD_BYTES,
  OBJECT_HEADER_BYTES,
  TYPED_ARRAY_HEADER_BYTES,
} from '../../src/detectors/footprint.js';
import { WINDOW_VALUE_LIMIT } from '../../src/detectors/slab-window.js';

/**
 * A fixed-capacity window of the last `capacity` samples in a `Float32Array`, with a running sum
 * and sum of squares so mean and variance are O(1): the algorithm of the windowed detectors'
 * sample window, written as an object of its own, plainly, as the oracle the block form
 * (src/detectors/slab-window.ts) is checked against bit for bit.
 *
 * Precision: samples are stored as float32 (integers are exact up to 2^24 ms ≈ 4.6 h; fractional
 * milliseconds keep about 7 significant digits) and the sums are float64 of exactly the stored
 * values. Adding and removing values lets rounding error creep into the sums, so they are
 * recomputed from the stored samples every `capacity` pushes (O(1) amortised) and at once when
 * the value leaving the window dominates the sum of squares (where subtraction would cancel).
 */
export class Ring {
  readonly capacity: number;
  private readonly values: Float32Array;
  /** Index the next sample is written to. */
  private head = 0;
  private size = 0;
  private total = 0;
  private totalSquares = 0;
  private pushesSinceRecompute = 0;

  /** `capacity` is clamped to 1…MAX_DETECTOR_WINDOW; the registry rejects anything else first. */
  constructor(capacity: number) {
    const whole = Number.isFinite(capacity) ? Math.floor(capacity) : 1;
    this.capacity = Math.min(MAX_DETECTOR_WINDOW, Math.max(1, whole));
    this.values = new Float32Array(this.capacity);
  }

  /** Samples held (at most `capacity`). */
  get count(): number {
    return this.size;
  }

  /** Sum of the samples held. */
  get sum(): number {
    return this.total;
  }

  /** Mean of the samples held; 0 when empty. */
  get mean(): number {
    return this.size === 0 ? 0 : this.total / this.size;
  }

  /** Population variance (Σx²/n − mean², as Akka computes it), never negative; 0 when empty. */
  get variance(): number {
    if (this.size === 0) return 0;
    const mean = this.total / this.size;
    const variance = this.totalSquares / this.size - mean * mean;
    return variance > 0 ? variance : 0;
  }

  /** Population standard deviation; 0 when empty. */
  get stdDeviation(): number {
    return Math.sqrt(this.variance);
  }

  /** Adds a sample, evicting the oldest when full. Non-finite samples are ignored. */
  push(value: number): void {
    if (!Number.isFinite(value)) return;
    const stored = Math.fround(Math.min(WINDOW_VALUE_LIMIT, Math.max(-WINDOW_VALUE_LIMIT, value)));
    let recompute = false;
    if (this.size === this.capacity) {
      const old = this.values[this.head] as number;
      const oldSquare = old * old;
      this.total -= old;
      this.totalSquares -= oldSquare;
      recompute = oldSquare > this.totalSquares;
    } else {
      this.size++;
    }
    this.values[this.head] = stored;
    this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
    this.total += stored;
    this.totalSquares += stored * stored;
    if (recompute || ++this.pushesSinceRecompute >= this.capacity) this.recompute();
  }

  /** The most recently pushed sample; 0 when empty. */
  latest(): number {
    if (this.size === 0) return 0;
    return this.values[this.head === 0 ? this.capacity - 1 : this.head - 1] as number;
  }

  /**
   * Subtracts `delta` from every sample (O(capacity)). Used to re-express samples relative to a
   * new origin so they stay small and precise in float32.
   */
  shift(delta: number): void {
    if (!Number.isFinite(delta) || delta === 0) return;
    for (let k = 0; k < this.size; k++) {
      const i = this.indexOf(k);
      const moved = (this.values[i] as number) - delta;
      this.values[i] = Math.min(WINDOW_VALUE_LIMIT, Math.max(-WINDOW_VALUE_LIMIT, moved));
    }
    this.recompute();
  }

  /** Forgets every sample. */
  clear(): void {
    this.head = 0;
    this.size = 0;
    this.total = 0;
    this.totalSquares = 0;
    this.pushesSinceRecompute = 0;
  }

  /** The samples held, oldest first (for tests and explanations; allocates). */
  toArray(): number[] {
    const out: number[] = [];
    for (let k = 0; k < this.size; k++) out.push(this.values[this.indexOf(k)] as number);
    return out;
  }

  /** Bytes held by the model in footprint.ts: seven fields, the header and the samples. */
  memoryBytes(): number {
    return OBJECT_HEADER_BYTES + 7 * FIELD_BYTES + TYPED_ARRAY_HEADER_BYTES + 4 * this.capacity;
  }

  /** Storage index of the k-th oldest sample. */
  private indexOf(k: number): number {
    const start = this.size === this.capacity ? this.head : 0;
    const i = start + k;
    return i >= this.capacity ? i - this.capacity : i;
  }

  private recompute(): void {
    let total = 0;
    let totalSquares = 0;
    for (let k = 0; k < this.size; k++) {
      const v = this.values[this.indexOf(k)] as number;
      total += v;
      totalSquares += v * v;
    }
    this.total = total;
    this.totalSquares = totalSquares;
    this.pushesSinceRecompute = 0;
  }
}

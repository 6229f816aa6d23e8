/**
 * The quantile detector's interval estimator (quantile.ts): the sender's real interval, measured
 * from the last arrivals and their sequence numbers, and how turbulent the last few gaps were. A
 * sender that announces the wrong interval, or a sequential pinger that is not periodic at all,
 * is read right once the window spans enough sequence steps.
 */
import { TYPED_ARRAY_HEADER_BYTES } from './footprint.js';

/** Sequence steps the window must span before its own interval estimate replaces the sender's. */
export const MIN_SPAN_STEPS = 8;
/** Gaps the turbulence looks back over. */
const TURBULENCE_GAPS = 4;

/**
 * The last `windowSize` arrivals (time and sequence number) in two `Float64Array` rings. The
 * interval is the mean time per sequence step across the window, so lost heartbeats (sequence
 * gaps) do not stretch it.
 */
export class IntervalEstimator {
  private readonly arrivalMs: Float64Array;
  private readonly seqs: Float64Array;
  /** Arrivals held in the rings, and the index of the next write. */
  private arrivals = 0;
  private head = 0;

  /**
   * @param windowSize arrivals kept (at least 2 for any estimate of its own)
   * @param senderIntervalMs the interval the sender announced: the estimate until the window
   *   spans `MIN_SPAN_STEPS` sequence steps
   */
  constructor(
    readonly windowSize: number,
    private readonly senderIntervalMs: number,
  ) {
    this.arrivalMs = new Float64Array(windowSize);
    this.seqs = new Float64Array(windowSize);
  }

  /** Records an arrival at `nowMs` with (normalised, increasing) sequence number `seq`. */
  add(nowMs: number, seq: number): void {
    this.arrivalMs[this.head] = nowMs;
    this.seqs[this.head] = seq;
    this.head = this.head + 1 === this.windowSize ? 0 : this.head + 1;
    if (this.arrivals < this.windowSize) this.arrivals++;
  }

  /** Forgets every arrival (the sender restarted its numbering: measure afresh). */
  reset(): void {
    this.arrivals = 0;
    this.head = 0;
  }

  /** Mean time per sequence step across the window; the sender's word until it spans enough. */
  intervalMs(): number {
    if (this.arrivals < 2) return this.senderIntervalMs;
    const newest = this.index(0);
    const oldest = this.index(this.arrivals - 1);
    const steps = (this.seqs[newest] as number) - (this.seqs[oldest] as number);
    const spanMs = (this.arrivalMs[newest] as number) - (this.arrivalMs[oldest] as number);
    if (steps < MIN_SPAN_STEPS || !(spanMs > 0)) return this.senderIntervalMs;
    return spanMs / steps;
  }

  /** Largest deviation of the last few inter-arrival gaps from `intervalMs`, in intervals. */
  turbulence(intervalMs: number): number {
    let worst = 0;
    const n = Math.min(this.arrivals - 1, TURBULENCE_GAPS);
    for (let b = 0; b < n; b++) {
      const gap =
        (this.arrivalMs[this.index(b)] as number) - (this.arrivalMs[this.index(b + 1)] as number);
      worst = Math.max(worst, Math.abs(gap / intervalMs - 1));
    }
    return worst;
  }

  /** Takes on `other`'s state (an estimator of the same window, for a copy of its detector). */
  copyFrom(other: IntervalEstimator): void {
    this.arrivalMs.set(other.arrivalMs);
    this.seqs.set(other.seqs);
    this.arrivals = other.arrivals;
    this.head = other.head;
  }

  /** The interval the sender announced. */
  get announcedMs(): number {
    return this.senderIntervalMs;
  }

  /** Bytes of its two rings (its few fields are counted with the detector's, see quantile.ts). */
  memoryBytes(): number {
    return 2 * TYPED_ARRAY_HEADER_BYTES + 8 * 2 * this.windowSize;
  }

  /** Index in the rings of the `back`-th newest arrival (0 = newest). */
  private index(back: number): number {
    const i = this.head - 1 - back; // back < windowSize: at most one lap behind
    return i < 0 ? i + this.windowSize : i;
  }
}

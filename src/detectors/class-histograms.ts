/**
 * The quantile detector's wait histograms (quantile.ts): one per class of arrival and a pooled one
 * of every wait, whose weights decay with a half-life, with the tail fitted to each and the
 * quantiles read from them (wait-histogram.ts has the bins and the quantile arithmetic).
 */
import { TYPED_ARRAY_HEADER_BYTES } from './footprint.js';
import {
  MIN_TAIL_SCALE,
  survivalQuantile,
  tailQuantile,
  tailScale,
  WAIT_BINS,
  waitBin,
} from './wait-histogram.js';

/** Weights are kept as 2^(t/halfLife) and rescaled long before they overflow single precision. */
const RESCALE_ABOVE = 2 ** 64;

/**
 * `classes` wait histograms and the pooled one (index `classes`, `pooled`) in one `Float32Array`,
 * with each one's total weight and sample count. Newer samples weigh more: each weight is
 * 2^(age / halfLife) times the first one's (`decay`), which decays the old ones without touching
 * them; all weights are rescaled together before they overflow. A wait is counted in its class
 * and in the pooled histogram; `move` refiles one from a class to another.
 */
export class ClassHistograms {
  /** Index of the pooled histogram. */
  readonly pooled: number;
  private readonly counts: Float32Array;
  /** Total weight and samples per histogram. */
  private readonly weight: Float64Array;
  private readonly samples: Float64Array;
  /** Tail scale (intervals) per histogram, fitted by `fitTails`. */
  private readonly scale: Float64Array;
  /** Longest wait seen per class: a longer one makes the fitted tails stale at once. */
  private readonly longest: Float64Array;
  /** The weight of the next sample. */
  private sampleWeight = 1;
  /** A class saw a wait longer than any before, or a wait was moved, since the last fit. */
  private changed = true;

  constructor(
    readonly classes: number,
    private readonly halfLifeMs: number,
  ) {
    this.pooled = classes;
    this.counts = new Float32Array((classes + 1) * WAIT_BINS);
    this.weight = new Float64Array(classes + 1);
    this.samples = new Float64Array(classes + 1);
    this.scale = new Float64Array(classes + 1);
    this.longest = new Float64Array(classes).fill(-Infinity);
  }

  /** The weight a sample added now is counted with (older ones weigh less by their age). */
  get currentWeight(): number {
    return this.sampleWeight;
  }

  /** Waits counted in all. */
  get total(): number {
    return this.samples[this.pooled] as number;
  }

  /** Whether the shape changed since the last `fitTails` (a new longest wait, a moved one). */
  get stale(): boolean {
    return this.changed;
  }

  /**
   * Ages every sample by `elapsedMs` (the next one weighs 2^(elapsed / halfLife) more). Returns
   * the factor every weight was divided by when they were rescaled, else 1: whoever keeps weights
   * of the same unit divides them too.
   */
  decay(elapsedMs: number): number {
    this.sampleWeight *= 2 ** (Math.max(0, elapsedMs) / this.halfLifeMs);
    if (this.sampleWeight <= RESCALE_ABOVE && Number.isFinite(this.sampleWeight)) return 1;
    const factor =
      this.sampleWeight > 0 && Number.isFinite(this.sampleWeight) ? this.sampleWeight : 1;
    for (let i = 0; i < this.counts.length; i++) {
      this.counts[i] = (this.counts[i] as number) / factor;
    }
    for (let c = 0; c <= this.classes; c++) {
      this.weight[c] = (this.weight[c] as number) / factor;
    }
    this.sampleWeight = 1;
    return factor;
  }

  /** Counts a wait (in intervals) in class `c` and the pooled histogram; returns its bin. */
  add(c: number, waitIntervals: number): number {
    const bin = waitBin(waitIntervals);
    this.count(c, bin);
    this.count(this.pooled, bin);
    if (waitIntervals > (this.longest[c] as number)) {
      this.longest[c] = waitIntervals;
      this.changed = true;
    }
    return bin;
  }

  /** Refiles a wait counted in class `from` (bin `bin`, weight `w`) under class `to`. */
  move(from: number, to: number, bin: number, w: number): void {
    const a = from * WAIT_BINS + bin;
    const b = to * WAIT_BINS + bin;
    this.counts[a] = Math.max(0, (this.counts[a] as number) - w);
    this.counts[b] = (this.counts[b] as number) + w;
    this.weight[from] = Math.max(0, (this.weight[from] as number) - w);
    this.weight[to] = (this.weight[to] as number) + w;
    this.samples[from] = Math.max(0, (this.samples[from] as number) - 1);
    this.samples[to] = (this.samples[to] as number) + 1;
    this.changed = true;
  }

  /** Class `c`'s own histogram once it holds `minSamples` samples, else the pooled one. */
  ownOrPooled(c: number, minSamples: number): number {
    return (this.samples[c] as number) >= minSamples ? c : this.pooled;
  }

  /** Total weight of histogram `c`. */
  weightOf(c: number): number {
    return this.weight[c] as number;
  }

  /** Samples of histogram `c`, discounted by their decay. */
  effectiveSamples(c: number): number {
    return Math.min(this.samples[c] as number, (this.weight[c] as number) / this.sampleWeight);
  }

  /** Fits the exponential tail of every histogram (`tailScale`); the shape is then current. */
  fitTails(): void {
    this.changed = false;
    for (let c = 0; c <= this.classes; c++) {
      const w = this.weight[c] as number;
      this.scale[c] =
        w > 0 ? tailScale(this.counts, w, this.effectiveSamples(c), c * WAIT_BINS) : MIN_TAIL_SCALE;
    }
  }

  /** The tail scale of histogram `c` (intervals), as last fitted. */
  tailScaleOf(c: number): number {
    return this.scale[c] as number;
  }

  /** The wait (intervals) beyond which a share `p` of histogram `c`'s weight lies. */
  survival(c: number, p: number): number {
    return survivalQuantile(this.counts, this.weight[c] as number, p, c * WAIT_BINS);
  }

  /** The wait (intervals) exceeded with probability `p`, the fitted tail beyond the samples. */
  quantile(c: number, p: number): number {
    return tailQuantile(
      this.counts,
      this.weight[c] as number,
      this.effectiveSamples(c),
      p,
      this.scale[c],
      c * WAIT_BINS,
    );
  }

  /** Takes on `other`'s state (histograms of as many classes, for a copy of their detector). */
  copyFrom(other: ClassHistograms): void {
    this.counts.set(other.counts);
    this.weight.set(other.weight);
    this.samples.set(other.samples);
    this.scale.set(other.scale);
    this.longest.set(other.longest);
    this.sampleWeight = other.sampleWeight;
    this.changed = other.changed;
  }

  /**
   * Bytes of its five typed arrays (its few fields are counted with the detector's, see
   * quantile.ts).
   */
  memoryBytes(): number {
    return (
      5 * TYPED_ARRAY_HEADER_BYTES + 4 * (this.classes + 1) * WAIT_BINS + 8 * (4 * this.classes + 3)
    );
  }

  /** Adds the current sample weight to one histogram's bin and totals. */
  private count(c: number, bin: number): void {
    const i = c * WAIT_BINS + bin;
    this.counts[i] = (this.counts[i] as number) + this.sampleWeight;
    this.weight[c] = (this.weight[c] as number) + this.sampleWeight;
    this.samples[c] = (this.samples[c] as number) + 1;
  }
}

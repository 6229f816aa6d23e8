import type { DetectorContext } from './detector.js';
import {
  DEFAULT_WINDOW_SIZE,
  PooledWindowDetector,
  windowParams,
  type WindowParams,
} from './pooled-window-detector.js';
import { windowCount, windowMean, windowStdDeviation } from './slab-window.js';

/**
 * Options of the φ accrual detector. Akka cluster's defaults assume a 1 s heartbeat; ours keep
 * the same proportions for whatever interval the sender announces (`intervalMs`).
 */
export interface PhiAccrualOptions {
  /**
   * φ at or above which the node is suspected.
   * @default 8 — Akka cluster's `failure-detector.threshold`: with the normal model, a mistake
   * rate around 10⁻⁸ per check on a steady link.
   */
  threshold?: number;
  /**
   * Floor of the standard deviation, in ms, so a very regular sender does not make φ jump at the
   * first slightly late beat.
   * @default intervalMs / 10 — Akka's 100 ms for its 1 s interval.
   */
  minStdDeviationMs?: number;
  /**
   * Pause (lost or delayed beats, GC) tolerated on top of the mean interval, in ms.
   * @default 3 × intervalMs — Akka's 3 s for its 1 s interval.
   */
  acceptableHeartbeatPauseMs?: number;
  /**
   * Inter-arrival samples kept for the mean and standard deviation.
   * @default 32 — Akka keeps 1000; 32 estimate a steady link's mean within a few percent and σ
   * within about 15 %, adapt faster, and keep a million nodes near half a gigabyte.
   */
  windowSize?: number;
  /**
   * Interval assumed before there is history, in ms; the history starts with two samples,
   * estimate ± estimate/4 (so the mean is the estimate and σ = estimate/4), as Akka does.
   * @default intervalMs — Akka uses its configured heartbeat interval.
   */
  firstHeartbeatEstimateMs?: number;
}

/** Akka cluster's threshold (see `PhiAccrualOptions.threshold`). */
export const DEFAULT_PHI_THRESHOLD = 8;

/** Fills in the documented defaults for a sender with interval `intervalMs`. */
export function resolvePhiAccrualOptions(
  options: PhiAccrualOptions,
  context: DetectorContext,
): Required<PhiAccrualOptions> {
  const intervalMs = context.intervalMs;
  return {
    threshold: options.threshold ?? DEFAULT_PHI_THRESHOLD,
    minStdDeviationMs: options.minStdDeviationMs ?? intervalMs / 10,
    acceptableHeartbeatPauseMs: options.acceptableHeartbeatPauseMs ?? 3 * intervalMs,
    windowSize: options.windowSize ?? DEFAULT_WINDOW_SIZE,
    firstHeartbeatEstimateMs: options.firstHeartbeatEstimateMs ?? intervalMs,
  };
}

/** Coefficients of the logistic approximation of the normal CDF used by Akka. */
const A1 = 1.5976;
const A3 = 0.070566;

/**
 * φ as Akka/Pekko's `PhiAccrualFailureDetector.phi(timeDiff, mean, stdDeviation)` computes it:
 * `y = (t − mean)/σ`, `e = exp(−y(1.5976 + 0.070566y²))`, and φ = −log10(e/(1+e)) for t > mean,
 * −log10(1 − 1/(1+e)) otherwise. Both branches equal log10(1 + exp(z)) with z = y(1.5976 +
 * 0.070566y²); this evaluates that softplus form, which agrees with Akka's expressions to
 * rounding wherever they are finite and stays finite where Akka's `exp` underflows to φ = ∞.
 */
export function akkaPhi(elapsedMs: number, meanMs: number, stdDeviationMs: number): number {
  const y = (elapsedMs - meanMs) / stdDeviationMs;
  const z = y * (A1 + A3 * y * y);
  const softplus = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
  return softplus / Math.LN10;
}

/**
 * The standardised time `y` at which `akkaPhi` equals `threshold`, in closed form. With
 * p = 10^−threshold, e/(1+e) = p gives e = p/(1−p), so z = −ln e = ln(10^threshold − 1), and
 * y(1.5976 + 0.070566y²) = z is the depressed cubic y³ + Py + Q = 0 with P = 1.5976/0.070566 > 0
 * and Q = −z/0.070566. P > 0 means exactly one real root, which Cardano's formula gives; it is
 * written as s·(A − P/(3A)) with A = ∛(|Q|/2 + √(Q²/4 + P³/27)) to avoid cancellation.
 */
export function akkaPhiInverse(threshold: number): number {
  // z = ln(10^θ − 1) = θ·ln 10 + ln(1 − 10^−θ), written so neither a large nor a small θ overflows.
  const z = threshold * Math.LN10 + Math.log(-Math.expm1(-threshold * Math.LN10));
  const p = A1 / A3;
  const q = -z / A3;
  const a = Math.cbrt(Math.abs(q) / 2 + Math.sqrt((q * q) / 4 + (p * p * p) / 27));
  const y = a - p / (3 * a);
  return q > 0 ? -y : y;
}

/**
 * The φ accrual failure detector (Hayashibara et al. 2004) exactly as Akka/Pekko compute it:
 * inter-arrival times are modelled as a normal distribution whose mean (plus the acceptable
 * pause) and standard deviation (floored at `minStdDeviationMs`) come from the last `windowSize`
 * intervals, and φ = −log10(1 − F(elapsed)) with Akka's logistic approximation of F.
 *
 * As in Akka: the first heartbeat seeds the history with estimate ± estimate/4; an interval is
 * recorded only if the node was not suspected when its heartbeat arrived (the first beat after
 * a failure would skew the statistics). The verdict time is computed in closed form once per
 * arrival (`akkaPhiInverse(threshold)` is a constant), so `suspectAtMs()` is O(1).
 *
 * Memory: the window and the two float64 fields (last arrival, verdict time) live in one block of
 * bytes (see sample-pool.ts), from `context.samplePool` when given; the effective mean and
 * standard deviation are recomputed from the window when asked for, with the same operations, so
 * they equal what was used at the last arrival. Detectors with the same options share one frozen
 * `options` object.
 */
export class PhiAccrualDetector extends PooledWindowDetector<PhiParams> {
  constructor(options: PhiAccrualOptions, context: DetectorContext) {
    const resolved = resolvePhiAccrualOptions(options, context);
    const key = `phi-accrual ${resolved.threshold} ${resolved.minStdDeviationMs} ${resolved.acceptableHeartbeatPauseMs} ${resolved.windowSize} ${resolved.firstHeartbeatEstimateMs}`;
    super(
      windowParams(context.samplePool, key, resolved, WINDOW, () => ({
        yAtThreshold: akkaPhiInverse(resolved.threshold),
      })),
      WINDOW,
    );
  }

  get kind(): 'phi-accrual' {
    return 'phi-accrual';
  }

  /** The window's intervals, oldest first: its warm-up after a monitor restart. */
  recentIntervals(max: number): number[] {
    return this.lastSamples(WINDOW, max);
  }

  /** Seeds the window at the first arrival; then records the interval unless it was suspected. */
  protected record(nowMs: number, lastMs: number): boolean {
    if (Number.isNaN(lastMs)) {
      const estimate = this.p.options.firstHeartbeatEstimateMs;
      this.push(WINDOW, estimate - estimate / 4);
      this.push(WINDOW, estimate + estimate / 4);
    } else if (nowMs < this.suspectAtMs()) {
      this.push(WINDOW, nowMs - lastMs);
    }
    return true;
  }

  protected verdictAtMs(nowMs: number): number {
    return nowMs + this.meanMs() + this.p.yAtThreshold * this.stdDeviationMs();
  }

  /** φ. */
  protected level(nowMs: number, lastMs: number): number {
    return akkaPhi(nowMs - lastMs, this.meanMs(), this.stdDeviationMs());
  }

  protected details(heard: boolean): Record<string, number> {
    const { slab, p } = this;
    const w = this.at + WINDOW;
    return {
      samples: windowCount(slab, w, p.capacity),
      meanIntervalMs: windowMean(slab, w, p.capacity),
      stdDeviationMs: windowStdDeviation(slab, w, p.capacity),
      effectiveMeanMs: heard ? this.meanMs() : 0,
      effectiveStdDeviationMs: heard ? this.stdDeviationMs() : 0,
      acceptableHeartbeatPauseMs: p.options.acceptableHeartbeatPauseMs,
      minStdDeviationMs: p.options.minStdDeviationMs,
    };
  }

  /** Mean interval plus the acceptable pause, from the window as it is. */
  private meanMs(): number {
    const p = this.p;
    return (
      windowMean(this.slab, this.at + WINDOW, p.capacity) + p.options.acceptableHeartbeatPauseMs
    );
  }

  /** Standard deviation of the window, floored at `minStdDeviationMs`. */
  private stdDeviationMs(): number {
    const p = this.p;
    return Math.max(
      windowStdDeviation(this.slab, this.at + WINDOW, p.capacity),
      p.options.minStdDeviationMs,
    );
  }
}

/** Constants shared by every φ accrual detector with the same resolved options and pool. */
interface PhiParams extends WindowParams<Required<PhiAccrualOptions>> {
  /** Standardised time at which φ reaches the threshold. */
  yAtThreshold: number;
}

/**
 * Block layout: last arrival and verdict time (LAST, SUSPECT_AT, see pooled-window-detector.ts),
 * then the window at byte WINDOW.
 */
const WINDOW = 16;

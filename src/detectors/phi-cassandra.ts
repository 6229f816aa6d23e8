import type { DetectorContext } from './detector.js';
import {
  DEFAULT_WINDOW_SIZE,
  PooledWindowDetector,
  windowParams,
  type WindowParams,
} from './pooled-window-detector.js';
import { windowCount, windowMean } from './slab-window.js';

/**
 * Options of the Cassandra-style φ detector. Cassandra's defaults assume its 1 s gossip
 * interval; ours keep the same proportions for the sender's announced `intervalMs`.
 */
export interface PhiCassandraOptions {
  /**
   * φ at or above which the node is suspected.
   * @default 8 — Cassandra's `phi_convict_threshold`; with the exponential model this is
   * 8 · ln 10 ≈ 18.4 mean intervals of silence.
   */
  threshold?: number;
  /**
   * Inter-arrival samples kept for the mean.
   * @default 32 — Cassandra keeps 1000; the mean of 32 samples is already within a few percent
   * for a steady sender, and a million nodes stay in a few hundred megabytes.
   */
  windowSize?: number;
  /**
   * Intervals longer than this are not recorded, in ms, so an outage does not teach the detector
   * to wait longer next time.
   * @default 2 × intervalMs — Cassandra's MAX_INTERVAL defaults to its initial value, twice the
   * 1 s gossip interval.
   */
  maxIntervalMs?: number;
}

/** Cassandra's `phi_convict_threshold` default. */
export const DEFAULT_CASSANDRA_THRESHOLD = 8;

/**
 * Cassandra's PHI_FACTOR, 1/ln 10: its φ is t/mean (the negative natural log of the exponential
 * survival function) and is scaled by this so that it is −log10, comparable with threshold 8.
 */
export const PHI_FACTOR = 1 / Math.LN10;

/** Floor of the mean interval, in ms: only a burst of same-instant arrivals gets near it. */
const MIN_MEAN_INTERVAL_MS = 0.001;

/** Fills in the documented defaults for a sender with interval `intervalMs`. */
export function resolvePhiCassandraOptions(
  options: PhiCassandraOptions,
  context: DetectorContext,
): Required<PhiCassandraOptions> {
  return {
    threshold: options.threshold ?? DEFAULT_CASSANDRA_THRESHOLD,
    windowSize: options.windowSize ?? DEFAULT_WINDOW_SIZE,
    maxIntervalMs: options.maxIntervalMs ?? 2 * context.intervalMs,
  };
}

/** φ as Cassandra computes it: PHI_FACTOR · elapsed / mean (never negative). */
export function cassandraPhi(elapsedMs: number, meanMs: number): number {
  return (PHI_FACTOR * Math.max(0, elapsedMs)) / meanMs;
}

/**
 * φ as Apache Cassandra's `FailureDetector` (class `ArrivalWindow`) computes it: inter-arrival
 * times are modelled as exponential, so −log10 P(no heartbeat for t) = t / mean · 1/ln 10. The
 * first heartbeat records an initial interval of 2 × intervalMs (Cassandra: twice the gossip
 * interval, erring high to avoid flapping); later intervals longer than `maxIntervalMs` are
 * ignored. Suspect once φ ≥ threshold, i.e. at last + threshold · ln 10 · mean (closed form,
 * cached per arrival). Cassandra convicts on φ > threshold; the two differ only at one instant.
 *
 * Memory: the window and the two float64 fields (last arrival, verdict time) live in one block of
 * bytes (see sample-pool.ts), from `context.samplePool` when given; the mean is recomputed from
 * the window when asked for, with the same operations as at the last arrival. Detectors with the
 * same options and interval share one frozen `options` object.
 */
export class PhiCassandraDetector extends PooledWindowDetector<CassandraParams> {
  constructor(options: PhiCassandraOptions, context: DetectorContext) {
    const resolved = resolvePhiCassandraOptions(options, context);
    const initialIntervalMs = 2 * context.intervalMs;
    const key = `phi-cassandra ${resolved.threshold} ${resolved.windowSize} ${resolved.maxIntervalMs} ${initialIntervalMs}`;
    super(
      windowParams(context.samplePool, key, resolved, WINDOW, () => ({ initialIntervalMs })),
      WINDOW,
    );
  }

  get kind(): 'phi-cassandra' {
    return 'phi-cassandra';
  }

  /** Interval recorded at the first arrival: Cassandra's INITIAL_VALUE, twice the interval. */
  get initialIntervalMs(): number {
    return this.p.initialIntervalMs;
  }

  /** The window's intervals, oldest first: its warm-up after a monitor restart. */
  recentIntervals(max: number): number[] {
    return this.lastSamples(WINDOW, max);
  }

  /** The initial interval at the first arrival; then the interval unless it is too long. */
  protected record(nowMs: number, lastMs: number): boolean {
    if (Number.isNaN(lastMs)) this.push(WINDOW, this.p.initialIntervalMs);
    else if (nowMs - lastMs <= this.p.options.maxIntervalMs) this.push(WINDOW, nowMs - lastMs);
    return true;
  }

  protected verdictAtMs(nowMs: number): number {
    return nowMs + (this.threshold / PHI_FACTOR) * this.meanMs();
  }

  /** φ. */
  protected level(nowMs: number, lastMs: number): number {
    return cassandraPhi(nowMs - lastMs, this.meanMs());
  }

  protected details(heard: boolean): Record<string, number> {
    return {
      samples: windowCount(this.slab, this.at + WINDOW, this.p.capacity),
      meanIntervalMs: heard ? this.meanMs() : 0,
      maxIntervalMs: this.p.options.maxIntervalMs,
      initialIntervalMs: this.p.initialIntervalMs,
    };
  }

  /** The window's mean, floored at MIN_MEAN_INTERVAL_MS. */
  private meanMs(): number {
    return Math.max(MIN_MEAN_INTERVAL_MS, windowMean(this.slab, this.at + WINDOW, this.p.capacity));
  }
}

/** Constants shared by every Cassandra φ detector with the same options, interval and pool. */
interface CassandraParams extends WindowParams<Required<PhiCassandraOptions>> {
  initialIntervalMs: number;
}

/**
 * Block layout: last arrival and verdict time (LAST, SUSPECT_AT, see pooled-window-detector.ts),
 * then the window at byte WINDOW.
 */
const WINDOW = 16;

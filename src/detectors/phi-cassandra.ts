import type { DetectorContext, DetectorExplanation, FailureDetector } from './detector.js';
import { objectBytes } from './footprint.js';
import { reconcileLevel } from './level.js';
import { Ring } from './ring.js';

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

/** All options resolved to numbers. */
export type ResolvedPhiCassandraOptions = Required<PhiCassandraOptions>;

/** Cassandra's `phi_convict_threshold` default. */
export const DEFAULT_CASSANDRA_THRESHOLD = 8;
/** Default window (see `PhiCassandraOptions.windowSize`). */
export const DEFAULT_CASSANDRA_WINDOW = 32;

/**
 * Cassandra's PHI_FACTOR, 1/ln 10: its φ is t/mean (the negative natural log of the exponential
 * survival function) and is scaled by this so that it is −log10, comparable with threshold 8.
 */
export const PHI_FACTOR = 1 / Math.LN10;

/** Floor of the mean interval, in ms: only a burst of same-instant arrivals gets near it. */
export const MIN_MEAN_INTERVAL_MS = 0.001;

/** Fills in the documented defaults for a sender with interval `intervalMs`. */
export function resolvePhiCassandraOptions(
  options: PhiCassandraOptions,
  context: DetectorContext,
): ResolvedPhiCassandraOptions {
  return {
    threshold: options.threshold ?? DEFAULT_CASSANDRA_THRESHOLD,
    windowSize: options.windowSize ?? DEFAULT_CASSANDRA_WINDOW,
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
 */
export class PhiCassandraDetector implements FailureDetector {
  readonly kind = 'phi-cassandra' as const;
  readonly threshold: number;
  readonly options: ResolvedPhiCassandraOptions;
  /** Interval recorded at the first arrival: Cassandra's INITIAL_VALUE, twice the interval. */
  readonly initialIntervalMs: number;
  private readonly intervals: Ring;
  private lastMs = Number.NaN;
  private meanMs = 1;
  private suspectAt = Infinity;

  constructor(options: PhiCassandraOptions, context: DetectorContext) {
    this.options = resolvePhiCassandraOptions(options, context);
    this.threshold = this.options.threshold;
    this.initialIntervalMs = 2 * context.intervalMs;
    this.intervals = new Ring(this.options.windowSize);
  }

  heartbeat(nowMs: number): void {
    if (!Number.isFinite(nowMs) || nowMs < this.lastMs) return;
    if (Number.isNaN(this.lastMs)) {
      this.intervals.push(this.initialIntervalMs);
    } else {
      const intervalMs = nowMs - this.lastMs;
      if (intervalMs <= this.options.maxIntervalMs) this.intervals.push(intervalMs);
    }
    this.lastMs = nowMs;
    this.meanMs = Math.max(MIN_MEAN_INTERVAL_MS, this.intervals.mean);
    this.suspectAt = nowMs + (this.threshold / PHI_FACTOR) * this.meanMs;
  }

  /** φ at `nowMs`; 0 before the first arrival. */
  suspicion(nowMs: number): number {
    if (Number.isNaN(this.lastMs)) return 0;
    const phi = cassandraPhi(nowMs - this.lastMs, this.meanMs);
    return reconcileLevel(phi, nowMs, this.suspectAt, this.threshold);
  }

  suspects(nowMs: number): boolean {
    return nowMs >= this.suspectAt;
  }

  suspectAtMs(): number {
    return this.suspectAt;
  }

  explain(nowMs: number): DetectorExplanation {
    const heard = !Number.isNaN(this.lastMs);
    return {
      kind: this.kind,
      suspicion: this.suspicion(nowMs),
      threshold: this.threshold,
      suspects: this.suspects(nowMs),
      lastArrivalMs: heard ? this.lastMs : null,
      elapsedMs: heard ? Math.max(0, nowMs - this.lastMs) : null,
      suspectAtMs: this.suspectAt,
      details: {
        samples: this.intervals.count,
        meanIntervalMs: heard ? this.meanMs : 0,
        maxIntervalMs: this.options.maxIntervalMs,
        initialIntervalMs: this.initialIntervalMs,
      },
    };
  }

  /** Own fields (7) plus the options object (3 fields) and the ring. */
  memoryBytes(): number {
    return objectBytes(7) + objectBytes(3) + this.intervals.memoryBytes();
  }
}

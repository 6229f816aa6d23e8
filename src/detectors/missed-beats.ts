import type { DetectorContext, DetectorExplanation, FailureDetector } from './detector.js';
import { objectBytes } from './footprint.js';
import { explanation } from './explanation.js';
import { reconcileLevel } from './level.js';
import { sharedParams } from './sample-pool.js';

/** Options of the missed-beats detector. */
export interface MissedBeatsOptions {
  /**
   * Whole expected intervals that may pass with nothing before the node is suspected.
   * @default 3 — Kubernetes probes' `failureThreshold` default: one lost beat and one late beat
   * are noise, a third silent interval is not.
   */
  failureThreshold?: number;
}

/** The default `failureThreshold` (see `MissedBeatsOptions`). */
export const DEFAULT_FAILURE_THRESHOLD = 3;

/**
 * Bytes held: two fields (the shared constants and the last arrival) and the object header (see
 * docs/DETECTORS.md).
 */
const MISSED_BEATS_BYTES = objectBytes(2);

/**
 * Counts missed heartbeats the way Redis Sentinel and Kubernetes probes do: the node is suspected
 * once `failureThreshold` expected intervals (the sender's announced `intervalMs`) pass with no
 * heartbeat. The suspicion level is the number of *whole* intervals missed,
 * `floor((now − last) / intervalMs)`, so it reads as a count ("2 beats missed"), never decreases
 * while silence grows, and reaches `failureThreshold` exactly at `suspectAtMs()`.
 */
export class MissedBeatsDetector implements FailureDetector {
  /** The threshold and interval, one frozen object for every detector with the same ones. */
  private readonly p: MissedBeatsParams;
  private lastMs = Number.NaN;

  constructor(options: MissedBeatsOptions, context: DetectorContext) {
    const threshold = options.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD;
    const intervalMs = context.intervalMs;
    this.p = sharedParams(undefined, `missed-beats ${threshold} ${intervalMs}`, () => ({
      threshold,
      intervalMs,
    }));
  }

  get kind(): 'missed-beats' {
    return 'missed-beats';
  }

  /** Whole silent intervals at which the node is suspected (`failureThreshold`). */
  get threshold(): number {
    return this.p.threshold;
  }

  /** The sender's interval. */
  get intervalMs(): number {
    return this.p.intervalMs;
  }

  heartbeat(nowMs: number): void {
    if (Number.isFinite(nowMs) && !(nowMs < this.lastMs)) this.lastMs = nowMs;
  }

  /** Whole intervals missed at `nowMs`: 0 before the first arrival. */
  suspicion(nowMs: number): number {
    if (Number.isNaN(this.lastMs)) return 0;
    const missed = Math.floor(Math.max(0, nowMs - this.lastMs) / this.intervalMs);
    return reconcileLevel(missed, nowMs, this.suspectAtMs(), this.threshold);
  }

  suspects(nowMs: number): boolean {
    return nowMs >= this.suspectAtMs();
  }

  suspectAtMs(): number {
    return Number.isNaN(this.lastMs) ? Infinity : this.lastMs + this.threshold * this.intervalMs;
  }

  explain(nowMs: number): DetectorExplanation {
    return explanation(this, nowMs, this.lastMs, {
      intervalMs: this.intervalMs,
      failureThreshold: this.threshold,
      missedBeats: this.suspicion(nowMs),
    });
  }

  memoryBytes(): number {
    return MISSED_BEATS_BYTES;
  }

  /** An independent copy in the same state (and the same shared constants). */
  clone(): MissedBeatsDetector {
    const copy = new MissedBeatsDetector(
      { failureThreshold: this.threshold },
      { intervalMs: this.intervalMs },
    );
    copy.lastMs = this.lastMs;
    return copy;
  }
}

interface MissedBeatsParams {
  threshold: number;
  intervalMs: number;
}

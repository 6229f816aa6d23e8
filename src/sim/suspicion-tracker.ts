import { ConfigError } from '../core/errors.js';
import type { FailureDetector } from '../detectors/detector.js';

/**
 * Follows one detector's verdict through a sequence of arrivals without a clock: after each
 * arrival it knows when the detector will suspect if nothing more comes (`suspectAtMs`), and,
 * when the detector still suspects right after an arrival, since when that suspicion has lasted.
 * Between two arrivals a detector's suspicion only grows, so its verdict flips at most once
 * there, at `suspectAtMs`: this is all the QoS replay needs to know.
 *
 * Convention (docs/QOS.md): a heartbeat arriving exactly at the deadline wins — the detector
 * counts as suspecting before an arrival at `t` only when `suspectAtMs < t`.
 */
export class SuspicionTracker {
  /** Time of the last arrival (NaN before the first). */
  lastMs = Number.NaN;
  /** When the detector suspects if nothing more arrives (Infinity before the first arrival). */
  suspectAtMs = Infinity;
  /** While suspecting right after the last arrival: when that suspicion began; NaN otherwise. */
  suspectSinceMs = Number.NaN;
  /** Set by `arrive`: the suspicion that this arrival ended (a corrected mistake), or NaN. */
  endedSinceMs = Number.NaN;
  /** Set by `arrive`: milliseconds the detector suspected between the previous arrival and this one. */
  suspectedForMs = 0;

  constructor(private readonly detector: FailureDetector) {}

  /**
   * An independent copy (a `clone()` of the detector included), to branch another run off this
   * one. A detector without `clone()` cannot be branched: ConfigError.
   */
  fork(): SuspicionTracker {
    const detector = this.detector.clone?.();
    if (detector === undefined) {
      throw new ConfigError(
        `the QoS replay branches crash runs off a copy of the detector; this ${this.detector.kind} detector has no clone()`,
      );
    }
    const t = new SuspicionTracker(detector);
    t.lastMs = this.lastMs;
    t.suspectAtMs = this.suspectAtMs;
    t.suspectSinceMs = this.suspectSinceMs;
    return t;
  }

  arrive(nowMs: number, seq: number): void {
    const heard = !Number.isNaN(this.lastMs);
    const suspectedBefore = heard && this.suspectAtMs < nowMs;
    const since = suspectedBefore ? this.permanentSuspicionMs() : Number.NaN;
    this.suspectedForMs = suspectedBefore ? nowMs - Math.max(this.lastMs, this.suspectAtMs) : 0;
    this.detector.heartbeat(nowMs, seq);
    const suspectAt = this.detector.suspectAtMs();
    const suspectsNow = suspectAt <= nowMs;
    this.endedSinceMs = suspectedBefore && !suspectsNow ? since : Number.NaN;
    this.suspectSinceMs = suspectsNow ? (suspectedBefore ? since : nowMs) : Number.NaN;
    this.lastMs = nowMs;
    this.suspectAtMs = suspectAt;
  }

  /**
   * When the suspicion that never ends begins, if nothing more arrives: the deadline, or, when
   * the detector already suspects right after the last arrival, the start of that suspicion.
   * Infinity when it would never suspect.
   */
  permanentSuspicionMs(): number {
    return this.suspectAtMs > this.lastMs ? this.suspectAtMs : this.suspectSinceMs;
  }
}

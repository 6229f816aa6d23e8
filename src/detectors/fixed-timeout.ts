import type { DetectorContext, DetectorExplanation, FailureDetector } from './detector.js';
import { explanation } from './explanation.js';
import { reconcileLevel } from './level.js';

/** Options of the fixed-timeout detector. */
export interface FixedTimeoutOptions {
  /**
   * Silence after which the node is suspected, in ms.
   * @default 3 × the sender's interval: one lost heartbeat and a late one are not a failure.
   */
  timeoutMs?: number;
}

/**
 * Bytes held: two number fields plus the object header (see docs/DETECTORS.md); `kind` and
 * `threshold` are the same for every instance and live on the prototype.
 */
const FIXED_TIMEOUT_BYTES = 2 * 8 + 32;

/**
 * The textbook detector: suspect once `timeoutMs` pass with no heartbeat. Its suspicion level is
 * the silence measured in timeouts (1 = suspect), which is non-decreasing and easy to read.
 */
export class FixedTimeoutDetector implements FailureDetector {
  readonly timeoutMs: number;
  private lastMs = Number.NaN;

  constructor(options: FixedTimeoutOptions, context: DetectorContext) {
    this.timeoutMs = options.timeoutMs ?? 3 * context.intervalMs;
  }

  get kind(): 'timeout' {
    return 'timeout';
  }

  get threshold(): 1 {
    return 1;
  }

  heartbeat(nowMs: number): void {
    if (Number.isFinite(nowMs) && !(nowMs < this.lastMs)) this.lastMs = nowMs;
  }

  suspicion(nowMs: number): number {
    if (Number.isNaN(this.lastMs)) return 0;
    const level = Math.max(0, nowMs - this.lastMs) / this.timeoutMs;
    return reconcileLevel(level, nowMs, this.suspectAtMs(), this.threshold);
  }

  suspects(nowMs: number): boolean {
    return nowMs >= this.suspectAtMs();
  }

  suspectAtMs(): number {
    return Number.isNaN(this.lastMs) ? Infinity : this.lastMs + this.timeoutMs;
  }

  explain(nowMs: number): DetectorExplanation {
    return explanation(this, nowMs, this.lastMs, { timeoutMs: this.timeoutMs });
  }

  memoryBytes(): number {
    return FIXED_TIMEOUT_BYTES;
  }

  /** An independent copy in the same state (the timeout is given: the interval is not read). */
  clone(): FixedTimeoutDetector {
    const copy = new FixedTimeoutDetector(
      { timeoutMs: this.timeoutMs },
      { intervalMs: this.timeoutMs },
    );
    copy.lastMs = this.lastMs;
    return copy;
  }
}

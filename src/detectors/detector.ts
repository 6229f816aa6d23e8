import type { SamplePool } from './sample-pool.js';

/**
 * The interface every failure detector implements. A detector is pure math over arrival times:
 * it never reads a clock or sets a timer. Callers pass monotonic milliseconds.
 *
 * The contract (checked for every detector by test/detectors/compliance.ts):
 * - `suspicion(t)` never falls while silence grows (non-decreasing in `t` between arrivals);
 * - `suspects(t)` ⇔ `t >= suspectAtMs()`;
 * - before the first arrival there is no evidence: `suspicion` is 0 and `suspectAtMs()` is
 *   `Infinity` (the node table handles "never came up" with its own startup grace);
 * - degenerate input (equal timestamps, zero variance, out-of-order or duplicate arrivals, huge
 *   gaps) gives no NaN, no throw and no unbounded growth;
 * - memory is bounded and reported by `memoryBytes()`.
 */
export interface FailureDetector {
  /** Which algorithm this is, e.g. `phi-accrual`. */
  readonly kind: DetectorKind;
  /** The suspicion level at or above which the detector suspects. */
  readonly threshold: number;
  /**
   * Records a heartbeat that arrived at `nowMs` (monotonic). `seq` is the sender's sequence
   * number when known; detectors that use it (Chen) read losses from gaps. Arrivals earlier than
   * the last one are ignored.
   */
  heartbeat(nowMs: number, seq?: number): void;
  /** Suspicion level at `nowMs`: 0 without evidence, growing with silence. Never NaN. */
  suspicion(nowMs: number): number;
  /** Whether the detector suspects the node at `nowMs`. */
  suspects(nowMs: number): boolean;
  /**
   * The earliest monotonic time at which the detector would suspect if nothing more arrives;
   * `Infinity` before the first arrival. The node table schedules one timer from this instead
   * of polling.
   */
  suspectAtMs(): number;
  /** The numbers behind the verdict at `nowMs`, for events, logs and the API. */
  explain(nowMs: number): DetectorExplanation;
  /** Bytes this detector holds (its fields and typed arrays), by the model in docs/LIMITS.md. */
  memoryBytes(): number;
  /**
   * Gives back storage the detector holds outside the GC's reach (its block in a `SamplePool`,
   * see `DetectorContext.samplePool`); the detector must not be used afterwards. Optional: a
   * detector with nothing to give back leaves it out, and a caller that drops a detector calls
   * it when present. Calling it twice does nothing the second time.
   */
  dispose?(): void;
  /**
   * The last `max` inter-arrival times the detector holds, oldest first: what a restarted
   * monitor replays into a new detector to warm it up (NodeTable.restore). Optional: detectors
   * whose window holds something else leave it out and start over after a restart.
   */
  recentIntervals?(max: number): number[];
  /**
   * An independent copy in the same state: from then on it answers as this one would to the same
   * arrivals, and arrivals fed to either leave the other as it was. A copy of a detector in a
   * `SamplePool` takes a block of its own from the same pool (dispose it as any other). What the
   * QoS replay branches crash runs with (src/sim/suspicion-tracker.ts); every detector in the
   * registry has it (test/detectors/compliance.ts checks it).
   */
  clone?(): FailureDetector;
}

export type DetectorKind =
  'timeout' | 'missed-beats' | 'phi-accrual' | 'phi-cassandra' | 'chen' | 'quantile';

/** What a detector says about itself; extra numbers depend on the algorithm. */
export interface DetectorExplanation {
  kind: DetectorKind;
  suspicion: number;
  threshold: number;
  suspects: boolean;
  /** Monotonic time of the last accepted arrival, or null before the first. */
  lastArrivalMs: number | null;
  /** Milliseconds of silence at the time of the explanation, or null before the first arrival. */
  elapsedMs: number | null;
  /** When suspicion begins if nothing arrives (`Infinity` before the first arrival). */
  suspectAtMs: number;
  /** Algorithm-specific figures: mean, standard deviation, expected arrival, … */
  details: Record<string, number>;
}

/** What a detector may know about the sender before its first heartbeat. */
export interface DetectorContext {
  /** The interval the sender says it uses (from the heartbeat), in ms. */
  intervalMs: number;
  /**
   * Where windowed detectors keep their samples and numbers: a block of this pool's shared slabs
   * instead of a typed array of their own. Whoever passes a pool calls `dispose()` on every
   * detector it drops, or the block stays taken until the pool itself is dropped. Without one,
   * a detector owns its storage and the GC frees it.
   */
  samplePool?: SamplePool;
}

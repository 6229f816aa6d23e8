import type { DetectorSpec } from '../../detectors/spec.js';

/**
 * One measured setting of one detector on one trace: what the sweep produces, the frontier
 * selects from and every output (CSV, chart, table, tuner) prints. Detection times are kept both
 * in ms and in heartbeat intervals, so traces with different periods can be compared.
 */
export interface QualityPoint {
  /** Series name on the charts: the detector kind, or a named reference (`akka-defaults`). */
  detector: string;
  /** The swept parameter's name (`timeoutMs`, `threshold`, …) and its value at this point. */
  param: string;
  value: number;
  /** The full specification, ready to paste into a monitor configuration. */
  spec: DetectorSpec | null;
  /** Mean detection time T_D over the injected crashes, ms. */
  detectionMeanMs: number;
  /** 99th percentile and maximum of T_D, ms. */
  detectionP99Ms: number;
  detectionMaxMs: number;
  /** Mean T_D in heartbeat intervals of the trace. */
  detectionIntervals: number;
  /** False suspicions per node-hour on the failure-free trace. */
  mistakesPerHour: number;
  /** Mean mistake recurrence time T_MR and mean mistake duration T_M, ms (NaN without mistakes). */
  recurrenceMs: number;
  mistakeDurationMs: number;
  /** Query accuracy probability P_A: the share of time the node was (rightly) trusted. */
  accuracy: number;
}

/**
 * The figures the lab needs from one replay of a trace through a detector. The simulator's
 * `evaluateDetector` provides them; tests may pass a stand-in.
 */
export interface QosFigures {
  detectionMeanMs: number;
  detectionP99Ms: number;
  detectionMaxMs: number;
  mistakesPerHour: number;
  recurrenceMs: number;
  mistakeDurationMs: number;
  accuracy: number;
}

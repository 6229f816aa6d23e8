import type { DetectorSpec } from '../../detectors/spec.js';

/**
 * The parameter each detector is swept over, and the values tried: the detector's "main knob",
 * spread geometrically from trigger-happy to patient so that the frontier covers everything from
 * hundreds of false suspicions per hour down to none. Values scale with the sender's interval.
 */
export interface SweepAxis {
  /** Series name (the detector kind). */
  detector: string;
  /** Name of the swept parameter, as it appears in the specification. */
  param: string;
  values: number[];
  /** The specification for one value of the parameter. */
  spec(value: number): DetectorSpec;
}

/** Detector kinds the lab sweeps, in chart order. */
export const SWEPT_DETECTORS = [
  'timeout',
  'missed-beats',
  'phi-accrual',
  'phi-cassandra',
  'chen',
  'quantile',
] as const;

export type SweptDetector = (typeof SWEPT_DETECTORS)[number];

/** The detectors judged as baselines (everything but ours). */
export const BASELINE_DETECTORS: readonly SweptDetector[] = [
  'timeout',
  'missed-beats',
  'phi-accrual',
  'phi-cassandra',
  'chen',
];

/** `count` values from `lo` to `hi`, evenly spaced on a log scale, rounded to 4 significant digits. */
function geometric(lo: number, hi: number, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const v = lo * Math.pow(hi / lo, count === 1 ? 0 : i / (count - 1));
    out.push(Number(v.toPrecision(4)));
  }
  return out;
}

/**
 * The Akka/Pekko defaults scaled to the sender's interval: threshold 8, σ at least a tenth of
 * the interval, an acceptable pause of three intervals (Akka's 100 ms and 3 s are for 1 s).
 */
export function akkaScaledDefaults(intervalMs: number): DetectorSpec {
  return {
    kind: 'phi-accrual',
    threshold: 8,
    minStdDeviationMs: intervalMs / 10,
    acceptableHeartbeatPauseMs: 3 * intervalMs,
    firstHeartbeatEstimateMs: intervalMs,
  };
}

/** The sweep of one detector for a sender with this interval; `points` values per detector. */
export function sweepAxis(detector: SweptDetector, intervalMs: number, points = 28): SweepAxis {
  const akka = akkaScaledDefaults(intervalMs);
  switch (detector) {
    case 'timeout':
      return {
        detector,
        param: 'timeoutMs',
        values: geometric(1.05 * intervalMs, 100 * intervalMs, points),
        spec: (v) => ({ kind: 'timeout', timeoutMs: v }),
      };
    case 'missed-beats':
      return {
        detector,
        param: 'failureThreshold',
        values: [...new Set(geometric(1, 100, points).map((v) => Math.round(v)))],
        spec: (v) => ({ kind: 'missed-beats', failureThreshold: v }),
      };
    case 'phi-accrual':
      return {
        detector,
        param: 'threshold',
        values: geometric(0.25, 400, points),
        spec: (v) => ({ ...akka, threshold: v }),
      };
    case 'phi-cassandra':
      return {
        detector,
        param: 'threshold',
        values: geometric(0.1, 60, points),
        spec: (v) => ({ kind: 'phi-cassandra', threshold: v }),
      };
    case 'chen':
      return {
        detector,
        param: 'safetyMarginMs',
        values: [0, ...geometric(0.02 * intervalMs, 100 * intervalMs, points - 1)],
        spec: (v) => ({ kind: 'chen', safetyMarginMs: v }),
      };
    case 'quantile':
      return {
        detector,
        param: 'mistakesPerHour',
        values: geometric(0.005, 2000, points).reverse(),
        spec: (v) => ({ kind: 'quantile', mistakesPerHour: v }),
      };
  }
}

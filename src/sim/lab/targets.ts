import { bestAtRate } from './frontier.js';
import type { QualityPoint } from './quality-point.js';
import { BASELINE_DETECTORS } from './sweep-grid.js';
import type { SweepResult } from './sweep.js';

/** The two targets for our detector on one trace, with the figures behind the verdict. */
export interface TargetReport {
  trace: string;
  /** Target 1: out of the box, ≤ 1 mistake/h and within 5 % of the best baseline at that rate. */
  outOfTheBox: {
    ours: QualityPoint;
    /** Best hindsight-tuned baseline whose mistake rate is at most ours (undefined: none is). */
    baseline: QualityPoint | undefined;
    /** ours / baseline detection time (NaN without a baseline). */
    ratio: number;
    met: boolean;
  };
  /** Target 2: at ≤ 10 mistakes/h, ≥ 10 % faster than every baseline tuned for that rate. */
  atTenPerHour: {
    ours: QualityPoint | undefined;
    baseline: QualityPoint | undefined;
    ratio: number;
    met: boolean;
  };
}

/** The mistake rate of target 2. */
const TARGET_RATE_PER_HOUR = 10;

/** Judges both targets for the detector `ours` (a swept series with a default point). */
export function judgeTargets(result: SweepResult, ours = 'quantile'): TargetReport | undefined {
  const oursDefault = result.defaults.find((p) => p.detector === ours);
  if (oursDefault === undefined) return undefined;
  const baselines = result.points.filter((p) =>
    (BASELINE_DETECTORS as readonly string[]).includes(p.detector),
  );
  const at = bestAtRate(baselines, oursDefault.mistakesPerHour);
  const ratio1 = at === undefined ? NaN : oursDefault.detectionMeanMs / at.detectionMeanMs;
  const met1 =
    oursDefault.mistakesPerHour <= 1 &&
    (at === undefined || oursDefault.detectionMeanMs <= 1.05 * at.detectionMeanMs);

  const ours10 = bestAtRate(
    result.points.filter((p) => p.detector === ours),
    TARGET_RATE_PER_HOUR,
  );
  const base10 = bestAtRate(baselines, TARGET_RATE_PER_HOUR);
  const ratio2 =
    ours10 === undefined || base10 === undefined
      ? NaN
      : ours10.detectionMeanMs / base10.detectionMeanMs;
  const met2 = ours10 !== undefined && (base10 === undefined || ratio2 <= 0.9);
  return {
    trace: result.trace,
    outOfTheBox: { ours: oursDefault, baseline: at, ratio: ratio1, met: met1 },
    atTenPerHour: { ours: ours10, baseline: base10, ratio: ratio2, met: met2 },
  };
}

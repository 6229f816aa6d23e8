import type { DetectorSpec } from '../../detectors/spec.js';
import type { ArrivalTrace } from '../traces/arrival-trace.js';
import { bestAtRate, paretoFrontier } from './frontier.js';
import type { QualityPoint } from './quality-point.js';
import { sweepTrace, type Evaluate, type SweepOptions, type SweepResult } from './sweep.js';

/** What the user wants: a mistake budget, or a detection-time budget. */
export type TuneTarget =
  { kind: 'mistakes'; perDay: number } | { kind: 'detection'; detectionMs: number };

/** The tuner's answer: the chosen setting, the figures it predicts, and what it chose from. */
export interface TuneResult {
  target: TuneTarget;
  /** The recommended setting, or undefined when no swept setting meets the target. */
  choice: QualityPoint | undefined;
  /** The Pareto frontier over every detector (what the choice was made from). */
  frontier: QualityPoint[];
  sweep: SweepResult;
}

export interface TuneOptions extends SweepOptions {
  /**
   * Share of the mistake budget the choice may use on the trace it is tuned on.
   * @default 0.5: the unseen future is rarely kinder than the past, so leave half in reserve.
   */
  headroom?: number;
}

/**
 * Picks the setting that meets the target from a sweep: for a mistake budget, the fastest setting
 * whose mistake rate is at most `headroom ×` the budget; for a detection budget, the setting with
 * the fewest mistakes whose mean detection time fits (the faster one on a tie).
 */
export function chooseSetting(
  points: readonly QualityPoint[],
  target: TuneTarget,
  headroom = 0.5,
): QualityPoint | undefined {
  if (target.kind === 'mistakes') return bestAtRate(points, (target.perDay / 24) * headroom);
  let best: QualityPoint | undefined;
  for (const p of points) {
    if (!(p.detectionMeanMs <= target.detectionMs)) continue;
    if (
      best === undefined ||
      p.mistakesPerHour < best.mistakesPerHour ||
      (p.mistakesPerHour === best.mistakesPerHour && p.detectionMeanMs < best.detectionMeanMs)
    ) {
      best = p;
    }
  }
  return best;
}

/** Sweeps every detector over the trace and recommends a setting for the target. */
export function tune(
  trace: ArrivalTrace,
  target: TuneTarget,
  evaluate: Evaluate,
  options: TuneOptions = {},
): TuneResult {
  const sweep = sweepTrace(trace, evaluate, options);
  return {
    target,
    choice: chooseSetting(sweep.points, target, options.headroom),
    frontier: paretoFrontier(sweep.points),
    sweep,
  };
}

/** The configuration fragment for a choice, ready to paste into the monitor's config file. */
export function configSnippet(spec: DetectorSpec): string {
  return JSON.stringify({ detector: spec }, null, 2);
}

import type { ArrivalTrace } from '../traces/arrival-trace.js';
import { bestAtRate } from './frontier.js';
import type { QualityPoint } from './quality-point.js';
import { sweepTrace, toPoint, type Evaluate } from './sweep.js';
import { tune, type TuneOptions } from './tuner.js';

/** Splits a trace at a share of its heartbeats: the first part to tune on, the rest to check. */
export function splitTrace(trace: ArrivalTrace, share = 0.5): [ArrivalTrace, ArrivalTrace] {
  const cut = Math.floor(trace.arrivals.length * share);
  return [
    { ...trace, name: `${trace.name} (first half)`, arrivals: trace.arrivals.slice(0, cut) },
    { ...trace, name: `${trace.name} (second half)`, arrivals: trace.arrivals.slice(cut) },
  ];
}

/** How a choice made on the first half of a trace fared on the unseen second half. */
export interface GeneralisationReport {
  trace: string;
  /** Mistakes per node per day the tuner was asked for. */
  perDay: number;
  /** The setting chosen on the first half (undefined: nothing met the target there). */
  tuned: QualityPoint | undefined;
  /** That setting replayed on the second half. */
  unseen: QualityPoint | undefined;
  /** The best setting on the second half in hindsight, at the same mistake budget. */
  hindsight: QualityPoint | undefined;
  /** unseen / hindsight mean detection time. */
  ratio: number;
  /** The unseen mistake rate is within the budget. */
  meetsMistakes: boolean;
  /** Detection is within 5 % of the hindsight setting. */
  withinFivePercent: boolean;
}

/**
 * The tuner's generalisation check: tune on the first half of `trace` for at most `perDay`
 * mistakes per node-day, replay the choice on the second half, and compare it with the best
 * setting for that budget chosen in hindsight on the second half.
 */
export function checkGeneralisation(
  trace: ArrivalTrace,
  perDay: number,
  evaluate: Evaluate,
  options: TuneOptions = {},
): GeneralisationReport {
  const [first, second] = splitTrace(trace);
  const { choice } = tune(first, { kind: 'mistakes', perDay }, evaluate, options);
  const budget = perDay / 24;
  const later = sweepTrace(second, evaluate, options);
  const hindsight = bestAtRate(later.points, budget);
  const unseen =
    choice?.spec == null
      ? undefined
      : toPoint(
          choice.detector,
          choice.param,
          choice.value,
          choice.spec,
          evaluate(second, choice.spec),
          second.intervalMs,
        );
  const ratio =
    unseen === undefined || hindsight === undefined
      ? NaN
      : unseen.detectionMeanMs / hindsight.detectionMeanMs;
  return {
    trace: trace.name,
    perDay,
    tuned: choice,
    unseen,
    hindsight,
    ratio,
    meetsMistakes: unseen !== undefined && unseen.mistakesPerHour <= budget,
    withinFivePercent: unseen !== undefined && (hindsight === undefined || ratio <= 1.05),
  };
}

/** The Markdown table of generalisation reports, one row per trace. */
export function generalisationMarkdown(reports: readonly GeneralisationReport[]): string {
  const f = (x: number | undefined, d = 2): string =>
    x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(d);
  const who = (p: QualityPoint | undefined): string =>
    p === undefined ? 'none' : `${p.detector} ${p.param}=${Number(p.value.toPrecision(4))}`;
  const rows = reports.map(
    (r) =>
      `| ${r.trace} | ${who(r.tuned)} | ${f(r.tuned?.mistakesPerHour)} | ${f(r.unseen?.mistakesPerHour)} | ${f(r.unseen?.detectionIntervals)} | ${who(r.hindsight)} ${f(r.hindsight?.detectionIntervals)} | ${f(r.ratio)} | ${r.meetsMistakes ? 'yes' : '**no**'} | ${r.withinFivePercent ? 'yes' : '**no**'} |`,
  );
  return [
    '| trace | tuned on first half | mistakes/h, first half | mistakes/h, second half | T_D (intervals), second half | best in hindsight on second half | ratio | meets budget | within 5 % |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

import { bestAtRate } from './frontier.js';
import type { QualityPoint } from './quality-point.js';
import type { SweepResult } from './sweep.js';
import type { TargetReport } from './targets.js';

const f = (x: number, digits = 2): string =>
  Number.isFinite(x) ? x.toFixed(digits) : x === Infinity ? '∞' : '–';

function line(cells: (string | number)[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(header: string[], rows: (string | number)[][]): string {
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function setting(p: QualityPoint | undefined): string {
  if (p === undefined) return 'none that accurate';
  return `${f(p.detectionIntervals)} (${f(p.detectionMeanMs, 0)} ms; ${p.param} ${Number.isFinite(p.value) ? Number(p.value.toPrecision(4)) : 'default'}; ${f(p.mistakesPerHour)}/h)`;
}

/**
 * The Markdown summary of one sweep: per detector, the best setting found in hindsight at ≤ 1
 * and ≤ 10 mistakes per node-hour, its out-of-the-box point, then Akka's scaled defaults and
 * the clairvoyant floor. Detection times are mean T_D in heartbeat intervals.
 */
export function sweepMarkdown(result: SweepResult): string {
  const kinds = [...new Set(result.points.map((p) => p.detector))];
  const rows = kinds.map((kind) => {
    const pts = result.points.filter((p) => p.detector === kind);
    const def = result.defaults.find((p) => p.detector === kind);
    return [
      kind === 'quantile' ? '**quantile (ours)**' : kind,
      setting(bestAtRate(pts, 1)),
      setting(bestAtRate(pts, 10)),
      def === undefined ? '–' : `${f(def.detectionIntervals)} at ${f(def.mistakesPerHour)}/h`,
    ];
  });
  rows.push([
    'Akka defaults, scaled',
    '–',
    '–',
    `${f(result.akka.detectionIntervals)} at ${f(result.akka.mistakesPerHour)}/h`,
  ]);
  rows.push(['clairvoyant (floor)', f(result.clairvoyant.detectionIntervals), '–', '–']);
  return [
    `### ${result.trace}`,
    '',
    `Interval ${f(result.intervalMs, 1)} ms, ${f(result.hours)} h observed. Mean detection time in heartbeat intervals (ms; the setting; its mistake rate).`,
    '',
    table(['detector', 'best at ≤ 1 mistake/h', 'best at ≤ 10 mistakes/h', 'out of the box'], rows),
  ].join('\n');
}

/** The per-trace verdict table of the two targets. */
export function targetsMarkdown(reports: readonly TargetReport[]): string {
  const rows = reports.map((r) => [
    r.trace,
    `${f(r.outOfTheBox.ours.mistakesPerHour)}/h, ${f(r.outOfTheBox.ours.detectionIntervals)}`,
    r.outOfTheBox.baseline === undefined
      ? 'none that accurate'
      : `${r.outOfTheBox.baseline.detector} ${f(r.outOfTheBox.baseline.detectionIntervals)}`,
    Number.isFinite(r.outOfTheBox.ratio) ? f(r.outOfTheBox.ratio) : '–',
    r.outOfTheBox.met ? '**met**' : 'not met',
    r.atTenPerHour.ours === undefined ? 'unreached' : f(r.atTenPerHour.ours.detectionIntervals),
    r.atTenPerHour.baseline === undefined
      ? 'none'
      : `${r.atTenPerHour.baseline.detector} ${f(r.atTenPerHour.baseline.detectionIntervals)}`,
    Number.isFinite(r.atTenPerHour.ratio) ? f(r.atTenPerHour.ratio) : '–',
    r.atTenPerHour.met ? '**met**' : 'not met',
  ]);
  return table(
    [
      'trace',
      'ours, untuned (mistakes, T_D)',
      'best baseline at that rate',
      'ratio',
      'target 1',
      'ours at ≤ 10/h',
      'best baseline at ≤ 10/h',
      'ratio',
      'target 2',
    ],
    rows,
  );
}

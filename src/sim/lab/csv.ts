import type { QualityPoint } from './quality-point.js';
import type { SweepResult } from './sweep.js';

/** Columns of the lab's CSV, one row per measured setting (and the named references). */
const CSV_COLUMNS = [
  'trace',
  'interval_ms',
  'detector',
  'param',
  'value',
  'detection_mean_ms',
  'detection_p99_ms',
  'detection_max_ms',
  'detection_mean_intervals',
  'mistakes_per_hour',
  'mistake_recurrence_ms',
  'mistake_duration_ms',
  'query_accuracy',
  'spec',
] as const;

/** Quotes a CSV field when it holds a comma, a quote or a line break (RFC 4180). */
function field(v: string | number): string {
  const s =
    typeof v === 'number' ? (Number.isFinite(v) ? String(Number(v.toPrecision(6))) : String(v)) : v;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function row(result: SweepResult, p: QualityPoint): string {
  return [
    result.trace,
    result.intervalMs,
    p.detector,
    p.param,
    p.value,
    p.detectionMeanMs,
    p.detectionP99Ms,
    p.detectionMaxMs,
    p.detectionIntervals,
    p.mistakesPerHour,
    p.recurrenceMs,
    p.mistakeDurationMs,
    p.accuracy,
    p.spec === null ? '' : JSON.stringify(p.spec),
  ]
    .map(field)
    .join(',');
}

/** The CSV of one or more sweeps, with a header line; every setting plus Akka and clairvoyant. */
export function sweepCsv(results: readonly SweepResult[]): string {
  const lines: string[] = [CSV_COLUMNS.join(',')];
  for (const r of results) {
    for (const p of [...r.points, r.akka, r.clairvoyant]) lines.push(row(r, p));
  }
  return `${lines.join('\n')}\n`;
}

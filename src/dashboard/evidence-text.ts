/**
 * The evidence of a verdict in plain words: what the detector saw and why it decided, from the
 * numbers `explain()` gives (src/detectors/*.ts, `details`), e.g. "no heartbeat for 4.2 s; from
 * the last 32 gaps (mean 1.00 s, σ 50 ms) a silence this long has a chance of 1 in 10^8.3 (φ 8.3,
 * the threshold is 8)". Pure functions, tested in test/dashboard/evidence-text.test.ts.
 */
import type { DetectorExplanation } from '../detectors/detector.js';
import type { Evidence } from '../membership/types.js';
import { duration, num } from './format.js';

/** Why the node is in its state, from a transition's reason. */
export const REASON_TEXT: Record<string, string> = {
  registered: 'registered, waiting for its first heartbeat',
  'first-heartbeat': 'its first heartbeat arrived',
  heartbeat: 'heartbeats arrive again',
  detector: 'the detector suspected it',
  'dead-grace-expired': 'it stayed suspected for the whole dead grace',
  'never-came-up': 'no heartbeat came within the startup grace',
  restarted: 'it restarted (a new incarnation)',
  leave: 'it said goodbye',
  'reported-failure': 'a failure was reported for it',
  removed: 'it was removed',
  expired: 'it was dead or gone long enough to be forgotten',
};

export function reasonText(reason: string | undefined): string {
  if (reason === undefined) return '';
  return REASON_TEXT[reason] ?? reason;
}

/** One or two sentences: what the detector saw and what it concluded. */
export function evidenceText(evidence: Evidence | null | undefined): string {
  if (evidence === null || evidence === undefined) return 'No evidence recorded.';
  const d = evidence.detector;
  const silence =
    evidence.sinceLastMs === null
      ? 'no heartbeat received yet'
      : `no heartbeat for ${duration(evidence.sinceLastMs)}`;
  const lost = evidence.lost > 0 ? `; ${evidence.lost} heartbeats lost (sequence gaps)` : '';
  if (d === null) return capitalise(`${silence}${lost}.`);
  return capitalise(`${silence}; ${detectorText(d)}${lost}.`);
}

/** The detector's reasoning, by kind; an unknown kind gets its level and threshold. */
export function detectorText(d: DetectorExplanation): string {
  const x = d.details;
  const verdict = d.suspects ? 'so it is suspected' : 'not enough to suspect it';
  switch (d.kind) {
    case 'timeout':
      return `the timeout is ${duration(x['timeoutMs'])}, ${verdict}`;
    case 'missed-beats':
      return (
        `${num(x['missedBeats'], 1)} beats of ${duration(x['intervalMs'])} missed, ` +
        `suspected from ${num(x['failureThreshold'], 1)}: ${verdict}`
      );
    case 'phi-accrual': {
      const phi = d.suspicion;
      const chance = phi >= 0.05 ? `a chance of 1 in ${chanceText(phi)}` : 'a good chance';
      return (
        `from the last ${x['samples']} gaps (mean ${duration(x['meanIntervalMs'])}, ` +
        `σ ${duration(x['stdDeviationMs'])}) a silence this long has ${chance} ` +
        `(φ ${num(phi, 1)}, the threshold is ${num(d.threshold, 1)}): ${verdict}`
      );
    }
    case 'phi-cassandra':
      return (
        `the silence is ${num(ratio(d.elapsedMs, x['meanIntervalMs']), 1)} × the mean gap of the ` +
        `last ${x['samples']} (${duration(x['meanIntervalMs'])}): φ ${num(d.suspicion, 1)}, ` +
        `the threshold is ${num(d.threshold, 1)}, ${verdict}`
      );
    case 'chen':
      return (
        `from the last ${x['samples']} arrivals the next was due ` +
        `${duration(due(x['expectedArrivalMs'], d.lastArrivalMs))} after the last one, ` +
        `with a safety margin of ${duration(x['safetyMarginMs'])}: ${verdict}`
      );
    case 'quantile':
      return (
        `learned from ${x['samples']} gaps, the next was due ` +
        `${duration(due(x['expectedArrivalMs'], d.lastArrivalMs))} after the last one, with a ` +
        `margin of ${duration(x['marginMs'])} chosen for at most ` +
        `${num(x['mistakesPerHour'], 3)} mistaken suspicions an hour` +
        `${x['scheduledOutage'] === 1 ? ' (inside a recurring outage window)' : ''}: ${verdict}`
      );
    default:
      return `suspicion ${num(d.suspicion)} against a threshold of ${num(d.threshold)}: ${verdict}`;
  }
}

/** 10^φ as people read it: "1 000", "2.0 million", "10^12.3". */
export function chanceText(phi: number): string {
  const n = 10 ** phi;
  if (!Number.isFinite(n) || phi >= 12) return `10^${num(phi, 1)}`;
  if (n >= 1e9) return `${num(n / 1e9, 1)} billion`;
  if (n >= 1e6) return `${num(n / 1e6, 1)} million`;
  if (n >= 10) return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
  return num(n, 1);
}

function ratio(a: number | null | undefined, b: number | undefined): number {
  return a === null || a === undefined || b === undefined || b <= 0 ? NaN : a / b;
}

/** How long after the last arrival the next was due (the wire sends an infinite time as null). */
function due(expectedMs: number | null | undefined, lastMs: number | null): number {
  return typeof expectedMs !== 'number' || lastMs === null ? NaN : expectedMs - lastMs;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

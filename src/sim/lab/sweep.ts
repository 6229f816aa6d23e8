import type { DetectorSpec } from '../../detectors/spec.js';
import type { ArrivalTrace } from '../traces/arrival-trace.js';
import { clairvoyantPoint } from './clairvoyant.js';
import type { QosFigures, QualityPoint } from './quality-point.js';
import {
  akkaScaledDefaults,
  sweepAxis,
  SWEPT_DETECTORS,
  type SweptDetector,
} from './sweep-grid.js';

/** Replays a trace through the detector a specification describes and measures its QoS. */
export type Evaluate = (trace: ArrivalTrace, spec: DetectorSpec) => QosFigures;

/** Everything measured on one trace: every swept setting plus the two named references. */
export interface SweepResult {
  trace: string;
  intervalMs: number;
  /** Hours of failure-free time the mistake rates were measured over. */
  hours: number;
  points: QualityPoint[];
  /** Akka's defaults scaled to the interval, as one named point. */
  akka: QualityPoint;
  /** The clairvoyant floor (no mistakes, earliest possible detection). */
  clairvoyant: QualityPoint;
  /** Each swept detector out of the box (its spec with no parameters), series `<kind>`. */
  defaults: QualityPoint[];
}

export interface SweepOptions {
  detectors?: readonly SweptDetector[];
  /** Values per detector. @default 28: a smooth frontier in a few seconds per trace. */
  pointsPerDetector?: number;
  /** Called after each evaluation with the number done and the total, for a progress bar. */
  onProgress?: (done: number, total: number) => void;
}

/** Builds a point from a specification and the QoS figures measured for it. */
export function toPoint(
  detector: string,
  param: string,
  value: number,
  spec: DetectorSpec | null,
  qos: QosFigures,
  intervalMs: number,
): QualityPoint {
  return {
    detector,
    param,
    value,
    spec,
    ...qos,
    detectionIntervals: qos.detectionMeanMs / intervalMs,
  };
}

/** Hours from the first send to the last arrival of a trace. */
function traceHours(trace: ArrivalTrace): number {
  const first = trace.arrivals[0];
  if (first === undefined) return 0;
  let lastMs = first.sentMs;
  for (const a of trace.arrivals) lastMs = Math.max(lastMs, a.recvMs ?? a.sentMs);
  return (lastMs - first.sentMs) / 3_600_000;
}

/** Sweeps every detector's main parameter over one trace. */
export function sweepTrace(
  trace: ArrivalTrace,
  evaluate: Evaluate,
  options: SweepOptions = {},
): SweepResult {
  const detectors = options.detectors ?? SWEPT_DETECTORS;
  const axes = detectors.map((d) => sweepAxis(d, trace.intervalMs, options.pointsPerDetector));
  const total = axes.reduce((s, a) => s + a.values.length, 0) + 1 + detectors.length;
  let done = 0;
  const tick = (): void => options.onProgress?.(++done, total);
  const points: QualityPoint[] = [];
  for (const axis of axes) {
    for (const value of axis.values) {
      const spec = axis.spec(value);
      points.push(
        toPoint(axis.detector, axis.param, value, spec, evaluate(trace, spec), trace.intervalMs),
      );
      tick();
    }
  }
  const akkaSpec = akkaScaledDefaults(trace.intervalMs);
  const akka = toPoint(
    'akka-defaults',
    'threshold',
    8,
    akkaSpec,
    evaluate(trace, akkaSpec),
    trace.intervalMs,
  );
  tick();
  const defaults: QualityPoint[] = [];
  for (const kind of detectors) {
    const spec = { kind } as DetectorSpec;
    defaults.push(toPoint(kind, 'default', NaN, spec, evaluate(trace, spec), trace.intervalMs));
    tick();
  }
  return {
    trace: trace.name,
    intervalMs: trace.intervalMs,
    hours: traceHours(trace),
    points,
    akka,
    clairvoyant: clairvoyantPoint(trace),
    defaults,
  };
}

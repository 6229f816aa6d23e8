import type { DetectorSpec } from '../../detectors/spec.js';
import { prepareTrace, type PreparedTrace } from '../prepared-trace.js';
import { evaluatePrepared, type QosResult } from '../qos.js';
import type { ArrivalTrace } from '../traces/arrival-trace.js';
import type { QosFigures } from './quality-point.js';

/** The lab's view of the simulator's QoS result. */
function qosFigures(r: QosResult): QosFigures {
  return {
    detectionMeanMs: r.detectionMeanMs,
    detectionP99Ms: r.detectionP99Ms,
    detectionMaxMs: r.detectionMaxMs,
    mistakesPerHour: r.mistakesPerHour,
    recurrenceMs: r.mistakeRecurrenceMs,
    mistakeDurationMs: r.mistakeDurationMs,
    accuracy: r.queryAccuracy,
  };
}

/**
 * The simulator's QoS replay (`evaluatePrepared`, docs/QOS.md) as the lab's `Evaluate`: each
 * trace is prepared once and reused for every setting swept over it.
 */
export function createQosEvaluate(): (trace: ArrivalTrace, spec: DetectorSpec) => QosFigures {
  const prepared = new WeakMap<ArrivalTrace, PreparedTrace>();
  return (trace, spec) => {
    let p = prepared.get(trace);
    if (p === undefined) {
      p = prepareTrace(trace);
      prepared.set(trace, p);
    }
    return qosFigures(evaluatePrepared(p, spec));
  };
}

import type { ArrivalTrace } from '../traces/arrival-trace.js';
import type { QualityPoint } from './quality-point.js';

/**
 * The clairvoyant reference: a detector that knows when the next heartbeat will arrive and
 * suspects at that very moment if it does not. It never makes a mistake, and its detection time
 * is a floor for any detector that makes none: after a crash just after heartbeat `s` is sent,
 * it suspects when the first later heartbeat would have arrived (the earliest `recvMs` among
 * heartbeats numbered above `s`). Crashes after the last heartbeat that has a later arrival are
 * not counted. Not a real detector: it reads the future of the trace.
 */
export function clairvoyantPoint(trace: ArrivalTrace): QualityPoint {
  const arrivals = trace.arrivals;
  const detections: number[] = [];
  let nextRecvMs = Infinity;
  for (let i = arrivals.length - 1; i >= 0; i--) {
    const a = arrivals[i];
    if (a === undefined) continue;
    if (Number.isFinite(nextRecvMs)) detections.push(Math.max(0, nextRecvMs - a.sentMs));
    if (a.recvMs !== null) nextRecvMs = Math.min(nextRecvMs, a.recvMs);
  }
  detections.sort((x, y) => x - y);
  const n = detections.length;
  const mean = n === 0 ? NaN : detections.reduce((s, x) => s + x, 0) / n;
  const p99 = n === 0 ? NaN : (detections[Math.min(n - 1, Math.ceil(0.99 * n) - 1)] as number);
  return {
    detector: 'clairvoyant',
    param: '-',
    value: 0,
    spec: null,
    detectionMeanMs: mean,
    detectionP99Ms: p99,
    detectionMaxMs: n === 0 ? NaN : (detections[n - 1] as number),
    detectionIntervals: mean / trace.intervalMs,
    mistakesPerHour: 0,
    recurrenceMs: NaN,
    mistakeDurationMs: NaN,
    accuracy: 1,
  };
}

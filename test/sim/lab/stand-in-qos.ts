/**
 * A minimal stand-in for the simulator's `evaluateDetector`, used by the lab's unit tests so that
 * they exercise the sweep, frontier and tuner on small hand-made traces with predictable numbers.
 * Crash after every sent heartbeat; a mistake is a silence between consecutive arrivals that
 * outlasts the detector's deadline.
 */
import { createDetector } from '../../../src/detectors/registry.js';
import type { DetectorSpec } from '../../../src/detectors/spec.js';
import type { QosFigures } from '../../../src/sim/lab/quality-point.js';
import type { ArrivalTrace } from '../../../src/sim/traces/arrival-trace.js';

export function standInEvaluate(
  trace: ArrivalTrace,
  spec: DetectorSpec,
  create: typeof createDetector = createDetector,
): QosFigures {
  const detector = create(spec, { intervalMs: trace.intervalMs });
  const got = trace.arrivals.filter((a) => a.recvMs !== null) as {
    seq: number;
    sentMs: number;
    recvMs: number;
  }[];
  got.sort((a, b) => a.recvMs - b.recvMs);
  const deadlineAfter = new Map<number, number>();
  let mistakes = 0;
  let wrongMs = 0;
  for (let i = 0; i < got.length; i++) {
    const a = got[i]!;
    detector.heartbeat(a.recvMs, a.seq);
    const at = detector.suspectAtMs();
    deadlineAfter.set(a.seq, at);
    const next = got[i + 1];
    if (next !== undefined && next.recvMs > at) {
      mistakes++;
      wrongMs += next.recvMs - at;
    }
  }
  const first = got[0];
  const last = got[got.length - 1];
  const spanMs = first && last ? last.recvMs - first.recvMs : 0;
  const hours = spanMs / 3_600_000;
  const detections: number[] = [];
  let lastDeadline = NaN;
  for (const a of trace.arrivals) {
    const d = deadlineAfter.get(a.seq);
    if (d !== undefined) lastDeadline = d;
    if (!Number.isNaN(lastDeadline)) detections.push(Math.max(0, lastDeadline - a.sentMs));
  }
  detections.sort((x, y) => x - y);
  const n = detections.length;
  return {
    detectionMeanMs: n ? detections.reduce((s, x) => s + x, 0) / n : NaN,
    detectionP99Ms: n ? detections[Math.min(n - 1, Math.ceil(0.99 * n) - 1)]! : NaN,
    detectionMaxMs: n ? detections[n - 1]! : NaN,
    mistakesPerHour: hours > 0 ? mistakes / hours : 0,
    recurrenceMs: mistakes > 0 ? spanMs / mistakes : NaN,
    mistakeDurationMs: mistakes > 0 ? wrongMs / mistakes : NaN,
    accuracy: spanMs > 0 ? 1 - wrongMs / spanMs : 1,
  };
}

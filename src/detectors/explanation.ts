/**
 * The one shape of `explain()`: the verdict every detector reports the same way, around the
 * figures of its own algorithm.
 */
import type { DetectorExplanation, FailureDetector } from './detector.js';

/**
 * What `detector` says at `nowMs`, its last arrival at `lastMs` (NaN before the first), with its
 * own `details`.
 */
export function explanation(
  detector: FailureDetector,
  nowMs: number,
  lastMs: number,
  details: Record<string, number>,
): DetectorExplanation {
  const heard = !Number.isNaN(lastMs);
  return {
    kind: detector.kind,
    suspicion: detector.suspicion(nowMs),
    threshold: detector.threshold,
    suspects: detector.suspects(nowMs),
    lastArrivalMs: heard ? lastMs : null,
    elapsedMs: heard ? Math.max(0, nowMs - lastMs) : null,
    suspectAtMs: detector.suspectAtMs(),
    details,
  };
}

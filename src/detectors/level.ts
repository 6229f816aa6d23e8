/**
 * Reconciles a detector's continuous suspicion level with its cached verdict time, so that
 * `suspicion(t) >= threshold` ⇔ `suspects(t)` ⇔ `t >= suspectAtMs()` holds exactly, even where
 * a closed-form inverse and the forward formula differ in the last bits of a float. The level is
 * only ever moved within that rounding band; it is never NaN and never negative.
 *
 * Both branches are non-decreasing in `nowMs`, and the lower branch stays below the upper one,
 * so a non-decreasing `level` stays non-decreasing.
 */
export function reconcileLevel(
  level: number,
  nowMs: number,
  suspectAtMs: number,
  threshold: number,
): number {
  if (Number.isNaN(nowMs)) return 0;
  if (nowMs >= suspectAtMs) return level >= threshold ? level : threshold;
  if (!(level > 0)) return 0;
  // The largest level that still reads as "below threshold" (threshold > 0 for every detector).
  return Math.min(level, threshold * (1 - Number.EPSILON));
}

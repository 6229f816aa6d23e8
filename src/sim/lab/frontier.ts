import type { QualityPoint } from './quality-point.js';

/**
 * The Pareto frontier of a set of settings: the points no other point beats on both mean
 * detection time and mistake rate. Sorted by mistake rate, rising; detection time then falls.
 * Ties keep the first point given.
 */
export function paretoFrontier<T extends Pick<QualityPoint, 'mistakesPerHour' | 'detectionMeanMs'>>(
  points: readonly T[],
): T[] {
  const finite = points.filter(
    (p) => Number.isFinite(p.detectionMeanMs) && Number.isFinite(p.mistakesPerHour),
  );
  const sorted = [...finite].sort(
    (a, b) => a.mistakesPerHour - b.mistakesPerHour || a.detectionMeanMs - b.detectionMeanMs,
  );
  const out: T[] = [];
  let best = Infinity;
  for (const p of sorted) {
    if (p.detectionMeanMs < best) {
      out.push(p);
      best = p.detectionMeanMs;
    }
  }
  return out;
}

/**
 * The best setting among `points` whose mistake rate is at most `mistakesPerHour`: the
 * "tuned in hindsight for that rate" baseline. Undefined when no setting is that accurate.
 * No interpolation between settings: only settings that were measured count.
 */
export function bestAtRate<T extends Pick<QualityPoint, 'mistakesPerHour' | 'detectionMeanMs'>>(
  points: readonly T[],
  mistakesPerHour: number,
): T | undefined {
  let best: T | undefined;
  for (const p of points) {
    if (!(p.mistakesPerHour <= mistakesPerHour) || !Number.isFinite(p.detectionMeanMs)) continue;
    if (best === undefined || p.detectionMeanMs < best.detectionMeanMs) best = p;
  }
  return best;
}

/**
 * Small summary statistics for QoS figures, with the conventions docs/QOS.md states: the
 * nearest-rank percentile (a value that occurred, no interpolation) and NaN for the mean of
 * nothing.
 */

/** Nearest-rank percentile of an ascending array: the value at rank ⌈p·n⌉; NaN when empty. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const rank = Math.min(n, Math.max(1, Math.ceil(p * n)));
  return sorted[rank - 1] as number;
}

/** Arithmetic mean; NaN when empty. */
export function mean(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] as number;
  return sum / n;
}

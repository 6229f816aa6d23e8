/**
 * How the quantile detector (quantile.ts) shares its false-suspicion budget between classes of
 * arrival: a pure function, table-tested in test/detectors/margin-split.test.ts.
 */

const HOUR_MS = 3_600_000;

/** The per-heartbeat mistake probability of a budget of `mistakesPerHour` (at most 1/2). */
export function budgetPerHeartbeat(mistakesPerHour: number, intervalMs: number): number {
  return Math.min(0.5, (mistakesPerHour * intervalMs) / HOUR_MS);
}

/**
 * Splits a per-heartbeat budget `p` between classes in proportion to how heavy each one's tail
 * is: `p_k = p · scale_k / mean scale`, the mean weighted by each class's share of the waits
 * (`weights[k] / total`), each share at most 1/2. That is where each extra millisecond of
 * patience avoids the most mistakes: the optimum of "least mean detection time for a given mistake
 * rate" when tails are exponential. With no tail at all (a mean scale of 0) every class gets `p`.
 * `scales[k]` is the tail scale of the histogram class `k` reads (its own or the pooled one).
 */
export function splitBudget(
  p: number,
  weights: ArrayLike<number>,
  total: number,
  scales: ArrayLike<number>,
): number[] {
  let meanScale = 0;
  for (let k = 0; k < weights.length; k++) {
    meanScale += ((weights[k] as number) / total) * (scales[k] as number);
  }
  const shares: number[] = [];
  for (let k = 0; k < weights.length; k++) {
    const share = meanScale > 0 ? (scales[k] as number) / meanScale : 1;
    shares.push(Math.min(0.5, p * share));
  }
  return shares;
}

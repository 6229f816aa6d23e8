/**
 * The wait histogram of the quantile detector (quantile.ts) and the quantiles read from it. A wait
 * is how long past its expected arrival a heartbeat came, in intervals: jitter, plus whole
 * intervals when heartbeats were lost or the link stalled. Bins are linear where jitter lives and
 * geometric beyond, so one fixed array covers a 1 % jitter and a ten-thousand-interval outage.
 */

/** Largest waits the exponential tail is fitted to, where the budget is beyond the samples. */
const TAIL_SAMPLES = 10;
/** Smallest tail scale, in intervals: a perfectly regular link still gets a finite margin. */
export const MIN_TAIL_SCALE = 0.1;
/**
 * Wait histogram, in intervals past the expected arrival: linear bins of 0.04 over [−2, 2) for
 * jitter, then bins 8 % apart up to 10 000 intervals for losses and outages (211 bins).
 */
const LINEAR_LO = -2;
const LINEAR_HI = 2;
const LINEAR_STEP = 0.04;
const LINEAR_BINS = Math.round((LINEAR_HI - LINEAR_LO) / LINEAR_STEP);
const LOG_RATIO = 1.08;
const LOG_BINS = Math.ceil(Math.log(10_000 / LINEAR_HI) / Math.log(LOG_RATIO));
export const WAIT_BINS = LINEAR_BINS + LOG_BINS;

/** A wait histogram: weight per bin (single precision is plenty for counts with decay). */
export type Histogram = Float32Array | Float64Array;

/** Histogram bin of a wait measured in intervals. */
export function waitBin(waitIntervals: number): number {
  if (!(waitIntervals >= LINEAR_LO)) return 0;
  if (waitIntervals < LINEAR_HI) {
    return Math.min(LINEAR_BINS - 1, Math.floor((waitIntervals - LINEAR_LO) / LINEAR_STEP));
  }
  const k = Math.floor(Math.log(waitIntervals / LINEAR_HI) / Math.log(LOG_RATIO));
  return Math.min(WAIT_BINS - 1, LINEAR_BINS + k);
}

/** Upper edge of each histogram bin, in intervals; shared by every detector (computed once). */
const BIN_UPPER = Float64Array.from({ length: WAIT_BINS }, (_, bin) =>
  bin < LINEAR_BINS
    ? LINEAR_LO + (bin + 1) * LINEAR_STEP
    : LINEAR_HI * LOG_RATIO ** (bin - LINEAR_BINS + 1),
);
/** Middle of each bin (the value a sample in it stands for in the tail fit). */
const BIN_MID = Float64Array.from({ length: WAIT_BINS }, (_, bin) =>
  bin === 0
    ? (BIN_UPPER[0] as number)
    : ((BIN_UPPER[bin - 1] as number) + (BIN_UPPER[bin] as number)) / 2,
);

/** Upper edge of a histogram bin, in intervals. */
export function waitBinUpper(bin: number): number {
  return BIN_UPPER[Math.min(WAIT_BINS - 1, Math.max(0, bin))] as number;
}

/**
 * The scale of the exponential tail fitted beyond the largest `TAIL_SAMPLES` waits: the mean
 * excess over the wait `u` that a share `k/n` exceeds, at least `MIN_TAIL_SCALE`. Histograms are
 * `WAIT_BINS` weights from index `base` of `histogram` (several may share one array).
 */
export function tailScale(
  histogram: Histogram,
  totalWeight: number,
  effectiveSamples: number,
  base = 0,
): number {
  const q = Math.min(0.5, TAIL_SAMPLES / Math.max(1, effectiveSamples));
  const u = survivalQuantile(histogram, totalWeight, q, base);
  let weight = 0;
  let excess = 0;
  for (let bin = waitBin(u); bin < WAIT_BINS; bin++) {
    const w = histogram[base + bin] as number;
    if (w === 0) continue;
    const mid = BIN_MID[bin] as number;
    if (mid <= u) continue;
    weight += w;
    excess += w * (mid - u);
  }
  return Math.max(MIN_TAIL_SCALE, weight > 0 ? excess / weight : 0);
}

/**
 * The wait (in intervals) exceeded with probability `p`, from `n` effective samples. Where the
 * samples resolve it (`p·n ≥ 1`), the empirical quantile, rounded up to a bin edge. Where the
 * budget is finer than the samples can show, the tail continues past the largest wait as an
 * exponential whose scale is fitted to the largest `TAIL_SAMPLES` waits (`tailScale`):
 * `largest + scale · ln(1 / (n·p))`. So a wait never seen — two heartbeats lost in a row, a stall
 * a little longer than any so far — is still covered in proportion to how heavy the tail is.
 * A caller that has fitted the tail already passes its `scale`.
 */
export function tailQuantile(
  histogram: Histogram,
  totalWeight: number,
  effectiveSamples: number,
  p: number,
  scale?: number,
  base = 0,
): number {
  if (p * effectiveSamples >= 1) return survivalQuantile(histogram, totalWeight, p, base);
  // Beyond the largest wait in memory: continue from it with the tail's fitted scale.
  const n = Math.max(1, effectiveSamples);
  const largest = survivalQuantile(histogram, totalWeight, 1 / n, base);
  const s = scale ?? tailScale(histogram, totalWeight, effectiveSamples, base);
  return largest + s * Math.log(1 / (n * p));
}

/**
 * The smallest bin edge (in intervals) beyond which at most a share `p` of the weight lies: the
 * (1 − p) quantile, rounded up to the bin's upper edge so the estimate errs towards patience.
 */
export function survivalQuantile(
  histogram: Histogram,
  totalWeight: number,
  p: number,
  base = 0,
): number {
  const allowed = p * totalWeight;
  let above = 0;
  for (let bin = WAIT_BINS - 1; bin >= 0; bin--) {
    above += histogram[base + bin] as number;
    if (above > allowed) return waitBinUpper(bin);
  }
  return waitBinUpper(0);
}

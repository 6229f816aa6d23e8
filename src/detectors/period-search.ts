/**
 * Finds the period of outages that recur on a schedule from the times of recent stalls (heartbeats
 * late by several intervals; "late times" below), for a link whose schedule is not the one
 * configured (outage-schedule.ts). Candidates are the spacings between the newest late time and
 * each earlier one, divided by 1…`MAX_CYCLES`; a candidate is refined by least squares over the
 * times that fall in step with it, and judged by how improbable it would be, if outages came at
 * random phases, that so many different cycles of it hold one. Stalls come in bursts (a stall of
 * the network delays the heartbeats of several intervals), so the evidence is counted in episodes
 * — late times closer together than the matching tolerance are one — and in distinct cycles.
 */

/** Periods tried per earlier late time: its spacing from the newest over 1, 2, … this many. */
const MAX_CYCLES = 6;
/** Cycles of the period that must hold a late time, the newest's included. */
export const MIN_PERIOD_MATCHES = 4;
/**
 * Chance, over every candidate of one search together (Bonferroni), that late times at random
 * phases would match some period as well as the one accepted.
 */
export const PERIOD_SIGNIFICANCE = 1e-5;

/** A period found, its phase (a late time in step with it) and the evidence for it. */
export interface FoundPeriod {
  periodMs: number;
  /** One late time in step with the period (the newest): the schedule's phase. */
  phaseMs: number;
  /** Cycles of it that hold a late time, the newest's included. */
  matches: number;
  /** Bonferroni-corrected chance of so many matches at random phases. */
  pValue: number;
}

export interface PeriodSearchOptions {
  minPeriodMs: number;
  maxPeriodMs: number;
  /** How far from the period's grid a late time may fall and still match, in ms. */
  toleranceMs: (periodMs: number) => number;
}

/**
 * The best-supported period among `times[0..count)` (late heartbeats' expected arrival times, in
 * any order), or undefined when none is significant. Costs about `count² · MAX_CYCLES` steps.
 */
export function findPeriod(
  times: ArrayLike<number>,
  count: number,
  options: PeriodSearchOptions,
): FoundPeriod | undefined {
  if (count < MIN_PERIOD_MATCHES) return undefined;
  const sorted = Float64Array.from({ length: count }, (_, i) => times[i] as number).sort();
  const newest = sorted[count - 1] as number;
  let best: FoundPeriod | undefined;
  let candidates = 0;
  for (let i = 0; i < count - 1; i++) {
    const spacing = newest - (sorted[i] as number);
    for (let k = 1; k <= MAX_CYCLES; k++) {
      const guess = spacing / k;
      if (guess < options.minPeriodMs) break;
      if (guess > options.maxPeriodMs) continue;
      candidates++;
      const period = refine(sorted, newest, guess, options.toleranceMs(guess));
      if (!(period >= options.minPeriodMs && period <= options.maxPeriodMs)) continue;
      const tolerance = options.toleranceMs(period);
      const matches = cyclesInStep(sorted, newest, period, tolerance);
      if (matches < MIN_PERIOD_MATCHES) continue;
      const chance = binomialTail(
        episodes(sorted, tolerance) - 1,
        Math.min(1, (2 * tolerance) / period),
        matches - 1,
      );
      if (best === undefined || chance < best.pValue) {
        best = { periodMs: period, phaseMs: newest, matches, pValue: chance };
      }
    }
  }
  if (best === undefined) return undefined;
  best.pValue = Math.min(1, best.pValue * candidates);
  return best.pValue < PERIOD_SIGNIFICANCE ? best : undefined;
}

/** Bursts among ascending times: times closer than `tolerance` to the previous one are one. */
function episodes(sorted: Float64Array, tolerance: number): number {
  let n = sorted.length > 0 ? 1 : 0;
  for (let i = 1; i < sorted.length; i++) {
    if ((sorted[i] as number) - (sorted[i - 1] as number) > tolerance) n++;
  }
  return n;
}

/**
 * Distinct cycles `c` of the grid `newest − c·period` that hold a time within `tolerance` of it
 * (the newest's own, c = 0, included). Times ascend, so cycle numbers of matches only fall.
 */
function cyclesInStep(
  sorted: Float64Array,
  newest: number,
  period: number,
  tolerance: number,
): number {
  let matches = 0;
  let last = -1;
  for (let j = 0; j < sorted.length; j++) {
    const cycles = (newest - (sorted[j] as number)) / period;
    const c = Math.round(cycles);
    if (Math.abs(cycles - c) * period > tolerance || c === last) continue;
    matches++;
    last = c;
  }
  return matches;
}

/**
 * The period that best fits the times in step with `guess`: least squares of each spacing from
 * the newest against its whole number of cycles, `Σ c·d / Σ c²`.
 */
function refine(sorted: Float64Array, newest: number, guess: number, tolerance: number): number {
  let cd = 0;
  let cc = 0;
  for (let j = 0; j < sorted.length; j++) {
    const spacing = newest - (sorted[j] as number);
    const cycles = Math.round(spacing / guess);
    if (cycles < 1 || Math.abs(spacing - cycles * guess) > tolerance) continue;
    cd += cycles * spacing;
    cc += cycles * cycles;
  }
  return cc > 0 ? cd / cc : guess;
}

/** P(X ≥ m) for X ~ Binomial(n, q), summed exactly (n is at most a few dozen here). */
export function binomialTail(n: number, q: number, m: number): number {
  if (m <= 0) return 1;
  if (m > n) return 0;
  if (q >= 1) return 1;
  if (q <= 0) return 0;
  // P(X = m), then the terms above it by the ratio of consecutive terms.
  let term = Math.exp(logChoose(n, m) + m * Math.log(q) + (n - m) * Math.log1p(-q));
  let sum = 0;
  for (let j = m; j <= n; j++) {
    sum += term;
    term *= ((n - j) / (j + 1)) * (q / (1 - q));
  }
  return Math.min(1, sum);
}

function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log((n - k + i) / i);
  return s;
}

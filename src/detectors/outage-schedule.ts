import { objectBytes, TYPED_ARRAY_HEADER_BYTES } from './footprint.js';
import { findPeriod } from './period-search.js';

/** Phase bins per period: 250 ms each at Starlink's 15 s. */
export const SCHEDULE_BINS = 60;
/** Late waits a window of phase bins needs before it can be called a recurring outage. */
export const MIN_RECURRING_EVENTS = 3;
/**
 * How unlikely the late waits in a window must be under one rate for the whole period before the
 * window is called recurring: a Poisson tail probability. Sixty windows are tested, so about one
 * link in sixteen with uniform losses has a window flagged by chance at any time; a flagged
 * window only sends its heartbeats to a histogram of their own (see quantile.ts), which costs
 * little when the window is ordinary.
 */
const RECURRING_SIGNIFICANCE = 1e-3;
/** Waits between recomputations of the flags when nothing was late (rates move slowly). */
const REFRESH_EVERY = 64;
/** Late waits remembered one by one, to be moved when their phase turns out to recur. */
export const RECENT_LATE = 32;
/** Stalls remembered for the period search. */
export const RECENT_STALLS = 16;
/** Longest period searched for. */
const MAX_SEARCHED_PERIOD_MS = 600_000;
/** Fields of the object and its typed arrays, for `memoryBytes()` (footprint.ts). */
const FIELDS = 17;
const TYPED_ARRAYS = 8;

/**
 * Moves one late wait, filed earlier under `tag` in wait-histogram bin `waitBin` with weight
 * `weight`, to the caller's class for recurring outages.
 */
export type MoveLateWait = (tag: number, waitBin: number, weight: number) => void;

/**
 * Where in a period late heartbeats cluster: a link that fails on a schedule (a Starlink
 * terminal is reassigned to a satellite every 15 s, globally in step, and loses packets for a
 * moment each time) shows it as late waits at one phase of the period, again and again. Every
 * wait is filed by the phase of the arrival it waited for (monotonic ms modulo the period, in
 * `SCHEDULE_BINS` bins), counting the waits ("exposure") and the late ones. A pair of adjacent
 * bins is **recurring** when it holds at least `MIN_RECURRING_EVENTS` late waits and that many
 * would happen by chance with probability below `RECURRING_SIGNIFICANCE`, if lateness were
 * spread evenly over the period at the link's overall rate. Pairs, so an outage that begins near
 * a bin edge is not split in two weaker halves.
 *
 * The last `RECENT_LATE` late waits are remembered with the caller's tag (its class for them),
 * their wait-histogram bin, weight and time; when their phase becomes recurring they are handed back
 * through `move`, so the caller can take them out of the class they were filed under — the
 * outages seen before the schedule was recognised then stop making every other moment patient.
 *
 * The period need not be the one given: the last `RECENT_STALLS` stalls (waits of several
 * intervals, noted by the caller) are searched for a period of their own (`noteStall`), and when
 * one is found and a window recurs in it, the schedule takes it on (`adoptPeriod`).
 *
 * The counts are weights the caller decays (the quantile detector's sample weight, which grows
 * by 2^(elapsed / half-life)); `rescale` divides them all when the caller rescales its weights.
 * The phase is the monitor's own monotonic time, so what is learned is the schedule's phase on
 * this monitor's clock: no wall clock or time zone is involved.
 */
export class OutageSchedule {
  private readonly exposure = new Float64Array(SCHEDULE_BINS);
  private readonly late = new Float64Array(SCHEDULE_BINS);
  private readonly flags = new Uint8Array(SCHEDULE_BINS);
  private readonly previous = new Uint8Array(SCHEDULE_BINS);
  private totalExposure = 0;
  private totalLate = 0;
  private sinceRefresh = 0;
  private readonly recentTag = new Uint8Array(RECENT_LATE);
  private readonly recentWaitBin = new Uint16Array(RECENT_LATE);
  private readonly recentWeight = new Float64Array(RECENT_LATE);
  /**
   * When each remembered late wait was expected (monotonic ms), then (from `RECENT_LATE` on) when
   * each remembered stall was: one array for both, as each typed array costs a header.
   */
  private readonly atMs = new Float64Array(RECENT_LATE + RECENT_STALLS);
  private recentHead = 0;
  private stallHead = 0;
  private stallCount = 0;
  private periodMs: number;
  private binsPerMs: number;
  private lastAtMs = Number.NaN;
  private lastBin = 0;

  /**
   * @param periodMs the schedule's period
   * @param recurringTag the caller's tag for waits in recurring windows (never moved)
   * @param move takes a remembered late wait out of its class when its phase starts to recur
   */
  constructor(
    periodMs: number,
    private readonly recurringTag: number,
    private readonly move: MoveLateWait,
  ) {
    this.periodMs = periodMs;
    this.binsPerMs = SCHEDULE_BINS / periodMs;
  }

  /** The period phases are taken in: the one given, or one found by `noteStall`. */
  get period(): number {
    return this.periodMs;
  }

  /** Phase bin of a monotonic time (the last answer is kept: each time is asked about twice). */
  binOf(atMs: number): number {
    if (atMs === this.lastAtMs) return this.lastBin;
    const bin = this.phaseBin(atMs);
    this.lastAtMs = atMs;
    this.lastBin = bin;
    return bin;
  }

  /**
   * Files the newest wait, for the arrival expected at `expectedMs`, with the newest sample's
   * weight (older samples weigh less by their age: counts are read in units of this weight). A
   * late one also names the caller's `tag` and `waitBin` for it (see `move`).
   */
  observe(expectedMs: number, weight: number, late: boolean, tag: number, waitBin: number): void {
    const bin = this.binOf(expectedMs);
    this.exposure[bin] = (this.exposure[bin] as number) + weight;
    this.totalExposure += weight;
    if (late) {
      this.late[bin] = (this.late[bin] as number) + weight;
      this.totalLate += weight;
      const i = this.recentHead;
      this.recentTag[i] = tag;
      this.recentWaitBin[i] = waitBin;
      this.recentWeight[i] = weight;
      this.atMs[i] = expectedMs;
      this.recentHead = (i + 1) % RECENT_LATE;
    }
    if (++this.sinceRefresh >= REFRESH_EVERY) this.refresh(weight);
    else if (late) this.checkAround(bin, weight);
  }

  /** Whether the arrival expected at `expectedMs` falls in a recurring outage window. */
  recurring(expectedMs: number): boolean {
    return this.flags[this.binOf(expectedMs)] === 1;
  }

  /**
   * Notes a stall (a wait of several intervals, which single lost heartbeats do not make) expected
   * at `expectedMs`, and looks for the period of the remembered stalls (period-search.ts). When
   * one is significant and not the current period, everything is re-filed under it
   * (`adoptPeriod`), even if a window recurs at the current one: that can be an alias (stalls
   * every 45 s meet every third 15 s cycle at one phase), and the stalls' own period is better.
   * `intervalMs` is the sender's interval: periods of fewer than `minIntervals` of it are not
   * searched, and a stall may fall 1.5 intervals (plus 1 % of the period) off the period's grid
   * and still match. Returns whether the period changed.
   */
  noteStall(
    expectedMs: number,
    intervalMs: number,
    minIntervals: number,
    currentWeight: number,
  ): boolean {
    this.atMs[RECENT_LATE + this.stallHead] = expectedMs;
    this.stallHead = (this.stallHead + 1) % RECENT_STALLS;
    this.stallCount = Math.min(RECENT_STALLS, this.stallCount + 1);
    const stalls = this.atMs.subarray(RECENT_LATE, RECENT_LATE + this.stallCount);
    const found = findPeriod(stalls, this.stallCount, {
      minPeriodMs: minIntervals * intervalMs,
      maxPeriodMs: MAX_SEARCHED_PERIOD_MS,
      toleranceMs: (period) => 1.5 * intervalMs + 0.01 * period,
    });
    if (found === undefined || Math.abs(found.periodMs - this.periodMs) < 0.01 * this.periodMs) {
      return false;
    }
    return this.adoptPeriod(found.periodMs, currentWeight);
  }

  /**
   * Takes phases in a new period, if a window recurs in it. The counts by phase cannot be carried
   * over: all waits are spread evenly over the new period (a periodic sender's waits are), and so
   * is lateness, except the remembered stalls, the evidence for the period, which are filed at
   * their phase (each at the newest weight: they are minutes old, the half-life is longer). Then
   * the flags are computed afresh. If none is set, the old period and counts are kept and this
   * returns false; else the remembered late waits of recurring windows are handed to `move`.
   */
  adoptPeriod(periodMs: number, currentWeight: number): boolean {
    const old = {
      periodMs: this.periodMs,
      exposure: this.exposure.slice(),
      late: this.late.slice(),
      flags: this.flags.slice(),
    };
    this.setPeriod(periodMs);
    const stallWeight = Math.min(this.totalLate, this.stallCount * currentWeight);
    this.exposure.fill(this.totalExposure / SCHEDULE_BINS);
    this.late.fill((this.totalLate - stallWeight) / SCHEDULE_BINS);
    for (let i = 0; i < this.stallCount; i++) {
      const bin = this.phaseBin(this.atMs[RECENT_LATE + i] as number);
      this.late[bin] = (this.late[bin] as number) + stallWeight / this.stallCount;
    }
    this.flags.fill(0);
    for (let b = 0; b < SCHEDULE_BINS; b++) this.flagPair(b, currentWeight);
    if (!this.flags.includes(1)) {
      this.setPeriod(old.periodMs);
      this.exposure.set(old.exposure);
      this.late.set(old.late);
      this.flags.set(old.flags);
      return false;
    }
    this.previous.fill(0);
    this.moveNewlyRecurring();
    this.sinceRefresh = 0;
    return true;
  }

  /** Phase bin of a monotonic time: floor division rather than %, a slow call for doubles. */
  private phaseBin(atMs: number): number {
    const phase = atMs - Math.floor(atMs / this.periodMs) * this.periodMs;
    return Math.min(SCHEDULE_BINS - 1, Math.max(0, Math.floor(phase * this.binsPerMs)));
  }

  private setPeriod(periodMs: number): void {
    this.periodMs = periodMs;
    this.binsPerMs = SCHEDULE_BINS / periodMs;
    this.lastAtMs = Number.NaN;
  }

  /** Takes on `other`'s state (a schedule of the same tag, for a copy of its detector). */
  copyFrom(other: OutageSchedule): void {
    this.exposure.set(other.exposure);
    this.late.set(other.late);
    this.flags.set(other.flags);
    this.previous.set(other.previous);
    this.totalExposure = other.totalExposure;
    this.totalLate = other.totalLate;
    this.sinceRefresh = other.sinceRefresh;
    this.recentTag.set(other.recentTag);
    this.recentWaitBin.set(other.recentWaitBin);
    this.recentWeight.set(other.recentWeight);
    this.atMs.set(other.atMs);
    this.recentHead = other.recentHead;
    this.stallHead = other.stallHead;
    this.stallCount = other.stallCount;
    this.periodMs = other.periodMs;
    this.binsPerMs = other.binsPerMs;
    this.lastAtMs = other.lastAtMs;
    this.lastBin = other.lastBin;
  }

  /** Divides every weight by `factor` (the caller rescaled its own). */
  rescale(factor: number): void {
    for (let b = 0; b < SCHEDULE_BINS; b++) {
      this.exposure[b] = (this.exposure[b] as number) / factor;
      this.late[b] = (this.late[b] as number) / factor;
    }
    for (let i = 0; i < RECENT_LATE; i++) {
      this.recentWeight[i] = (this.recentWeight[i] as number) / factor;
    }
    this.totalExposure /= factor;
    this.totalLate /= factor;
  }

  memoryBytes(): number {
    return (
      objectBytes(FIELDS) +
      TYPED_ARRAYS * TYPED_ARRAY_HEADER_BYTES +
      SCHEDULE_BINS * (8 + 8 + 1 + 1) +
      RECENT_LATE * (1 + 2 + 8 + 8) +
      RECENT_STALLS * 8
    );
  }

  /**
   * Recomputes every bin's flag against the overall late rate (counts in newest-sample units),
   * then hands the remembered late waits of newly recurring bins to `move`.
   */
  private refresh(currentWeight: number): void {
    this.sinceRefresh = 0;
    this.previous.set(this.flags);
    this.flags.fill(0);
    for (let b = 0; b < SCHEDULE_BINS; b++) this.flagPair(b, currentWeight);
    this.moveNewlyRecurring();
  }

  /** After a late wait in `bin`: tests the two pairs that hold it (flags are only added here). */
  private checkAround(bin: number, currentWeight: number): void {
    this.previous.set(this.flags);
    this.flagPair((bin + SCHEDULE_BINS - 1) % SCHEDULE_BINS, currentWeight);
    this.flagPair(bin, currentWeight);
    this.moveNewlyRecurring();
  }

  /** Flags bins `b` and `b + 1` when their late waits together are improbable at the overall rate. */
  private flagPair(b: number, currentWeight: number): void {
    if (!(this.totalExposure > 0) || !(this.totalLate > 0)) return;
    const next = (b + 1) % SCHEDULE_BINS;
    const events = ((this.late[b] as number) + (this.late[next] as number)) / currentWeight;
    if (events < MIN_RECURRING_EVENTS) return;
    const rate = this.totalLate / this.totalExposure;
    const expected =
      (((this.exposure[b] as number) + (this.exposure[next] as number)) / currentWeight) * rate;
    // At most the expected count is never significant (the tail is then above 0.3): skip it.
    if (Math.floor(events) <= expected) return;
    if (poissonTail(Math.floor(events), expected) < RECURRING_SIGNIFICANCE) {
      this.flags[b] = 1;
      this.flags[next] = 1;
    }
  }

  /** Hands the remembered late waits of bins flagged since `previous` to `move`, once each. */
  private moveNewlyRecurring(): void {
    let newly = false;
    for (let b = 0; b < SCHEDULE_BINS && !newly; b++)
      newly = this.flags[b] === 1 && this.previous[b] === 0;
    if (!newly) return;
    for (let i = 0; i < RECENT_LATE; i++) {
      const w = this.recentWeight[i] as number;
      if (w === 0 || this.recentTag[i] === this.recurringTag) continue;
      // The phase in the current period (it may have changed since the wait was filed).
      const bin = this.phaseBin(this.atMs[i] as number);
      if (this.flags[bin] === 1 && this.previous[bin] === 0) {
        this.move(this.recentTag[i] as number, this.recentWaitBin[i] as number, w);
        this.recentTag[i] = this.recurringTag;
      }
    }
  }
}

/** Terms summed exactly; beyond, the Chernoff bound (an upper bound: flags err on the rare side). */
const EXACT_TERMS = 200;

/** P(X ≥ k) for X ~ Poisson(λ): one minus the sum of the first k terms, or a bound for large k. */
export function poissonTail(k: number, lambda: number): number {
  if (!(k > 0)) return 1;
  if (!(lambda > 0)) return 0;
  if (k > EXACT_TERMS || lambda > EXACT_TERMS) {
    // P(X ≥ k) ≤ e^(k − λ) (λ / k)^k for k > λ
    return k <= lambda ? 1 : Math.min(1, Math.exp(k - lambda + k * Math.log(lambda / k)));
  }
  let term = Math.exp(-lambda);
  let below = 0;
  for (let i = 0; i < k; i++) {
    below += term;
    term *= lambda / (i + 1);
  }
  return Math.max(0, 1 - below);
}

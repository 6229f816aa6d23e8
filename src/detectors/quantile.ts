/**
 * The empirical-quantile failure detector: the detector itself, its options and the class of an
 * arrival. Its parts: interval-estimator.ts, class-histograms.ts (over wait-histogram.ts),
 * margin-split.ts and the opt-in schedule-learning.ts (over outage-schedule.ts, period-search.ts).
 */
import { MAX_DETECTOR_WINDOW } from '../core/limits.js';
import type { DetectorContext, DetectorExplanation, FailureDetector } from './detector.js';
import { ClassHistograms } from './class-histograms.js';
import { explanation } from './explanation.js';
import { objectBytes, TYPED_ARRAY_HEADER_BYTES } from './footprint.js';
import { IntervalEstimator, MIN_SPAN_STEPS } from './interval-estimator.js';
import { budgetPerHeartbeat, splitBudget } from './margin-split.js';
import { ScheduleLearning } from './schedule-learning.js';

/** Options of the empirical-quantile detector. */
export interface QuantileOptions {
  /**
   * False suspicions per hour the detector budgets for on a healthy link. It is turned into a
   * per-heartbeat probability (`mistakesPerHour × interval / 1 h`) and the detector waits for the
   * matching quantile of the waits it has seen, so the parameter means the same on a 10 ms LAN
   * link and a 1 s satellite link.
   * @default 0.5: half the "one false alarm per node-hour" that operators tolerate, because the
   * tail beyond the samples is an estimate.
   */
  mistakesPerHour?: number;
  /**
   * How long a wait is remembered: its weight in the distribution halves every `halfLifeMs`.
   * @default 1 h: rare outages (a satellite handover, a multi-second stall) recur on a scale of
   * minutes, and a detector that forgets them between two occurrences is fooled by each one.
   */
  halfLifeMs?: number;
  /**
   * Arrivals kept to measure the sender's real interval (time per sequence step across the
   * window). Bounded by `MAX_DETECTOR_WINDOW`.
   * @default 64: long enough that one late heartbeat barely moves the interval estimate.
   */
  windowSize?: number;
  /**
   * Period of outages the link has on a schedule, in ms, to start from; 0 turns schedules off.
   * Waits are also filed by their phase in the period, and a phase where late heartbeats recur far
   * more often than elsewhere (outage-schedule.ts) gets a histogram of its own, so the link is
   * given patience at that moment of each period and a tight deadline the rest of the time. The
   * stalls' own period is searched for too (period-search.ts) and taken on when found.
   * @default 15 000: Starlink reassigns every terminal to a satellite every 15 s, globally in
   * step, and drops packets for a moment at each reassignment. On a link without such a schedule
   * no phase stands out and nothing changes.
   */
  schedulePeriodMs?: number;
}

/** Sequence steps beyond what elapsed time allows that mean the sender restarted its numbering. */
const RENUMBER_SLACK = 16;
/** Weight of waits (in heartbeats) needed before the detector trusts its own distribution. */
const MIN_SAMPLES = 16;
/** Cold-start margin, in intervals past the expected arrival: one lost heartbeat plus jitter. */
const COLD_MARGIN_INTERVALS = 2;
/**
 * The waits are kept apart by the turbulence that preceded them, in `TURBULENCE_CLASSES`
 * histograms. Turbulence is the largest deviation of the last few inter-arrival gaps from the
 * interval, in intervals (interval-estimator.ts), cut at `TURBULENCE_EDGES`: a calm link keeps it
 * under a tenth, a jittery one under a third, and a disturbed one (heartbeats just lost, or
 * bunched up as a backlog flushes) goes above. Outages cluster — on the in-vehicle cellular traces
 * most multi-second stalls begin within a few heartbeats of another disturbance — so a calm link
 * is allowed a tight deadline without paying for the stalls of a disturbed one.
 */
const TURBULENCE_EDGES = [0.1, 0.3];
const TURBULENCE_CLASSES = TURBULENCE_EDGES.length + 1;
/**
 * The class of arrivals expected in a recurring outage window (see `schedulePeriodMs`), after the
 * turbulence classes. Its histogram is kept whether or not the schedule is learned (empty when it
 * is not), as the memory model has always counted it.
 */
const SCHEDULED = TURBULENCE_CLASSES;
const CLASSES = SCHEDULED + 1;
/** Waits between recomputations of the class margins (they move slowly; saves work). */
const TAIL_REFRESH = 64;
/** Samples a turbulence class needs before its own waits are used instead of all of them. */
const MIN_CLASS_SAMPLES = 32;
export const DEFAULT_MISTAKES_PER_HOUR = 0.5;
export const DEFAULT_HALF_LIFE_MS = 3_600_000;
export const DEFAULT_QUANTILE_WINDOW = 64;
export const DEFAULT_SCHEDULE_PERIOD_MS = 15_000;
/**
 * Fields of the detector and of its parts (estimator, histograms, schedule learning) for
 * `memoryBytes()` (footprint.ts): the count of the one object that held the same state before
 * the parts were split out of it; their typed arrays are counted by each part.
 */
const DETECTOR_FIELDS = 29;

/**
 * An empirical-quantile failure detector. After each heartbeat it expects the next one an
 * interval later (an interval it measures itself from arrivals and sequence numbers,
 * interval-estimator.ts), and records how long past that the next heartbeat really came — the
 * "wait": jitter, plus whole intervals when heartbeats were lost or the link stalled. It suspects
 * once the silence reaches the quantile of past waits that matches its false-suspicion budget
 * (`mistakesPerHour`). No distribution is assumed: heavy tails, bimodal delay and loss bursts are
 * all in the samples. Four refinements:
 * - the waits live in histograms whose weights decay with a half-life of an hour rather than in
 *   a short window (class-histograms.ts), so the rare long outages that cause most false
 *   suspicions are remembered between occurrences;
 * - waits are kept per turbulence class (calm, jittery, disturbed: see `TURBULENCE_EDGES`), and
 *   the budget is shared between classes in proportion to how heavy each one's tail is
 *   (margin-split.ts), so a calm link is not made to wait for the stalls of a disturbed one;
 * - where the budget is finer than the samples can resolve, the tail continues past the largest
 *   wait in memory with an exponential fitted to the largest waits (wait-histogram.ts), so a
 *   stall a little longer than any seen is still covered;
 * - outages on a schedule are learned when `schedulePeriodMs` asks for it
 *   (schedule-learning.ts, outage-schedule.ts), their period too (period-search.ts): an arrival
 *   expected at a phase of the period where late heartbeats recur goes to a class of its own,
 *   whatever its turbulence, so the patience those moments need is not spent on the rest.
 *
 * Memory: five `Float32Array` histograms (four classes and the pooled one) of `WAIT_BINS` (211)
 * bins, two `Float64Array(windowSize)` rings (arrival times and sequence numbers), five small
 * per-class arrays, the schedule's arrays (60 phase bins, 32 remembered late waits, 16 stalls)
 * and a few fields: 10.2 kB by `memoryBytes()` at the default window (7.0 kB with the schedule
 * off), about twenty times a windowed φ or Chen detector — for links whose detection quality
 * matters.
 */
export class QuantileDetector implements FailureDetector {
  readonly kind = 'quantile' as const;
  readonly threshold = 1;
  readonly mistakesPerHour: number;
  readonly halfLifeMs: number;
  readonly windowSize: number;
  readonly schedulePeriodMs: number;
  private readonly estimator: IntervalEstimator;
  private readonly histograms: ClassHistograms;
  /** The outage schedule being learned; undefined when off or the period is too short. */
  private readonly learning: ScheduleLearning | undefined;
  /** Margin (intervals) per class, recomputed by `refreshMargins`. */
  private readonly marginIntervals = new Float64Array(CLASSES);
  /** Class of the last arrival: the histogram its wait will go to. */
  private pendingClass = 0;
  private samplesAtRefresh = -Infinity;
  private lastMs = Number.NaN;
  private lastSeq = 0;
  private expectedMs = Number.NaN;
  private deadlineMs = Infinity;
  private marginMs = 0;
  private intervalMs: number;

  constructor(options: QuantileOptions, context: DetectorContext) {
    const budget = options.mistakesPerHour ?? DEFAULT_MISTAKES_PER_HOUR;
    this.mistakesPerHour =
      budget > 0 && Number.isFinite(budget) ? budget : DEFAULT_MISTAKES_PER_HOUR;
    const halfLife = options.halfLifeMs ?? DEFAULT_HALF_LIFE_MS;
    this.halfLifeMs = halfLife > 0 && Number.isFinite(halfLife) ? halfLife : DEFAULT_HALF_LIFE_MS;
    const size = Math.floor(options.windowSize ?? DEFAULT_QUANTILE_WINDOW);
    this.windowSize = Math.min(
      MAX_DETECTOR_WINDOW,
      Math.max(MIN_SPAN_STEPS, size || DEFAULT_QUANTILE_WINDOW),
    );
    const senderIntervalMs = context.intervalMs > 0 ? context.intervalMs : 1000;
    this.intervalMs = senderIntervalMs;
    this.estimator = new IntervalEstimator(this.windowSize, senderIntervalMs);
    this.histograms = new ClassHistograms(CLASSES, this.halfLifeMs);
    const period = options.schedulePeriodMs ?? DEFAULT_SCHEDULE_PERIOD_MS;
    this.schedulePeriodMs = period >= 0 && Number.isFinite(period) ? period : 0;
    this.learning = ScheduleLearning.applies(this.schedulePeriodMs, senderIntervalMs)
      ? new ScheduleLearning(this.schedulePeriodMs, this.histograms, SCHEDULED)
      : undefined;
  }

  heartbeat(nowMs: number, seq?: number): void {
    if (!Number.isFinite(nowMs) || nowMs < this.lastMs) return;
    const first = Number.isNaN(this.lastMs);
    let s = seq !== undefined && Number.isSafeInteger(seq) ? seq : this.lastSeq + 1;
    if (!first) {
      if (s <= this.lastSeq) s = this.lastSeq + 1; // duplicate, reordered or renumbered
      const elapsedSteps = (nowMs - this.lastMs) / this.intervalMs;
      if (s - this.lastSeq > 2 * elapsedSteps + RENUMBER_SLACK) {
        // The numbering jumped further than time allows (a restarted sender): measure afresh.
        this.estimator.reset();
      } else {
        this.addWait((nowMs - this.expectedMs) / this.intervalMs, nowMs - this.lastMs);
      }
    }
    this.lastMs = nowMs;
    this.lastSeq = s;
    this.estimator.add(nowMs, s);
    this.intervalMs = this.estimator.intervalMs();
    this.expectedMs = nowMs + this.intervalMs;
    this.pendingClass =
      this.learning?.recurring(this.expectedMs) === true
        ? SCHEDULED
        : turbulenceClass(this.estimator.turbulence(this.intervalMs));
    this.marginMs = this.quantileMarginMs(this.pendingClass);
    this.deadlineMs = Math.max(this.expectedMs + this.marginMs, nowMs);
  }

  suspicion(nowMs: number): number {
    if (Number.isNaN(this.lastMs) || Number.isNaN(nowMs)) return 0;
    const elapsed = Math.max(0, nowMs - this.lastMs);
    const allowed = this.deadlineMs - this.lastMs;
    // A deadline at the arrival itself: 0 before it, and growing with the silence from it on.
    if (!(allowed > 0)) return nowMs >= this.deadlineMs ? 1 + elapsed / this.intervalMs : 0;
    return elapsed / allowed;
  }

  suspects(nowMs: number): boolean {
    return nowMs >= this.suspectAtMs();
  }

  suspectAtMs(): number {
    return Number.isNaN(this.lastMs) ? Infinity : this.deadlineMs;
  }

  explain(nowMs: number): DetectorExplanation {
    const heard = !Number.isNaN(this.lastMs);
    return explanation(this, nowMs, this.lastMs, {
      mistakesPerHour: this.mistakesPerHour,
      intervalMs: this.intervalMs,
      expectedArrivalMs: heard ? this.expectedMs : Infinity,
      marginMs: this.marginMs,
      samples: this.histograms.total,
      // 1 while the next arrival is expected in a recurring outage window, else 0
      scheduledOutage: this.pendingClass === SCHEDULED ? 1 : 0,
      // the period phases are taken in: schedulePeriodMs, or one found from the outages
      schedulePeriodMs: this.learning?.period ?? 0,
    });
  }

  memoryBytes(): number {
    return (
      objectBytes(DETECTOR_FIELDS) +
      this.estimator.memoryBytes() +
      this.histograms.memoryBytes() +
      TYPED_ARRAY_HEADER_BYTES +
      8 * CLASSES +
      (this.learning?.memoryBytes() ?? 0)
    );
  }

  /** An independent copy in the same state. */
  clone(): QuantileDetector {
    const copy = new QuantileDetector(
      {
        mistakesPerHour: this.mistakesPerHour,
        halfLifeMs: this.halfLifeMs,
        windowSize: this.windowSize,
        schedulePeriodMs: this.schedulePeriodMs,
      },
      { intervalMs: this.estimator.announcedMs },
    );
    copy.estimator.copyFrom(this.estimator);
    copy.histograms.copyFrom(this.histograms);
    if (this.learning !== undefined) copy.learning?.copyFrom(this.learning);
    copy.marginIntervals.set(this.marginIntervals);
    copy.pendingClass = this.pendingClass;
    copy.samplesAtRefresh = this.samplesAtRefresh;
    copy.lastMs = this.lastMs;
    copy.lastSeq = this.lastSeq;
    copy.expectedMs = this.expectedMs;
    copy.deadlineMs = this.deadlineMs;
    copy.marginMs = this.marginMs;
    copy.intervalMs = this.intervalMs;
    return copy;
  }

  /** Records one wait (in intervals) under the class of the arrival it followed. */
  private addWait(waitIntervals: number, elapsedMs: number): void {
    if (!Number.isFinite(waitIntervals)) return;
    const rescaled = this.histograms.decay(elapsedMs);
    if (rescaled !== 1) this.learning?.rescale(rescaled);
    const bin = this.histograms.add(this.pendingClass, waitIntervals);
    this.learning?.observe(this.expectedMs, this.intervalMs, waitIntervals, this.pendingClass, bin);
  }

  /**
   * How long past the expected arrival the detector waits, for an arrival of class `c`: a
   * quantile of the waits that followed arrivals of the same class (of all waits while the class
   * has few samples), at the class's share of the budget.
   */
  private quantileMarginMs(c: number): number {
    const samples = this.histograms.total;
    if (samples < MIN_SAMPLES) return COLD_MARGIN_INTERVALS * this.intervalMs;
    if (this.histograms.stale || samples - this.samplesAtRefresh >= TAIL_REFRESH) {
      this.refreshMargins();
    }
    return (this.marginIntervals[c] as number) * this.intervalMs;
  }

  /**
   * Recomputes every class's margin (in intervals): the tail scales, each class's share of the
   * budget (`splitBudget`), and the quantile at that share. Done every `TAIL_REFRESH` waits, and
   * at once after a wait longer than any its class has seen, so reading a deadline costs a table
   * lookup. (The triggers depend on the waits alone, not on the budget, so a smaller budget never
   * yields an earlier deadline.)
   */
  private refreshMargins(): void {
    const h = this.histograms;
    this.samplesAtRefresh = h.total;
    h.fitTails();
    this.learning?.refresh();
    // The histogram each class reads: a turbulence class its own once it has enough samples.
    const read: number[] = [];
    for (let k = 0; k < TURBULENCE_CLASSES; k++) read.push(h.ownOrPooled(k, MIN_CLASS_SAMPLES));
    if (this.learning !== undefined) read.push(this.learning.histogram());
    const budgets = splitBudget(
      budgetPerHeartbeat(this.mistakesPerHour, this.intervalMs),
      read.map((_, k) => h.weightOf(k)),
      h.weightOf(h.pooled),
      read.map((c) => h.tailScaleOf(c)),
    );
    for (let k = 0; k < TURBULENCE_CLASSES; k++) {
      this.marginIntervals[k] = h.quantile(read[k] as number, budgets[k] as number);
    }
    if (this.learning !== undefined) {
      this.marginIntervals[SCHEDULED] = this.learning.margin(budgets[SCHEDULED] as number);
    }
  }
}

/** Turbulence class of an arrival (see `TURBULENCE_EDGES`). */
export function turbulenceClass(turbulence: number): number {
  let c = 0;
  while (c < TURBULENCE_EDGES.length && turbulence >= (TURBULENCE_EDGES[c] as number)) c++;
  return c;
}

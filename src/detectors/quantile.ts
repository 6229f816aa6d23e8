import { MAX_DETECTOR_WINDOW } from '../core/limits.js';
import type { DetectorContext, DetectorExplanation, FailureDetector } from './detector.js';
import { objectBytes, TYPED_ARRAY_HEADER_BYTES } from './footprint.js';
import { OutageSchedule } from './outage-schedule.js';
import {
  MIN_TAIL_SCALE,
  survivalQuantile,
  tailScale,
  tailQuantile,
  WAIT_BINS,
  waitBin,
} from './wait-histogram.js';

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
/** Sequence steps the window must span before its own interval estimate replaces the sender's. */
const MIN_SPAN_STEPS = 8;
/**
 * The waits are kept apart by the turbulence that preceded them, in `CLASSES` histograms.
 * Turbulence is the largest deviation of the last `TURBULENCE_GAPS` inter-arrival gaps from the
 * interval, in intervals, cut at `TURBULENCE_EDGES`: a calm link keeps it under a tenth, a
 * jittery one under a third, and a disturbed one (heartbeats just lost, or bunched up as a backlog
 * flushes) goes above. Outages cluster — on the in-vehicle cellular traces most multi-second
 * stalls begin within a few heartbeats of another disturbance — so a calm link is allowed a
 * tight deadline without paying for the stalls of a disturbed one.
 */
const TURBULENCE_EDGES = [0.1, 0.3];
/** The class of arrivals expected in a recurring outage window (see `schedulePeriodMs`). */
const SCHEDULED = TURBULENCE_EDGES.length + 1;
const CLASSES = SCHEDULED + 1;
/**
 * A wait counts as late for the schedule when it is at least `LATE_INTERVALS` past the expected
 * arrival (a heartbeat lost) and beyond the body of all waits: the median plus `LATE_SPREADS`
 * times the distance from the median to the 90th percentile. So a link whose ordinary jitter
 * spans several intervals is judged against its own spread, and frequent outages do not raise
 * the bar above themselves (they are far fewer than a tenth of the waits).
 */
const LATE_INTERVALS = 0.75;
const LATE_SPREADS = 4;
/**
 * A wait of at least this many intervals is a stall: the schedule's period is searched for among
 * stalls, which independent losses (one heartbeat, now and then) almost never make.
 */
const STALL_INTERVALS = 3;
/** The schedule is learned only when the period holds at least this many intervals. */
const MIN_INTERVALS_PER_PERIOD = 8;
/** Gaps the turbulence looks back over. */
const TURBULENCE_GAPS = 4;
/** Waits between recomputations of the class margins (they move slowly; saves work). */
const TAIL_REFRESH = 64;
/** Samples a turbulence class needs before its own waits are used instead of all of them. */
const MIN_CLASS_SAMPLES = 32;
/**
 * The scheduled class uses its own waits as soon as it holds the outages that made its window
 * recurring (the pooled histogram would dilute them among every other wait).
 */
const MIN_SCHEDULED_SAMPLES = 4;
/**
 * Beyond the longest scheduled outage in memory the scheduled class adds this share of it rather
 * than an exponential tail: such outages have a set length (the handover takes as long each
 * time), so the longest seen, and a little more, covers them.
 */
const SCHEDULED_HEADROOM = 0.1;
/** Weights are kept as 2^(t/halfLife) and rescaled long before they overflow single precision. */
const RESCALE_ABOVE = 2 ** 64;
export const DEFAULT_MISTAKES_PER_HOUR = 0.5;
export const DEFAULT_HALF_LIFE_MS = 3_600_000;
export const DEFAULT_QUANTILE_WINDOW = 64;
export const DEFAULT_SCHEDULE_PERIOD_MS = 15_000;
const HOUR_MS = 3_600_000;
/** Fields of the detector object, and its typed arrays, for `memoryBytes()` (footprint.ts). */
const DETECTOR_FIELDS = 29;
const TYPED_ARRAY_COUNT = 8;

/**
 * An empirical-quantile failure detector. After each heartbeat it expects the next one an
 * interval later (an interval it measures itself from arrivals and sequence numbers, so a sender
 * that announces the wrong one, or a sequential pinger that is not periodic at all, is read
 * right), and records how long past that the next heartbeat really came — the "wait": jitter,
 * plus whole intervals when heartbeats were lost or the link stalled. It suspects once the
 * silence reaches the quantile of past waits that matches its false-suspicion budget
 * (`mistakesPerHour`). No distribution is assumed: heavy tails, bimodal delay and loss bursts are
 * all in the samples. Four refinements:
 * - the waits live in histograms whose weights decay with a half-life of an hour rather than in
 *   a short window, so the rare long outages that cause most false suspicions are remembered
 *   between occurrences;
 * - waits are kept per turbulence class (calm, jittery, disturbed: see `TURBULENCE_EDGES`), and
 *   the budget is shared between classes in proportion to how heavy each one's tail is, so a
 *   calm link is not made to wait for the stalls of a disturbed one;
 * - where the budget is finer than the samples can resolve, the tail continues past the largest
 *   wait in memory with an exponential fitted to the largest waits, so a stall a little longer
 *   than any seen is still covered;
 * - outages on a schedule are learned (`schedulePeriodMs`, outage-schedule.ts), their period too
 *   (period-search.ts): an arrival expected at a phase of the period where late heartbeats recur
 *   goes to a class of its own, whatever its turbulence, so the patience those moments need is
 *   not spent on the rest.
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
  private readonly senderIntervalMs: number;
  /** The outage schedule being learned; undefined when off or the period is too short. */
  private readonly schedule: OutageSchedule | undefined;
  private readonly arrivalMs: Float64Array;
  private readonly seqs: Float64Array;
  /** One wait histogram per class (turbulence, then scheduled), then the pooled one. */
  private readonly histograms = new Float32Array((CLASSES + 1) * WAIT_BINS);
  /** Total weight and samples per histogram. */
  private readonly classWeight = new Float64Array(CLASSES + 1);
  private readonly classSamples = new Float64Array(CLASSES + 1);
  /** Class of the last arrival: the histogram its wait will go to. */
  private pendingClass = 0;
  /** Tail scale (intervals) per histogram, recomputed by `refreshMargins`. */
  private readonly tailScale = new Float64Array(CLASSES + 1);
  /** Margin (intervals) per class, recomputed by `refreshMargins`. */
  private readonly marginIntervals = new Float64Array(CLASSES);
  private samplesAtRefresh = -Infinity;
  /** Waits (intervals) at least this long are late for the schedule; set by `refreshMargins`. */
  private lateIntervals = LATE_INTERVALS;
  /** Longest wait seen per class: a longer one makes the margins stale at once. */
  private readonly classLongest = new Float64Array(CLASSES).fill(-Infinity);
  /** A class saw a wait longer than any before since the last refresh. */
  private stale = true;
  /** Arrivals held in the rings, and the index of the next write. */
  private arrivals = 0;
  private arrivalHead = 0;
  /** The weight of the next sample, and samples seen. */
  private sampleWeight = 1;
  private samples = 0;
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
    this.senderIntervalMs = context.intervalMs > 0 ? context.intervalMs : 1000;
    this.intervalMs = this.senderIntervalMs;
    const period = options.schedulePeriodMs ?? DEFAULT_SCHEDULE_PERIOD_MS;
    this.schedulePeriodMs = period >= 0 && Number.isFinite(period) ? period : 0;
    this.schedule =
      this.schedulePeriodMs >= MIN_INTERVALS_PER_PERIOD * this.senderIntervalMs
        ? new OutageSchedule(this.schedulePeriodMs, SCHEDULED, (c, bin, w) =>
            this.moveToScheduled(c, bin, w),
          )
        : undefined;
    this.arrivalMs = new Float64Array(this.windowSize);
    this.seqs = new Float64Array(this.windowSize);
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
        this.arrivals = 0;
        this.arrivalHead = 0;
      } else {
        this.addWait((nowMs - this.expectedMs) / this.intervalMs, nowMs - this.lastMs);
      }
    }
    this.lastMs = nowMs;
    this.lastSeq = s;
    this.addArrival(nowMs, s);
    this.intervalMs = this.estimateIntervalMs();
    this.expectedMs = nowMs + this.intervalMs;
    this.pendingClass =
      this.schedule?.recurring(this.expectedMs) === true
        ? SCHEDULED
        : turbulenceClass(this.turbulence());
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
    return {
      kind: this.kind,
      suspicion: this.suspicion(nowMs),
      threshold: this.threshold,
      suspects: this.suspects(nowMs),
      lastArrivalMs: heard ? this.lastMs : null,
      elapsedMs: heard ? Math.max(0, nowMs - this.lastMs) : null,
      suspectAtMs: this.suspectAtMs(),
      details: {
        mistakesPerHour: this.mistakesPerHour,
        intervalMs: this.intervalMs,
        expectedArrivalMs: heard ? this.expectedMs : Infinity,
        marginMs: this.marginMs,
        samples: this.samples,
        // 1 while the next arrival is expected in a recurring outage window, else 0
        scheduledOutage: this.pendingClass === SCHEDULED ? 1 : 0,
        // the period phases are taken in: schedulePeriodMs, or one found from the outages
        schedulePeriodMs: this.schedule?.period ?? 0,
      },
    };
  }

  memoryBytes(): number {
    return (
      objectBytes(DETECTOR_FIELDS) +
      TYPED_ARRAY_COUNT * TYPED_ARRAY_HEADER_BYTES +
      4 * (CLASSES + 1) * WAIT_BINS +
      8 * (3 * (CLASSES + 1) + 2 * CLASSES + 2 * this.windowSize) +
      (this.schedule?.memoryBytes() ?? 0)
    );
  }

  private addArrival(nowMs: number, seq: number): void {
    this.arrivalMs[this.arrivalHead] = nowMs;
    this.seqs[this.arrivalHead] = seq;
    this.arrivalHead = this.arrivalHead + 1 === this.windowSize ? 0 : this.arrivalHead + 1;
    if (this.arrivals < this.windowSize) this.arrivals++;
  }

  /** Index in the rings of the `back`-th newest arrival (0 = newest). */
  private arrivalIndex(back: number): number {
    const i = this.arrivalHead - 1 - back; // back < windowSize: at most one lap behind
    return i < 0 ? i + this.windowSize : i;
  }

  /** Mean time per sequence step across the window; the sender's word until it spans enough. */
  private estimateIntervalMs(): number {
    if (this.arrivals < 2) return this.senderIntervalMs;
    const newest = this.arrivalIndex(0);
    const oldest = this.arrivalIndex(this.arrivals - 1);
    const steps = (this.seqs[newest] as number) - (this.seqs[oldest] as number);
    const spanMs = (this.arrivalMs[newest] as number) - (this.arrivalMs[oldest] as number);
    if (steps < MIN_SPAN_STEPS || !(spanMs > 0)) return this.senderIntervalMs;
    return spanMs / steps;
  }

  /**
   * Records one wait (in intervals). Newer samples weigh more: each weight is 2^(age/halfLife)
   * times the first one's, which decays the old ones without touching them; all weights are
   * rescaled together before they overflow.
   */
  private addWait(waitIntervals: number, elapsedMs: number): void {
    if (!Number.isFinite(waitIntervals)) return;
    this.sampleWeight *= 2 ** (Math.max(0, elapsedMs) / this.halfLifeMs);
    if (this.sampleWeight > RESCALE_ABOVE || !Number.isFinite(this.sampleWeight)) this.rescale();
    const bin = waitBin(waitIntervals);
    this.count(this.pendingClass, bin);
    this.count(CLASSES, bin);
    this.samples++;
    if (waitIntervals > (this.classLongest[this.pendingClass] as number)) {
      this.classLongest[this.pendingClass] = waitIntervals;
      this.stale = true;
    }
    // Filed first, so that if this wait makes its phase recur it is moved with the others.
    const late = waitIntervals >= this.lateIntervals;
    this.schedule?.observe(this.expectedMs, this.sampleWeight, late, this.pendingClass, bin);
    if (waitIntervals >= STALL_INTERVALS) {
      this.schedule?.noteStall(
        this.expectedMs,
        this.intervalMs,
        MIN_INTERVALS_PER_PERIOD,
        this.sampleWeight,
      );
    }
  }

  /** Adds the current sample weight to one histogram's bin and totals. */
  private count(c: number, bin: number): void {
    const i = c * WAIT_BINS + bin;
    this.histograms[i] = (this.histograms[i] as number) + this.sampleWeight;
    this.classWeight[c] = (this.classWeight[c] as number) + this.sampleWeight;
    this.classSamples[c] = (this.classSamples[c] as number) + 1;
  }

  /** A late wait filed under class `c` turned out to be a scheduled outage: file it there. */
  private moveToScheduled(c: number, bin: number, weight: number): void {
    const from = c * WAIT_BINS + bin;
    const to = SCHEDULED * WAIT_BINS + bin;
    this.histograms[from] = Math.max(0, (this.histograms[from] as number) - weight);
    this.histograms[to] = (this.histograms[to] as number) + weight;
    this.classWeight[c] = Math.max(0, (this.classWeight[c] as number) - weight);
    this.classWeight[SCHEDULED] = (this.classWeight[SCHEDULED] as number) + weight;
    this.classSamples[c] = Math.max(0, (this.classSamples[c] as number) - 1);
    this.classSamples[SCHEDULED] = (this.classSamples[SCHEDULED] as number) + 1;
    this.stale = true;
  }

  private rescale(): void {
    const factor =
      this.sampleWeight > 0 && Number.isFinite(this.sampleWeight) ? this.sampleWeight : 1;
    for (let i = 0; i < this.histograms.length; i++) {
      this.histograms[i] = (this.histograms[i] as number) / factor;
    }
    for (let c = 0; c <= CLASSES; c++) {
      this.classWeight[c] = (this.classWeight[c] as number) / factor;
    }
    this.schedule?.rescale(factor);
    this.sampleWeight = 1;
  }

  /** Largest deviation of the last few inter-arrival gaps from the interval, in intervals. */
  private turbulence(): number {
    let worst = 0;
    const n = Math.min(this.arrivals - 1, TURBULENCE_GAPS);
    for (let b = 0; b < n; b++) {
      const gap =
        (this.arrivalMs[this.arrivalIndex(b)] as number) -
        (this.arrivalMs[this.arrivalIndex(b + 1)] as number);
      worst = Math.max(worst, Math.abs(gap / this.intervalMs - 1));
    }
    return worst;
  }

  /**
   * How long past the expected arrival the detector waits, for an arrival of turbulence class
   * `c`: a quantile of the waits that followed arrivals of the same class (of all waits while
   * the class has few samples). The budget is shared between classes in proportion to how heavy
   * each one's tail is (`p_c = p · scale_c / mean scale`), which is where each extra millisecond
   * of patience avoids the most mistakes: the optimum of "least mean detection time for a given
   * mistake rate" when tails are exponential.
   */
  private quantileMarginMs(turbulent: number): number {
    if (this.samples < MIN_SAMPLES) return COLD_MARGIN_INTERVALS * this.intervalMs;
    if (this.stale || this.samples - this.samplesAtRefresh >= TAIL_REFRESH) this.refreshMargins();
    return (this.marginIntervals[turbulent] as number) * this.intervalMs;
  }

  /**
   * Recomputes every class's margin (in intervals): its tail scale, its share of the budget, and
   * the quantile at that share. Done every `TAIL_REFRESH` waits, and at once after a wait longer
   * than any its class has seen, so reading a deadline costs a table lookup. (The triggers depend
   * on the waits alone, not on the budget, so a smaller budget never yields an earlier deadline.)
   */
  private refreshMargins(): void {
    this.samplesAtRefresh = this.samples;
    this.stale = false;
    for (let c = 0; c <= CLASSES; c++) {
      const weight = this.classWeight[c] as number;
      this.tailScale[c] =
        weight > 0
          ? tailScale(this.histograms, weight, this.classEffectiveSamples(c), c * WAIT_BINS)
          : MIN_TAIL_SCALE;
    }
    const total = this.classWeight[CLASSES] as number;
    if (this.schedule !== undefined) {
      const pooled = CLASSES * WAIT_BINS;
      const median = survivalQuantile(this.histograms, total, 0.5, pooled);
      const p90 = survivalQuantile(this.histograms, total, 0.1, pooled);
      this.lateIntervals = Math.max(LATE_INTERVALS, median + LATE_SPREADS * (p90 - median));
    }
    let meanScale = 0;
    for (let k = 0; k < CLASSES; k++) {
      meanScale +=
        ((this.classWeight[k] as number) / total) * (this.tailScale[this.classFor(k)] as number);
    }
    const p = Math.min(0.5, (this.mistakesPerHour * this.intervalMs) / HOUR_MS);
    for (let k = 0; k < CLASSES; k++) {
      const c = this.classFor(k);
      const share = meanScale > 0 ? (this.tailScale[c] as number) / meanScale : 1;
      this.marginIntervals[k] = this.classQuantile(c, Math.min(0.5, p * share));
    }
  }

  /** The histogram used for class `c`: its own once it has enough samples, else the pooled one. */
  private classFor(c: number): number {
    const own = c === SCHEDULED ? MIN_SCHEDULED_SAMPLES : MIN_CLASS_SAMPLES;
    return (this.classSamples[c] as number) >= own ? c : CLASSES;
  }

  private classEffectiveSamples(c: number): number {
    return Math.min(
      this.classSamples[c] as number,
      (this.classWeight[c] as number) / this.sampleWeight,
    );
  }

  private classQuantile(c: number, p: number): number {
    if (c === SCHEDULED) {
      const n = Math.max(1, this.classEffectiveSamples(c));
      const weight = this.classWeight[c] as number;
      const q = survivalQuantile(this.histograms, weight, 1 / n, c * WAIT_BINS);
      if (p * n < 1) return q + SCHEDULED_HEADROOM * Math.max(0, q);
    }
    return tailQuantile(
      this.histograms,
      this.classWeight[c] as number,
      this.classEffectiveSamples(c),
      p,
      this.tailScale[c], // fitted by refreshMargins, which calls this
      c * WAIT_BINS,
    );
  }
}

/** Turbulence class of an arrival (see `TURBULENCE_EDGES`). */
export function turbulenceClass(turbulence: number): number {
  let c = 0;
  while (c < TURBULENCE_EDGES.length && turbulence >= (TURBULENCE_EDGES[c] as number)) c++;
  return c;
}

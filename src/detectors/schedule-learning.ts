/**
 * The quantile detector's opt-in learning of outages on a schedule (quantile.ts,
 * `schedulePeriodMs`): which waits count as late for the schedule, which as stalls for its period
 * search (outage-schedule.ts), and the margin of the class of arrivals expected in a recurring
 * outage window. A detector without it has only its turbulence classes.
 */
import type { ClassHistograms } from './class-histograms.js';
import { OutageSchedule } from './outage-schedule.js';

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

/**
 * Learns where in a period late heartbeats recur and gives the arrivals expected there a class of
 * their own (`scheduledClass` of the detector's histograms): when a phase starts to recur, the
 * late waits remembered from it are refiled under that class, so the outages seen before the
 * schedule was recognised stop making every other moment patient.
 */
export class ScheduleLearning {
  private readonly schedule: OutageSchedule;
  /** Waits (intervals) at least this long are late for the schedule; set by `refresh`. */
  private lateIntervals = LATE_INTERVALS;

  /** Whether a schedule of `periodMs` is learned for a sender of `senderIntervalMs`. */
  static applies(periodMs: number, senderIntervalMs: number): boolean {
    return periodMs >= MIN_INTERVALS_PER_PERIOD * senderIntervalMs;
  }

  constructor(
    periodMs: number,
    private readonly histograms: ClassHistograms,
    readonly scheduledClass: number,
  ) {
    this.schedule = new OutageSchedule(periodMs, scheduledClass, (c, bin, w) =>
      histograms.move(c, scheduledClass, bin, w),
    );
  }

  /** The period phases are taken in: the one given, or one found from the stalls. */
  get period(): number {
    return this.schedule.period;
  }

  /** Whether the arrival expected at `expectedMs` falls in a recurring outage window. */
  recurring(expectedMs: number): boolean {
    return this.schedule.recurring(expectedMs);
  }

  /**
   * Files the newest wait (`waitIntervals`, counted under class `c` in bin `bin`) for the arrival
   * expected at `expectedMs`, after the histograms counted it (so that if it makes its phase
   * recur it is moved with the others); a stall is also noted for the period search.
   */
  observe(
    expectedMs: number,
    intervalMs: number,
    waitIntervals: number,
    c: number,
    bin: number,
  ): void {
    const weight = this.histograms.currentWeight;
    const late = waitIntervals >= this.lateIntervals;
    this.schedule.observe(expectedMs, weight, late, c, bin);
    if (waitIntervals >= STALL_INTERVALS) {
      this.schedule.noteStall(expectedMs, intervalMs, MIN_INTERVALS_PER_PERIOD, weight);
    }
  }

  /** Divides its weights by `factor` (the histograms rescaled theirs). */
  rescale(factor: number): void {
    this.schedule.rescale(factor);
  }

  /** Recomputes what counts as late from the pooled waits (with the histograms' margins). */
  refresh(): void {
    const h = this.histograms;
    const median = h.survival(h.pooled, 0.5);
    const p90 = h.survival(h.pooled, 0.1);
    this.lateIntervals = Math.max(LATE_INTERVALS, median + LATE_SPREADS * (p90 - median));
  }

  /** The histogram the scheduled class reads: its own once it holds its outages, else the pooled one. */
  histogram(): number {
    return this.histograms.ownOrPooled(this.scheduledClass, MIN_SCHEDULED_SAMPLES);
  }

  /**
   * The scheduled class's margin (intervals) for a share `p` of the budget: beyond the longest
   * outage in memory, that outage and `SCHEDULED_HEADROOM` of it; else the quantile.
   */
  margin(p: number): number {
    const h = this.histograms;
    const c = this.histogram();
    if (c === this.scheduledClass) {
      const n = Math.max(1, h.effectiveSamples(c));
      const q = h.survival(c, 1 / n);
      if (p * n < 1) return q + SCHEDULED_HEADROOM * Math.max(0, q);
    }
    return h.quantile(c, p);
  }

  /** Takes on `other`'s state (for a copy of its detector, over a copy of its histograms). */
  copyFrom(other: ScheduleLearning): void {
    this.schedule.copyFrom(other.schedule);
    this.lateIntervals = other.lateIntervals;
  }

  memoryBytes(): number {
    return this.schedule.memoryBytes();
  }
}

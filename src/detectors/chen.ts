import type { DetectorContext, DetectorExplanation, FailureDetector } from './detector.js';
import { objectBytes } from './footprint.js';
import { reconcileLevel } from './level.js';
import { Ring } from './ring.js';

/** Options of Chen's adaptive detector. */
export interface ChenOptions {
  /**
   * Last arrivals averaged into the expected-arrival estimate.
   * @default 32 — the estimate is a mean of arrival offsets, which settles within a few dozen
   * samples; a million nodes stay in a few hundred megabytes.
   */
  windowSize?: number;
  /**
   * Safety margin α added to the expected arrival, in ms: how late a beat may be before the node
   * is suspected.
   * @default 2 × intervalMs — with a steady sender the node is suspected about 3 intervals after
   * the last beat, like the fixed timeout's default, but tracking the link's actual delay.
   */
  safetyMarginMs?: number;
}

/** All options resolved to numbers. */
export type ResolvedChenOptions = Required<ChenOptions>;

/** Default window (see `ChenOptions.windowSize`). */
export const DEFAULT_CHEN_WINDOW = 32;

/**
 * A sequence number further ahead than the silence since the last arrival explains, by more than
 * this many intervals, is not message loss (a corrupted or reset counter); the estimator resyncs.
 */
export const CHEN_MAX_SEQ_LEAD = 64;

/**
 * Stored offsets are re-expressed relative to the newest arrival once one strays this far (ms)
 * from the origin, so float32 keeps them precise to a few microseconds.
 */
const REBASE_BEYOND_MS = 2 ** 16;

/** Fills in the documented defaults for a sender with interval `intervalMs`. */
export function resolveChenOptions(
  options: ChenOptions,
  context: DetectorContext,
): ResolvedChenOptions {
  return {
    windowSize: options.windowSize ?? DEFAULT_CHEN_WINDOW,
    safetyMarginMs: options.safetyMarginMs ?? 2 * context.intervalMs,
  };
}

/**
 * Chen, Toueg & Aguilera's adaptive failure detector (2002). With Δ the sending interval and
 * the last n arrivals A_i with sequence numbers s_i, the next heartbeat (ℓ+1, ℓ the highest
 * sequence seen) is expected at EA = (1/n) Σ (A_i − Δ·s_i) + (ℓ+1)·Δ; the node is suspected once
 * now ≥ EA + α. Lost heartbeats show as gaps in s_i and do not bias the estimate. Without
 * sequence numbers, arrivals are numbered consecutively.
 *
 * Sequence numbers are taken on trust only while they make sense: a repeat of the highest seen is
 * a duplicate and ignored; one that goes backwards (a restarted sender, a reordered datagram) or
 * leaps further ahead than the elapsed time explains (by `CHEN_MAX_SEQ_LEAD` intervals) resyncs
 * the estimator, which then starts afresh from that arrival.
 *
 * Suspicion level: the silence as a fraction of the trusted span,
 * (now − last)/(EA + α − last), threshold 1. When the estimate already lies at or before the last
 * arrival (that beat was itself late), the level is 0 before EA + α and 1 + silence/Δ from it on.
 */
export class ChenDetector implements FailureDetector {
  readonly kind = 'chen' as const;
  readonly threshold = 1;
  readonly options: ResolvedChenOptions;
  readonly intervalMs: number;
  /** Offsets (A_i − A_o) − Δ·(s_i − s_o) relative to an origin arrival (A_o, s_o). */
  private readonly offsets: Ring;
  private originMs = 0;
  private originSeq = 0;
  private lastMs = Number.NaN;
  /** ℓ, the highest sequence number seen since the last resync. */
  private lastSeq = 0;
  private suspectAt = Infinity;

  constructor(options: ChenOptions, context: DetectorContext) {
    this.options = resolveChenOptions(options, context);
    this.intervalMs = context.intervalMs;
    this.offsets = new Ring(this.options.windowSize);
  }

  heartbeat(nowMs: number, seq?: number): void {
    if (!Number.isFinite(nowMs) || nowMs < this.lastMs) return;
    const hasSeq = seq !== undefined && Number.isSafeInteger(seq);
    if (Number.isNaN(this.lastMs)) {
      this.resync(nowMs, hasSeq ? (seq as number) : 0);
    } else if (!hasSeq) {
      this.record(nowMs, this.lastSeq + 1);
    } else if (seq === this.lastSeq) {
      return;
    } else {
      const s = seq as number;
      const lead = s - this.lastSeq - (nowMs - this.lastMs) / this.intervalMs;
      if (s < this.lastSeq || lead > CHEN_MAX_SEQ_LEAD) this.resync(nowMs, s);
      else this.record(nowMs, s);
    }
    this.lastMs = nowMs;
    this.suspectAt = this.expectedArrivalMs() + this.options.safetyMarginMs;
  }

  /** EA for the next heartbeat; `Infinity` before the first arrival. */
  expectedArrivalMs(): number {
    if (Number.isNaN(this.lastMs)) return Infinity;
    const ahead = this.lastSeq + 1 - this.originSeq;
    return this.originMs + this.offsets.mean + this.intervalMs * ahead;
  }

  suspicion(nowMs: number): number {
    if (Number.isNaN(this.lastMs)) return 0;
    const span = this.suspectAt - this.lastMs;
    const silence = Math.max(0, nowMs - this.lastMs);
    const level =
      span > 0 ? silence / span : nowMs >= this.suspectAt ? 1 + silence / this.intervalMs : 0;
    return reconcileLevel(level, nowMs, this.suspectAt, this.threshold);
  }

  suspects(nowMs: number): boolean {
    return nowMs >= this.suspectAt;
  }

  suspectAtMs(): number {
    return this.suspectAt;
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
      suspectAtMs: this.suspectAt,
      details: {
        samples: this.offsets.count,
        expectedArrivalMs: this.expectedArrivalMs(),
        safetyMarginMs: this.options.safetyMarginMs,
        intervalMs: this.intervalMs,
        lastSeq: this.lastSeq,
      },
    };
  }

  /** Own fields (9) plus the options object (2 fields) and the ring. */
  memoryBytes(): number {
    return objectBytes(9) + objectBytes(2) + this.offsets.memoryBytes();
  }

  /** Forgets the history and takes this arrival as the origin. */
  private resync(nowMs: number, seq: number): void {
    this.offsets.clear();
    this.originMs = nowMs;
    this.originSeq = seq;
    this.lastSeq = seq;
    this.offsets.push(0);
  }

  private record(nowMs: number, seq: number): void {
    const offset = nowMs - this.originMs - this.intervalMs * (seq - this.originSeq);
    this.lastSeq = seq;
    if (Math.abs(offset) > REBASE_BEYOND_MS) {
      // New origin: this arrival. Older offsets move by −offset; this one becomes 0.
      this.offsets.shift(offset);
      this.originMs = nowMs;
      this.originSeq = seq;
      this.offsets.push(0);
    } else {
      this.offsets.push(offset);
    }
  }
}

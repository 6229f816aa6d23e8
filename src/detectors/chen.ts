import type { DetectorContext } from './detector.js';
import {
  DEFAULT_WINDOW_SIZE,
  PooledWindowDetector,
  windowParams,
  type WindowParams,
} from './pooled-window-detector.js';
import { windowClear, windowCount, windowMean, windowPush, windowShift } from './slab-window.js';

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
): Required<ChenOptions> {
  return {
    windowSize: options.windowSize ?? DEFAULT_WINDOW_SIZE,
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
 *
 * Memory: the window and the five float64 fields live in one block of bytes (see
 * sample-pool.ts), from `context.samplePool` when given. Detectors with the same options and
 * interval share one frozen `options` object.
 */
export class ChenDetector extends PooledWindowDetector<ChenParams> {
  constructor(options: ChenOptions, context: DetectorContext) {
    const resolved = resolveChenOptions(options, context);
    const intervalMs = context.intervalMs;
    const key = `chen ${resolved.windowSize} ${resolved.safetyMarginMs} ${intervalMs}`;
    super(
      windowParams(context.samplePool, key, resolved, WINDOW, () => ({ intervalMs })),
      WINDOW,
    );
    const f64 = this.slab.f64;
    const d = this.at >> 3;
    f64[d + ORIGIN_MS] = 0;
    f64[d + ORIGIN_SEQ] = 0;
    f64[d + LAST_SEQ] = 0;
  }

  get kind(): 'chen' {
    return 'chen';
  }

  override get threshold(): 1 {
    return 1;
  }

  /** Δ, the sender's interval. */
  get intervalMs(): number {
    return this.p.intervalMs;
  }

  /** Files the arrival's offset, or resyncs; a repeat of the highest sequence number is ignored. */
  protected record(nowMs: number, lastMs: number, seq: number | undefined): boolean {
    const hasSeq = seq !== undefined && Number.isSafeInteger(seq);
    if (Number.isNaN(lastMs)) {
      this.resync(nowMs, hasSeq ? (seq as number) : 0);
      return true;
    }
    const lastSeq = this.slab.f64[(this.at >> 3) + LAST_SEQ] as number;
    if (!hasSeq) {
      this.recordOffset(nowMs, lastSeq + 1);
    } else if (seq === lastSeq) {
      return false;
    } else {
      const s = seq as number;
      const lead = s - lastSeq - (nowMs - lastMs) / this.p.intervalMs;
      if (s < lastSeq || lead > CHEN_MAX_SEQ_LEAD) this.resync(nowMs, s);
      else this.recordOffset(nowMs, s);
    }
    return true;
  }

  protected verdictAtMs(): number {
    return this.expectedArrivalMs() + this.p.options.safetyMarginMs;
  }

  /** EA for the next heartbeat; `Infinity` before the first arrival. */
  expectedArrivalMs(): number {
    const f64 = this.slab.f64;
    const d = this.at >> 3;
    if (Number.isNaN(this.lastArrivalMs)) return Infinity;
    const ahead = (f64[d + LAST_SEQ] as number) + 1 - (f64[d + ORIGIN_SEQ] as number);
    const meanMs = windowMean(this.slab, this.at + WINDOW, this.p.capacity);
    return (f64[d + ORIGIN_MS] as number) + meanMs + this.p.intervalMs * ahead;
  }

  /** The silence over the trusted span (see the class). */
  protected level(nowMs: number, lastMs: number): number {
    const suspectAt = this.suspectAtMs();
    const span = suspectAt - lastMs;
    const silence = Math.max(0, nowMs - lastMs);
    return span > 0 ? silence / span : nowMs >= suspectAt ? 1 + silence / this.p.intervalMs : 0;
  }

  protected details(): Record<string, number> {
    return {
      samples: windowCount(this.slab, this.at + WINDOW, this.p.capacity),
      expectedArrivalMs: this.expectedArrivalMs(),
      safetyMarginMs: this.p.options.safetyMarginMs,
      intervalMs: this.p.intervalMs,
      lastSeq: this.slab.f64[(this.at >> 3) + LAST_SEQ] as number,
    };
  }

  /** Forgets the history and takes this arrival as the origin. */
  private resync(nowMs: number, seq: number): void {
    const f64 = this.slab.f64;
    const d = this.at >> 3;
    windowClear(this.slab, this.at + WINDOW);
    f64[d + ORIGIN_MS] = nowMs;
    f64[d + ORIGIN_SEQ] = seq;
    f64[d + LAST_SEQ] = seq;
    windowPush(this.slab, this.at + WINDOW, this.p.capacity, 0);
  }

  private recordOffset(nowMs: number, seq: number): void {
    const slab = this.slab;
    const f64 = slab.f64;
    const d = this.at >> 3;
    const w = this.at + WINDOW;
    const capacity = this.p.capacity;
    const originMs = f64[d + ORIGIN_MS] as number;
    const originSeq = f64[d + ORIGIN_SEQ] as number;
    const offset = nowMs - originMs - this.p.intervalMs * (seq - originSeq);
    f64[d + LAST_SEQ] = seq;
    if (Math.abs(offset) > REBASE_BEYOND_MS) {
      // New origin: this arrival. Older offsets move by −offset; this one becomes 0.
      windowShift(slab, w, capacity, offset);
      f64[d + ORIGIN_MS] = nowMs;
      f64[d + ORIGIN_SEQ] = seq;
      windowPush(slab, w, capacity, 0);
    } else {
      windowPush(slab, w, capacity, offset);
    }
  }
}

/** Constants shared by every Chen detector with the same options, interval and pool. */
interface ChenParams extends WindowParams<Required<ChenOptions>> {
  /** Δ, the sender's interval. */
  intervalMs: number;
}

/**
 * Block layout, float64 indices from the block's start: the last arrival and the verdict time
 * (see pooled-window-detector.ts); the origin arrival (A_o, s_o) that offsets
 * (A_i − A_o) − Δ·(s_i − s_o) are relative to; ℓ (the highest sequence number seen since the last
 * resync); then the window of offsets at byte WINDOW.
 */
const ORIGIN_MS = 2;
const ORIGIN_SEQ = 3;
const LAST_SEQ = 4;
const WINDOW = 40;

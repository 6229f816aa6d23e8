import { MinHeap } from './min-heap.js';

/**
 * The one source of time in heartbeat. Everything in `src/` reads time and sets timers through a
 * `Clock`, so the same code runs in real time (`SystemClock`) and in simulated time
 * (`ManualClock`), and every timing test is exact and instant. A lint rule forbids `Date.now`,
 * `performance.now`, `setTimeout` and friends everywhere else.
 */

/** A pending timer; `cancel()` is idempotent. */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds on a monotonic clock (never jumps backwards); the origin is arbitrary. */
  monotonicMs(): number;
  /** Milliseconds since the Unix epoch, as the wall clock says (may jump). */
  wallMs(): number;
  /** Runs `fn` once, `delayMs` from now (a negative delay is treated as 0). */
  setTimeout(fn: () => void, delayMs: number): TimerHandle;
  /** Runs `fn` every `periodMs` until cancelled. */
  setInterval(fn: () => void, periodMs: number): TimerHandle;
}

/** The real clock: `performance.now()`, `Date.now()` and Node's timers. */
export class SystemClock implements Clock {
  monotonicMs(): number {
    return performance.now();
  }

  wallMs(): number {
    return Date.now();
  }

  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    const t = setTimeout(fn, Math.max(0, delayMs));
    return { cancel: () => clearTimeout(t) };
  }

  setInterval(fn: () => void, periodMs: number): TimerHandle {
    const t = setInterval(fn, Math.max(1, periodMs));
    return { cancel: () => clearInterval(t) };
  }

  /** Like `setTimeout`, but the timer does not keep the process alive. */
  setBackgroundTimeout(fn: () => void, delayMs: number): TimerHandle {
    const t = setTimeout(fn, Math.max(0, delayMs));
    t.unref();
    return { cancel: () => clearTimeout(t) };
  }
}

interface ManualTimer {
  dueMs: number;
  /** Insertion order: timers due at the same time run in the order they were set. */
  order: number;
  periodMs: number | undefined;
  fn: () => void;
  cancelled: boolean;
}

const runsFirst = (a: ManualTimer, b: ManualTimer): boolean =>
  a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.order < b.order);

/**
 * A clock that moves only when told to. `advance(ms)` runs every timer that falls due in time
 * order (ties in the order they were set), with `monotonicMs()` equal to each timer's due time
 * while it runs, so the outcome is deterministic. Timers set by a running timer are honoured
 * within the same `advance` if they fall due before its end. Timers live in a heap, so the
 * simulator can push millions of them through.
 */
export class ManualClock implements Clock {
  private nowMs: number;
  private readonly wallOffsetMs: number;
  private readonly timers = new MinHeap<ManualTimer>(runsFirst);
  private live = 0;
  private nextOrder = 0;

  /** Extra offset of the wall clock alone, to simulate an NTP step or a drifting clock. */
  wallSkewMs = 0;

  constructor(init: { startMs?: number; wallStartMs?: number } = {}) {
    this.nowMs = init.startMs ?? 0;
    this.wallOffsetMs = (init.wallStartMs ?? 1_700_000_000_000) - this.nowMs;
  }

  monotonicMs(): number {
    return this.nowMs;
  }

  wallMs(): number {
    return this.nowMs + this.wallOffsetMs + this.wallSkewMs;
  }

  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    return this.add(fn, Math.max(0, delayMs), undefined);
  }

  setInterval(fn: () => void, periodMs: number): TimerHandle {
    const p = Math.max(1, periodMs);
    return this.add(fn, p, p);
  }

  /** Number of timers waiting to run. */
  pendingTimers(): number {
    return this.live;
  }

  /** Time at which the next timer falls due, or `undefined` when none is pending. */
  nextDueMs(): number | undefined {
    return this.peek()?.dueMs;
  }

  /** Moves time forward by `ms`, running due timers in order. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`advance needs a non-negative duration, got ${ms}`);
    this.advanceTo(this.nowMs + ms);
  }

  /** Moves time forward to `targetMs` (never backwards), running due timers in order. */
  advanceTo(targetMs: number): void {
    for (;;) {
      const next = this.peek();
      if (next === undefined || next.dueMs > targetMs) break;
      this.timers.pop();
      this.nowMs = Math.max(this.nowMs, next.dueMs);
      if (next.periodMs !== undefined) {
        next.dueMs += next.periodMs;
        next.order = this.nextOrder++;
        this.timers.push(next);
      } else {
        next.cancelled = true;
        this.live--;
      }
      next.fn();
    }
    this.nowMs = Math.max(this.nowMs, targetMs);
  }

  /** Runs timers until none is left or `limit` have run; for tests of quiescence. */
  runAll(limit = 10_000): void {
    for (let i = 0; i < limit; i++) {
      const due = this.nextDueMs();
      if (due === undefined) return;
      this.advanceTo(due);
    }
  }

  private add(fn: () => void, delayMs: number, periodMs: number | undefined): TimerHandle {
    const timer: ManualTimer = {
      dueMs: this.nowMs + delayMs,
      order: this.nextOrder++,
      periodMs,
      fn,
      cancelled: false,
    };
    this.timers.push(timer);
    this.live++;
    return {
      cancel: () => {
        if (timer.cancelled) return;
        timer.cancelled = true;
        this.live--;
      },
    };
  }

  /** The next live timer; cancelled ones are dropped lazily here. */
  private peek(): ManualTimer | undefined {
    let top = this.timers.peek();
    while (top !== undefined && top.cancelled) {
      this.timers.pop();
      top = this.timers.peek();
    }
    return top;
  }
}

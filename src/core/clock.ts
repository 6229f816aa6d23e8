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

/**
 * The longest delay a Node timer takes, 2^31 − 1 ms (24.8 days): a longer one fires after 1 ms,
 * with a TimeoutOverflowWarning, and an interval that long then fires every millisecond.
 */
export const MAX_NODE_TIMER_MS = 2 ** 31 - 1;

export interface SystemClockOptions {
  /**
   * The longest delay handed to one Node timer; a longer delay is waited out in chunks of at most
   * this, re-armed from the monotonic clock, and fires once when it is due.
   * @default MAX_NODE_TIMER_MS (tests set less to see the chunks)
   */
  maxTimerChunkMs?: number;
}

/** The real clock: `performance.now()`, `Date.now()` and Node's timers. */
export class SystemClock implements Clock {
  private readonly maxChunkMs: number;

  constructor(init: SystemClockOptions = {}) {
    const chunk = init.maxTimerChunkMs ?? MAX_NODE_TIMER_MS;
    this.maxChunkMs = chunk >= 1 ? Math.min(chunk, MAX_NODE_TIMER_MS) : MAX_NODE_TIMER_MS;
  }

  monotonicMs(): number {
    return performance.now();
  }

  wallMs(): number {
    return Date.now();
  }

  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    return this.timeout(fn, delayMs, false);
  }

  /** Any period, past MAX_NODE_TIMER_MS too (then each run is one long timeout after the last). */
  setInterval(fn: () => void, periodMs: number): TimerHandle {
    const period = periodMs >= 1 ? periodMs : 1;
    if (period <= this.maxChunkMs) {
      const t = setInterval(fn, period);
      return { cancel: () => clearInterval(t) };
    }
    let dueMs = performance.now() + period;
    const run = (): void => {
      dueMs += period;
      current = new LongTimeout(run, dueMs, this.maxChunkMs, false);
      fn();
    };
    let current = new LongTimeout(run, dueMs, this.maxChunkMs, false);
    return { cancel: () => current.cancel() };
  }

  /** Like `setTimeout`, but the timer does not keep the process alive. */
  setBackgroundTimeout(fn: () => void, delayMs: number): TimerHandle {
    return this.timeout(fn, delayMs, true);
  }

  private timeout(fn: () => void, delayMs: number, background: boolean): TimerHandle {
    const delay = delayMs > 0 ? delayMs : 0;
    if (delay > this.maxChunkMs) {
      return new LongTimeout(fn, performance.now() + delay, this.maxChunkMs, background);
    }
    const t = setTimeout(fn, delay);
    if (background) t.unref();
    return { cancel: () => clearTimeout(t) };
  }
}

/**
 * A timeout longer than one Node timer may be: armed in chunks of at most `maxChunkMs`, each
 * re-armed for what is left by the monotonic clock, so it fires once, at `dueMs` (never, for
 * Infinity), and never overflows Node's timer.
 */
class LongTimeout implements TimerHandle {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly fire = (): void => {
    this.timer = undefined;
    this.fn();
  };
  private readonly rearm = (): void => this.arm();

  constructor(
    private readonly fn: () => void,
    private readonly dueMs: number,
    private readonly maxChunkMs: number,
    private readonly background: boolean,
  ) {
    this.arm();
  }

  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    // Rounded up: a timer rounds its delay to whole ms, and this one must not fire early.
    const remaining = Math.max(0, Math.ceil(this.dueMs - performance.now()));
    this.timer =
      remaining <= this.maxChunkMs
        ? setTimeout(this.fire, remaining)
        : setTimeout(this.rearm, this.maxChunkMs);
    if (this.background) this.timer.unref();
  }
}

/**
 * Work for `ManualClock.schedule`: an object whose `run()` the clock calls when it falls due. The
 * same object may be scheduled again once it has run, so a hot path can keep one per pending
 * event instead of a closure and a handle per timer.
 */
export interface ScheduledTask {
  run(): void;
}

/** Timers cancelled while still in the heap: a manual clock's live timers are the rest. */
interface CancelledCount {
  cancelled: number;
}

/**
 * A pending timer of the manual clock; it is its own handle. A cancelled timer stays in the heap
 * until it reaches the top, where it is dropped without running.
 */
class ManualTimer implements TimerHandle, ScheduledTask {
  /** Cancelled, or a one-shot timer that ran: cancel() has nothing left to do. */
  done = false;

  constructor(
    private readonly heap: MinHeap<ScheduledTask>,
    private readonly count: CancelledCount,
    private readonly fn: () => void,
    private readonly periodMs: number | undefined,
    private dueMs: number,
  ) {}

  /** Called by the clock at the due time: runs `fn` unless cancelled; re-queues an interval first. */
  run(): void {
    if (this.done) {
      this.count.cancelled--; // it has left the heap
      return;
    }
    if (this.periodMs === undefined) {
      this.done = true;
    } else {
      this.dueMs += this.periodMs;
      this.heap.push(this, this.dueMs);
    }
    this.fn();
  }

  cancel(): void {
    if (this.done) return;
    this.done = true;
    this.count.cancelled++;
  }
}

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
  /** Timers and scheduled tasks by due time, ties in the order they were set. */
  private readonly timers = new MinHeap<ScheduledTask>();
  private readonly count: CancelledCount = { cancelled: 0 };

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

  /**
   * Runs `task.run()` `delayMs` from now (a negative delay is treated as 0), in the same order as
   * `setTimeout` timers (by due time, ties in the order set), but with no handle and nothing
   * allocated: it cannot be cancelled. For hot paths that set millions of timers — the
   * simulator's senders, the in-memory network's deliveries — reusing one task object each.
   */
  schedule(task: ScheduledTask, delayMs: number): void {
    this.timers.push(task, this.nowMs + Math.max(0, delayMs));
  }

  /** Number of timers (and scheduled tasks) waiting to run. */
  pendingTimers(): number {
    return this.timers.size - this.count.cancelled;
  }

  /** Time at which the next timer falls due, or `undefined` when none is pending. */
  nextDueMs(): number | undefined {
    const timers = this.timers;
    for (let top = timers.peek(); top instanceof ManualTimer && top.done; top = timers.peek()) {
      timers.pop();
      this.count.cancelled--;
    }
    return timers.size > 0 ? timers.peekKey() : undefined;
  }

  /** Moves time forward by `ms`, running due timers in order. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`advance needs a non-negative duration, got ${ms}`);
    this.advanceTo(this.nowMs + ms);
  }

  /** Moves time forward to `targetMs` (never backwards), running due timers in order. */
  advanceTo(targetMs: number): void {
    const timers = this.timers;
    // A cancelled timer is popped here too and does nothing; moving the time to its due time on
    // the way is not observable, since whatever runs next is due no earlier.
    while (timers.size > 0) {
      const dueMs = timers.peekKey();
      if (dueMs > targetMs) break;
      const next = timers.pop() as ScheduledTask;
      this.nowMs = Math.max(this.nowMs, dueMs);
      next.run();
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
    const dueMs = this.nowMs + delayMs;
    const timer = new ManualTimer(this.timers, this.count, fn, periodMs, dueMs);
    this.timers.push(timer, dueMs);
    return timer;
  }
}

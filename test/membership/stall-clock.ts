import type { Clock, TimerHandle } from '../../src/core/clock.js';

interface Timer {
  dueMs: number;
  order: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * A manual clock that can also simulate the process being frozen: `advance(ms)` runs timers at
 * their due times (like ManualClock), while `stall(ms)` moves time without running anything and
 * then runs every overdue timer late, at the end of the stall, as a process resuming from
 * SIGSTOP or a long GC pause would.
 */
export class StallClock implements Clock {
  private nowMs = 0;
  private order = 0;
  private timers: Timer[] = [];

  monotonicMs(): number {
    return this.nowMs;
  }

  wallMs(): number {
    return 1_700_000_000_000 + this.nowMs;
  }

  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    const timer: Timer = {
      dueMs: this.nowMs + Math.max(0, delayMs),
      order: this.order++,
      fn,
      cancelled: false,
    };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  setInterval(): TimerHandle {
    throw new Error('StallClock has no intervals');
  }

  pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  advance(ms: number): void {
    const target = this.nowMs + ms;
    for (let next = this.next(target); next !== undefined; next = this.next(target)) {
      this.nowMs = Math.max(this.nowMs, next.dueMs);
      next.fn();
    }
    this.nowMs = target;
  }

  /** Freezes for `ms`, then runs what fell due meanwhile, late (at the end of the stall). */
  stall(ms: number): void {
    this.nowMs += ms;
    for (let next = this.next(this.nowMs); next !== undefined; next = this.next(this.nowMs)) {
      next.fn();
    }
  }

  private next(limitMs: number): Timer | undefined {
    this.timers = this.timers.filter((t) => !t.cancelled);
    let best: Timer | undefined;
    for (const t of this.timers) {
      if (t.dueMs > limitMs) continue;
      if (
        best === undefined ||
        t.dueMs < best.dueMs ||
        (t.dueMs === best.dueMs && t.order < best.order)
      )
        best = t;
    }
    if (best !== undefined) best.cancelled = true;
    return best;
  }
}

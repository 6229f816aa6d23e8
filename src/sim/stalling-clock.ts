import { ManualClock, type Clock, type ScheduledTask, type TimerHandle } from '../core/clock.js';
import type { PauseWindows } from './pause-windows.js';

/**
 * A timer of the stalling clock, scheduled on the inner clock as a task and its own handle: one
 * object per timer (the node table re-arms its timer about once per heartbeat). A cancelled one
 * stays scheduled and does nothing when due, as a cancelled ManualClock timer is dropped when due.
 * An interval schedules itself again when it runs, one period after it ran.
 */
class StallTimer implements ScheduledTask, TimerHandle {
  /** Cancelled, or a one-shot timer that ran. */
  done = false;

  constructor(
    private readonly owner: StallingClock,
    readonly fn: () => void,
    readonly periodMs: number | undefined,
  ) {}

  run(): void {
    if (!this.done) this.owner.due(this);
  }

  cancel(): void {
    if (this.done) return;
    this.done = true;
    this.owner.live--;
  }
}

/**
 * A process's view of time that can stall: a ManualClock, except that during a stall (GC,
 * SIGSTOP, a VM pause) no timer callback runs and nothing is read. Time itself goes on. When the
 * stall ends, the timers that fell due run first, in due order, late (seeing the time the stall
 * ended), and then the messages that arrived meanwhile are handed over in arrival order
 * (`whenRunning`) — the order in which Node's event loop (timers phase, then poll) would see
 * them. An interval that ran late next falls due one period after it ran, as in Node. That is the
 * situation the node table's pause guard and the monitor's stall watchdog exist for.
 *
 * Stalls come from a schedule (`PauseWindows`: the simulator's monitor pauses) or on demand
 * (`stall(ms)`: tests), on the inner clock the caller advances, or on one of its own.
 */
export class StallingClock implements Clock {
  /** Timers set and neither run (one-shot) nor cancelled. */
  live = 0;
  private stallEndMs = -Infinity;
  /** Inside `stall(ms)`: everything that falls due waits for its end. */
  private holding = false;
  private readonly dueTimers: StallTimer[] = [];
  private readonly heldWork: (() => void)[] = [];

  constructor(
    private readonly inner: ManualClock = new ManualClock(),
    private readonly stalls?: PauseWindows,
  ) {}

  monotonicMs(): number {
    return this.inner.monotonicMs();
  }

  wallMs(): number {
    return this.inner.wallMs();
  }

  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    return this.add(fn, delayMs, undefined);
  }

  setInterval(fn: () => void, periodMs: number): TimerHandle {
    const p = Math.max(1, periodMs);
    return this.add(fn, p, p);
  }

  /** Timers waiting to run (an interval counts until cancelled). */
  pendingTimers(): number {
    return this.live;
  }

  /** Time passes by `ms` on the inner clock, timers running in due order (as ManualClock). */
  advance(ms: number): void {
    this.inner.advance(ms);
  }

  /**
   * The process stalls for `ms` from now: time passes, nothing runs until the end, and then what
   * fell due meanwhile runs, late, in due order (and what that sets to run at once, after it).
   */
  stall(ms: number): void {
    this.holding = true;
    try {
      this.inner.advance(ms);
    } finally {
      this.holding = false;
    }
    this.resume();
    this.inner.advance(0);
  }

  /** Runs `work` now, or when the current stall ends (after the timers that fell due). */
  whenRunning(work: () => void): void {
    if (this.stalledNow()) this.heldWork.push(work);
    else work();
  }

  /** Whether the process is stalled at the current time. */
  stalledNow(): boolean {
    const now = this.inner.monotonicMs();
    if (this.holding || now < this.stallEndMs) return true;
    const w = this.stalls?.pauseAt(now);
    if (w === undefined) return false;
    this.stallEndMs = w.endMs;
    this.inner.setTimeout(() => this.resume(), w.endMs - now);
    return true;
  }

  /** A timer fell due: it runs now, or after the current stall. */
  due(timer: StallTimer): void {
    if (this.stalledNow()) {
      this.dueTimers.push(timer);
      return;
    }
    if (timer.periodMs === undefined) {
      timer.done = true;
      this.live--;
    } else {
      this.inner.schedule(timer, timer.periodMs);
    }
    timer.fn();
  }

  private add(fn: () => void, delayMs: number, periodMs: number | undefined): TimerHandle {
    const timer = new StallTimer(this, fn, periodMs);
    this.live++;
    this.inner.schedule(timer, delayMs);
    return timer;
  }

  private resume(): void {
    if (this.stalledNow()) return; // a next stall began right away; its own resume follows
    const timers = this.dueTimers.splice(0);
    for (const t of timers) if (!t.done) this.due(t);
    const work = this.heldWork.splice(0);
    for (const w of work) w();
  }
}

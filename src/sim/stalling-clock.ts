import type { Clock, ManualClock, ScheduledTask, TimerHandle } from '../core/clock.js';
import { PauseWindows } from './pause-windows.js';

/**
 * A one-shot timer of the stalling clock, scheduled on the inner clock as a task and its own
 * handle: one object per timer (the node table re-arms its timer about once per heartbeat). A
 * cancelled one stays scheduled and does nothing when due, as a cancelled ManualClock timer is
 * dropped when due.
 */
class StallTimer implements ScheduledTask, TimerHandle {
  cancelled = false;

  constructor(
    private readonly owner: StallingClock,
    readonly fn: () => void,
  ) {}

  run(): void {
    if (!this.cancelled) this.owner.due(this);
  }

  cancel(): void {
    this.cancelled = true;
  }
}

/**
 * The simulated monitor's view of time: the shared ManualClock, except that during a monitor
 * stall (GC, SIGSTOP, a VM pause) no timer callback runs and nothing is read. Time itself goes
 * on. When the stall ends, the timers that fell due run first, in due order, and then the
 * messages that arrived meanwhile are handed over in arrival order — the order in which Node's
 * event loop (timers phase, then poll) would see them. That is the situation the node table's
 * pause guard exists for.
 */
export class StallingClock implements Clock {
  private stallEndMs = -Infinity;
  private readonly dueTimers: { fn: () => void; cancelled: boolean }[] = [];
  private readonly heldWork: (() => void)[] = [];

  constructor(
    private readonly inner: ManualClock,
    private readonly stalls: PauseWindows,
  ) {}

  monotonicMs(): number {
    return this.inner.monotonicMs();
  }

  wallMs(): number {
    return this.inner.wallMs();
  }

  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    const timer = new StallTimer(this, fn);
    this.inner.schedule(timer, delayMs);
    return timer;
  }

  setInterval(fn: () => void, periodMs: number): TimerHandle {
    const handle = { fn, cancelled: false };
    const inner = this.inner.setInterval(() => this.due(handle), periodMs);
    return {
      cancel: () => {
        handle.cancelled = true;
        inner.cancel();
      },
    };
  }

  /** Runs `work` now, or when the current stall ends (after the timers that fell due). */
  whenRunning(work: () => void): void {
    if (this.stalledNow()) this.heldWork.push(work);
    else work();
  }

  /** Whether the monitor is stalled at the current time. */
  stalledNow(): boolean {
    const now = this.inner.monotonicMs();
    if (now < this.stallEndMs) return true;
    const w = this.stalls.pauseAt(now);
    if (w === undefined) return false;
    this.stallEndMs = w.endMs;
    this.inner.setTimeout(() => this.resume(), w.endMs - now);
    return true;
  }

  /** A timer fell due: it runs now, or after the current stall. */
  due(timer: { fn: () => void; cancelled: boolean }): void {
    if (timer.cancelled) return;
    if (this.stalledNow()) this.dueTimers.push(timer);
    else timer.fn();
  }

  private resume(): void {
    if (this.stalledNow()) return; // a next stall began right away; its own resume follows
    const timers = this.dueTimers.splice(0);
    for (const t of timers) if (!t.cancelled) t.fn();
    const work = this.heldWork.splice(0);
    for (const w of work) w();
  }
}

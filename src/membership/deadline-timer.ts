/**
 * The node table's one clock timer: armed for the earliest of the deadline queue's head and the
 * end of a conviction deferral, it hands every due deadline back to the table. It is also the
 * pause guard (the timer firing late by more than the tolerance means the monitor itself
 * stalled) and keeps the deferral of convictions. docs/PAUSE-GUARD.md describes the guard.
 */
import type { Clock, TimerHandle } from '../core/clock.js';
import { MAX_TRANSITIONS_PER_TICK } from '../core/limits.js';
import type { DeadlineQueue } from './deadline-queue.js';
import type { ConvictionsDeferred } from './types.js';

/** What the timer tells its table. */
export interface DeadlineTimerHooks {
  /** The deadline of `slot` is due at `nowMs`: the table moves it or takes it off the queue. */
  due(slot: number, nowMs: number): void;
  /** The pause guard saw the timer fire late by more than the tolerance (before `deferred`). */
  stalled(): void;
  /** Convictions were deferred (`convictions:deferred`). */
  deferred(event: ConvictionsDeferred): void;
}

/** The pause guard's settings (the node table's `pauseToleranceMs` and `pauseGraceMs`). */
export interface PauseGuardSettings {
  /** Lateness of the timer beyond which the monitor is taken to have stalled, ms. */
  pauseToleranceMs: number;
  /** After a stall, convictions wait this long, ms. */
  pauseGraceMs: number;
}

export class DeadlineTimer {
  /** Read at every firing, so a reload takes effect at the next one. */
  settings: PauseGuardSettings;
  private timer: TimerHandle | undefined;
  /** When the armed timer is due (Infinity when none is armed); lateness is measured from it. */
  private armedDueMs = Infinity;
  /** No conviction before this monotonic time. */
  private deferredMs = -Infinity;
  private stopped = false;
  /** The timer callback, bound once (no closure per arming). */
  private readonly onTimerBound = (): void => this.onTimer();

  constructor(
    private readonly clock: Clock,
    private readonly queue: DeadlineQueue,
    private readonly hooks: DeadlineTimerHooks,
    settings: PauseGuardSettings,
  ) {
    this.settings = settings;
  }

  /** Monotonic ms before which convictions are deferred (-Infinity when never deferred). */
  get deferredUntilMs(): number {
    return this.deferredMs;
  }

  /**
   * Keeps one timer, due at the earliest of the queue head and the end of a deferral. It is
   * re-armed only when that time moves earlier than the armed one (or nothing is left to wait
   * for); when it moves later the armed timer fires early, finds nothing due and re-arms, which
   * is cheaper than cancelling a timer on every heartbeat to the head node. Call it after every
   * change to the queue.
   */
  arm(): void {
    if (this.stopped) return;
    const target = Math.max(this.queue.peekDueMs(), this.deferredMs);
    if (target === Infinity) {
      if (this.timer !== undefined) {
        this.timer.cancel();
        this.timer = undefined;
        this.armedDueMs = Infinity;
      }
      return;
    }
    if (this.timer !== undefined && this.armedDueMs <= target) return;
    this.timer?.cancel();
    const now = this.clock.monotonicMs();
    // Lateness is measured from when the timer could have fired at the earliest.
    this.armedDueMs = Math.max(target, now);
    this.timer = this.clock.setTimeout(this.onTimerBound, this.armedDueMs - now);
  }

  /**
   * No conviction before `untilMs`; only ever extends the deferral (a call that would shorten
   * it, or one after `stop`, does nothing). Tells the table (`deferred`) and re-arms.
   */
  defer(untilMs: number, reason: string, lateMs?: number): void {
    if (this.stopped || !(untilMs > this.deferredMs)) return;
    this.deferredMs = untilMs;
    this.hooks.deferred({
      atMs: this.clock.monotonicMs(),
      untilMs,
      reason,
      ...(lateMs === undefined ? {} : { lateMs }),
    });
    this.arm();
  }

  /** Cancels the timer; it is never armed again. */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.armedDueMs = Infinity;
  }

  /**
   * The timer callback. The pause guard: if it runs more than pauseToleranceMs after it was
   * due, the monitor itself was blind (stalled) for that long, so heartbeats may be waiting in
   * socket buffers; convictions are deferred by pauseGraceMs instead of made now. Otherwise
   * every deadline that is due goes to the table (at most MAX_TRANSITIONS_PER_TICK per callback,
   * so heartbeats get read between batches).
   */
  private onTimer(): void {
    const dueMs = this.armedDueMs;
    this.timer = undefined;
    this.armedDueMs = Infinity;
    if (this.stopped) return;
    const now = this.clock.monotonicMs();
    const lateMs = now - dueMs;
    if (lateMs > this.settings.pauseToleranceMs) {
      this.hooks.stalled();
      this.defer(now + this.settings.pauseGraceMs, 'stall', lateMs);
      this.arm();
      return;
    }
    if (now >= this.deferredMs) {
      for (let budget = MAX_TRANSITIONS_PER_TICK; budget > 0; budget--) {
        if (this.queue.peekDueMs() > now) break;
        this.hooks.due(this.queue.peekSlot(), now);
      }
    }
    this.arm();
  }
}

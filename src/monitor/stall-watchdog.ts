/**
 * The monitor's own liveness check, half of the pause guard (docs/PAUSE-GUARD.md). A clock
 * interval ticks every `periodMs` and measures how late it runs. When the process was stopped
 * (a long GC, SIGSTOP, a paused VM, an overloaded host), the tick comes late by about the length
 * of the stall — and heartbeats that arrived meanwhile still wait unread in socket buffers. Every
 * deadline that fell due during the stall would convict a healthy node, so the watchdog tells
 * the node table to hold convictions for `graceMs`, long enough for the queued heartbeats to be
 * read first. The node table's own late-timer check covers the case where its deadline timer
 * runs before the watchdog's tick.
 */
import type { Clock, TimerHandle } from '../core/clock.js';
import { DEFAULT_INTERVAL_MS, PAUSE_TOLERANCE_MS, defaultPauseGraceMs } from '../core/defaults.js';

/** A detected stall of the monitor process. */
export interface StallEvent {
  /** How much later than due the tick ran, in ms: about how long the process did not run. */
  stalledMs: number;
  /** Monotonic ms when the stall was noticed. */
  atMs: number;
  /** Wall ms when the stall was noticed. */
  wallMs: number;
  /** Convictions are held until this monotonic time. */
  holdUntilMs: number;
}

export interface StallWatchdogOptions {
  /**
   * How often the watchdog ticks. @default 100 — a stall is noticed within 100 ms after it ends,
   * well before a heartbeat read after the stall could be processed out of order; ten ticks a
   * second cost nothing.
   */
  periodMs?: number;
  /**
   * A tick later than due by more than this is a stall.
   * @default PAUSE_TOLERANCE_MS (core/defaults.ts), 500, as the node table's; the monitor passes
   * config.pauseGuard.toleranceMs.
   */
  toleranceMs?: number;
  /**
   * Convictions wait this long after a stall.
   * @default defaultPauseGraceMs(DEFAULT_INTERVAL_MS) (core/defaults.ts), 2000, as the node
   * table's; the monitor passes config.pauseGuard.graceMs.
   */
  graceMs?: number;
}

export class StallWatchdog {
  private readonly clock: Clock;
  private readonly onStall: (stall: StallEvent) => void;
  readonly periodMs: number;
  toleranceMs: number;
  graceMs: number;
  private timer: TimerHandle | null = null;
  private lastTickMs = 0;
  private stallCount = 0;
  private stalledTotalMs = 0;
  private longestMs = 0;

  /** `onStall` is called for every stall; the monitor defers convictions and counts it there. */
  constructor(
    components: { clock: Clock; onStall: (stall: StallEvent) => void },
    init: StallWatchdogOptions = {},
  ) {
    this.clock = components.clock;
    this.onStall = components.onStall;
    this.periodMs = init.periodMs ?? 100;
    this.toleranceMs = init.toleranceMs ?? PAUSE_TOLERANCE_MS;
    this.graceMs = init.graceMs ?? defaultPauseGraceMs(DEFAULT_INTERVAL_MS);
  }

  /** New tolerance and grace (a configuration reload); the next tick uses them. */
  reconfigure(init: Pick<StallWatchdogOptions, 'toleranceMs' | 'graceMs'>): void {
    this.toleranceMs = init.toleranceMs ?? this.toleranceMs;
    this.graceMs = init.graceMs ?? this.graceMs;
  }

  start(): void {
    if (this.timer !== null) return;
    this.lastTickMs = this.clock.monotonicMs();
    this.timer = this.clock.setInterval(() => this.tick(), this.periodMs);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  /** Stalls seen, their summed length and the longest, for metrics and /v1/stats. */
  stats(): { stalls: number; stalledMs: number; longestMs: number } {
    return { stalls: this.stallCount, stalledMs: this.stalledTotalMs, longestMs: this.longestMs };
  }

  private tick(): void {
    const now = this.clock.monotonicMs();
    const lateMs = now - this.lastTickMs - this.periodMs;
    this.lastTickMs = now;
    if (lateMs <= this.toleranceMs) return;
    this.stallCount++;
    this.stalledTotalMs += lateMs;
    this.longestMs = Math.max(this.longestMs, lateMs);
    this.onStall({
      stalledMs: lateMs,
      atMs: now,
      wallMs: this.clock.wallMs(),
      holdUntilMs: now + this.graceMs,
    });
  }
}

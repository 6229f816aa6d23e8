import type { Rng } from '../core/rng.js';
import { createSampler, type Sampler } from './distribution.js';
import type { PauseSpec } from './scenario.js';

/** One stop-the-world pause: [startMs, endMs). */
export interface PauseWindow {
  startMs: number;
  endMs: number;
}

/**
 * The pauses of one process over time, produced lazily in order: a given list, or a Poisson
 * process (exponential gaps with mean `everyMs` from the end of one pause to the start of the
 * next) with lengths drawn from a distribution. `pauseAt(t)` answers "is the process paused at
 * t, and until when" for non-decreasing `t`, in O(1) amortised.
 */
export class PauseWindows {
  private readonly given: { atMs: number; durationMs: number }[] | undefined;
  private readonly everyMs: number;
  private readonly length: Sampler | undefined;
  private index = 0;
  private current: PauseWindow | undefined;

  constructor(
    spec: PauseSpec | undefined,
    private readonly rng: Rng,
  ) {
    if (spec === undefined) {
      this.given = [];
      this.everyMs = Infinity;
    } else if ('at' in spec) {
      this.given = spec.at;
      this.everyMs = Infinity;
    } else {
      this.given = undefined;
      this.everyMs = spec.everyMs;
      this.length = createSampler(spec.durationMs);
    }
    this.current = this.nextWindow(0);
  }

  /** The pause containing `tMs` (`start ≤ t < end`), or undefined. Calls must not go back in time. */
  pauseAt(tMs: number): PauseWindow | undefined {
    while (this.current !== undefined && this.current.endMs <= tMs) {
      this.current = this.nextWindow(this.current.endMs);
    }
    const w = this.current;
    return w !== undefined && w.startMs <= tMs ? w : undefined;
  }

  /** When `tMs` falls in a pause, the end of the pause (and of any pause that follows at once). */
  resumeAt(tMs: number): number {
    let t = tMs;
    for (let w = this.pauseAt(t); w !== undefined; w = this.pauseAt(t)) t = w.endMs;
    return t;
  }

  private nextWindow(afterMs: number): PauseWindow | undefined {
    if (this.given !== undefined) {
      while (this.index < this.given.length) {
        const g = this.given[this.index++] as { atMs: number; durationMs: number };
        const end = g.atMs + g.durationMs;
        if (end > afterMs) return { startMs: Math.max(g.atMs, afterMs), endMs: end };
      }
      return undefined;
    }
    let u = this.rng.next();
    while (u === 0) u = this.rng.next();
    const start = afterMs - this.everyMs * Math.log(u);
    const len = Math.max(0, (this.length as Sampler)(this.rng));
    return { startMs: start, endMs: start + len };
  }
}

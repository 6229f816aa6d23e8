import { describe, expect, it } from 'vitest';
import {
  MIN_RECURRING_EVENTS,
  OutageSchedule,
  poissonTail,
  RECENT_LATE,
  RECENT_STALLS,
  SCHEDULE_BINS,
} from '../../src/detectors/outage-schedule.js';

const PERIOD = 15_000;
const BIN_MS = PERIOD / SCHEDULE_BINS; // 250 ms
const SCHEDULED_TAG = 9;

interface Moved {
  tag: number;
  waitBin: number;
  weight: number;
}

function schedule(): { s: OutageSchedule; moved: Moved[] } {
  const moved: Moved[] = [];
  const s = new OutageSchedule(PERIOD, SCHEDULED_TAG, (tag, waitBin, weight) =>
    moved.push({ tag, waitBin, weight }),
  );
  return { s, moved };
}

/**
 * One period of waits every 100 ms (150 per period), weight 1; the wait expected at
 * `lateAtMs` (phase within the period) is late, filed under tag 2 and wait bin 150.
 */
function period(s: OutageSchedule, k: number, lateAtMs: number | undefined): void {
  for (let t = 0; t < PERIOD; t += 100) {
    const late = t === lateAtMs;
    s.observe(k * PERIOD + t, 1, late, 2, 150);
  }
}

describe('poissonTail', () => {
  it('is P(X ≥ k) for a Poisson variable', () => {
    expect(poissonTail(0, 3)).toBe(1);
    expect(poissonTail(1, 0.5)).toBeCloseTo(1 - Math.exp(-0.5), 12);
    // P(X ≥ 3 | λ = 0.1) = 1 − e^−0.1 (1 + 0.1 + 0.005)
    expect(poissonTail(3, 0.1)).toBeCloseTo(1 - Math.exp(-0.1) * 1.105, 12);
    expect(poissonTail(2, 0)).toBe(0);
  });
});

describe('outage schedule', () => {
  it('files times by their phase in the period, on either side of zero', () => {
    const { s } = schedule();
    expect(s.binOf(0)).toBe(0);
    expect(s.binOf(BIN_MS - 1e-9)).toBe(0);
    expect(s.binOf(BIN_MS)).toBe(1);
    expect(s.binOf(PERIOD * 7 + 11_900)).toBe(47);
    expect(s.binOf(-1)).toBe(SCHEDULE_BINS - 1);
  });

  it('flags a phase once late waits recur there, not before', () => {
    const { s } = schedule();
    const at = 11_900; // bin 47
    for (let k = 0; k < MIN_RECURRING_EVENTS - 1; k++) period(s, k, at);
    expect(s.recurring(at)).toBe(false);
    period(s, MIN_RECURRING_EVENTS - 1, at);
    // Three late waits in bins 46–47 (3 × 5 waits) against an overall rate of 3 in 450:
    // λ = 15 · 3/450 = 0.1, P(X ≥ 3) ≈ 1.5e-4, below the 1e-3 it takes.
    expect(s.recurring(PERIOD * 10 + at)).toBe(true);
    // A phase far from it is not.
    expect(s.recurring(PERIOD * 10 + 3_000)).toBe(false);
  });

  it('leaves evenly spread lateness alone', () => {
    const { s } = schedule();
    // One late wait per period, each at a different phase: 40 periods, 40 distinct bins.
    for (let k = 0; k < 40; k++) period(s, k, (k * 1_300) % PERIOD);
    for (let t = 0; t < PERIOD; t += BIN_MS) expect(s.recurring(t)).toBe(false);
  });

  it('hands back the late waits of a phase when it starts to recur, once each', () => {
    const { s, moved } = schedule();
    const at = 11_900;
    for (let k = 0; k < MIN_RECURRING_EVENTS; k++) period(s, k, at);
    expect(moved).toEqual(
      Array.from({ length: MIN_RECURRING_EVENTS }, () => ({ tag: 2, waitBin: 150, weight: 1 })),
    );
    // Later waits in the same window are the caller's own business: nothing more is moved.
    period(s, MIN_RECURRING_EVENTS, at);
    expect(moved).toHaveLength(MIN_RECURRING_EVENTS);
  });

  it('moves only the late waits of the recurring phase, from the newest it remembers', () => {
    const { s, moved } = schedule();
    // Late waits spread over the period first (tag 1), more than it remembers one by one.
    for (let k = 0; k < 2 * RECENT_LATE; k++) {
      for (let t = 0; t < PERIOD; t += 100) {
        s.observe(k * PERIOD + t, 1, t === ((k * 1_300) % 9_000) + 100, 1, 10);
      }
    }
    // Then one phase goes late every period (tag 2) until it is recognised.
    let k = 2 * RECENT_LATE;
    let lateAtPhase = 0;
    while (!s.recurring(11_900) && lateAtPhase < 30) {
      period(s, k++, 11_900);
      lateAtPhase++;
    }
    expect(s.recurring(11_900)).toBe(true);
    expect(lateAtPhase).toBeGreaterThanOrEqual(MIN_RECURRING_EVENTS);
    expect(moved).toHaveLength(lateAtPhase);
    expect(new Set(moved.map((m) => m.tag))).toEqual(new Set([2]));
  });

  it('reads counts in units of the newest weight, so rescaling changes nothing', () => {
    const a = schedule();
    const b = schedule();
    const late = (t: number): boolean => t === 11_900;
    for (let k = 0; k < 2; k++) {
      period(a.s, k, 11_900);
      for (let t = 0; t < PERIOD; t += 100) b.s.observe(k * PERIOD + t, 4, late(t), 2, 150);
    }
    b.s.rescale(4);
    period(a.s, 2, 11_900);
    period(b.s, 2, 11_900);
    expect(a.s.recurring(11_900)).toBe(true);
    expect(b.s.recurring(11_900)).toBe(true);
    expect(b.moved.map((m) => m.weight)).toEqual([1, 1, 1]);
  });

  it('reports a fixed footprint', () => {
    const { s } = schedule();
    const before = s.memoryBytes();
    period(s, 0, 100);
    expect(s.memoryBytes()).toBe(before);
    expect(before).toBe(
      32 + 17 * 8 + 8 * 160 + SCHEDULE_BINS * 18 + RECENT_LATE * 19 + RECENT_STALLS * 8,
    );
  });
});

describe('a schedule of another period', () => {
  /**
   * Waits every 100 ms for `periods` periods of 40 s; the one expected at 3.3 s into each is a
   * stall (late, tag 2, wait bin 150, and noted for the period search).
   */
  function fortySeconds(s: OutageSchedule, from: number, to: number): void {
    for (let t = from * 40_000; t < to * 40_000; t += 100) {
      const stall = t % 40_000 === 3_300;
      s.observe(t, 1, stall, 2, 150);
      if (stall) s.noteStall(t, 100, 8, 1);
    }
  }

  it('is found among the stalls and taken on, the stalls already seen moved', () => {
    const { s, moved } = schedule();
    fortySeconds(s, 0, 5);
    expect(s.period).toBe(PERIOD); // five cycles are not yet enough
    fortySeconds(s, 5, 12);
    expect(s.period).toBeCloseTo(40_000, 6);
    // Every wait is re-filed at its phase in 40 s: the stalls' window recurs…
    expect(s.recurring(12 * 40_000 + 3_300)).toBe(true);
    // …and nothing else does (a 15 s phase of it no longer means anything).
    expect(s.recurring(12 * 40_000 + 20_000)).toBe(false);
    // The remembered stalls were handed back once each.
    expect(moved.length).toBeGreaterThanOrEqual(MIN_RECURRING_EVENTS);
    expect(moved.length).toBeLessThanOrEqual(RECENT_LATE);
    expect(new Set(moved.map((m) => m.tag))).toEqual(new Set([2]));
  });

  it('replaces the configured period when the stalls have another', () => {
    const { s } = schedule();
    // Stalls every 45 s fall at one phase of 15 s too, and that window recurs first…
    for (let k = 0; k < MIN_RECURRING_EVENTS; k++) period(s, 3 * k, 11_900);
    expect(s.recurring(11_900)).toBe(true);
    // …but their own period is 45 s, and once the search has the cycles it takes it.
    for (let k = 0; k < RECENT_STALLS; k++) s.noteStall(11_900 + k * 45_000, 100, 8, 1);
    expect(s.period).toBeCloseTo(45_000, 6);
    expect(s.recurring(30 * 45_000 + 11_900)).toBe(true);
  });

  it('keeps its period when the stalls are in step with it', () => {
    const { s } = schedule();
    for (let k = 0; k < RECENT_STALLS; k++)
      s.noteStall(11_900 + k * PERIOD + (k % 3) * 20, 100, 8, 1);
    expect(s.period).toBe(PERIOD);
  });
});

describe('poissonTail for large counts', () => {
  it('answers at once with the Chernoff bound, which is above the exact tail', () => {
    expect(poissonTail(1e300, 1)).toBe(0);
    expect(poissonTail(300, 400)).toBe(1);
    // k = 300, λ = 150: the bound e^(150) (1/2)^300 ≈ 2.8e-25, far below any significance
    const bound = poissonTail(300, 150);
    expect(bound).toBeCloseTo(Math.exp(150 - 300 * Math.LN2), 30);
    expect(bound).toBeLessThan(1e-20);
  });
});

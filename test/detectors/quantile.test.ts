import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuantileDetector, turbulenceClass } from '../../src/detectors/quantile.js';
import { WAIT_BINS } from '../../src/detectors/wait-histogram.js';

const INTERVAL = 100;

function periodic(detector: QuantileDetector, count: number, startSeq = 1): number {
  let t = 0;
  for (let i = 0; i < count; i++) {
    t = (startSeq - 1 + i) * INTERVAL;
    detector.heartbeat(t, startSeq + i);
  }
  return t;
}

describe('quantile detector', () => {
  it('has no evidence before the first heartbeat', () => {
    const d = new QuantileDetector({}, { intervalMs: INTERVAL });
    expect(d.suspicion(1e9)).toBe(0);
    expect(d.suspectAtMs()).toBe(Infinity);
    expect(d.suspects(1e9)).toBe(false);
  });

  it('starts with a cold margin of two intervals past the expected arrival', () => {
    const d = new QuantileDetector({}, { intervalMs: INTERVAL });
    d.heartbeat(0, 1);
    // expected arrival 100, margin 2 × 100
    expect(d.suspectAtMs()).toBe(300);
    expect(d.suspects(299.9)).toBe(false);
    expect(d.suspects(300)).toBe(true);
    expect(d.suspicion(150)).toBeCloseTo(0.5, 12);
  });

  it('on a perfectly regular sender waits just past the largest wait, by the floor tail scale', () => {
    const d = new QuantileDetector({}, { intervalMs: INTERVAL });
    const last = periodic(d, 17); // 16 waits of exactly 0: the first margin is computed
    // All waits in the bin [0, 0.04) intervals, so the largest is 0.04; the budget
    // p = 0.5 mistakes/h × 100 ms / 1 h is finer than 1/16, so the tail continues from there with
    // the floor scale 0.1: margin = 0.04 + 0.1·ln(1 / (16 p)).
    // (16 samples, each weighing 2^(−100 ms / 1 h) of the next: 16 effective samples, nearly)
    const p = (0.5 * INTERVAL) / 3_600_000;
    let n = 0;
    for (let k = 0; k < 16; k++) n += 2 ** ((-k * INTERVAL) / 3_600_000);
    const margin = 0.04 + 0.1 * Math.log(1 / (n * p));
    expect(d.suspectAtMs()).toBeCloseTo(last + INTERVAL + margin * INTERVAL, 6);
    expect(d.explain(last).details.samples).toBe(16);
  });

  it('reads a sequence gap as lost heartbeats and waits longer afterwards', () => {
    const regular = new QuantileDetector({}, { intervalMs: INTERVAL });
    const lossy = new QuantileDetector({}, { intervalMs: INTERVAL });
    periodic(regular, 60);
    periodic(lossy, 30);
    // heartbeats 31 and 32 lost: 33 arrives on schedule, then the sender carries on
    for (let s = 33; s <= 62; s++) lossy.heartbeat((s - 1) * INTERVAL, s);
    const lastRegular = 59 * INTERVAL;
    const lastLossy = 61 * INTERVAL;
    expect(lossy.suspectAtMs() - lastLossy).toBeGreaterThan(regular.suspectAtMs() - lastRegular);
    // the recorded wait is two intervals: the margin covers at least that
    expect(lossy.explain(lastLossy).details.marginMs).toBeGreaterThanOrEqual(2 * INTERVAL);
  });

  it('measures the real interval when the sender announces a wrong one', () => {
    const d = new QuantileDetector({}, { intervalMs: 10 });
    periodic(d, 50);
    expect(d.explain(0).details.intervalMs).toBeCloseTo(INTERVAL, 9);
  });

  it('a smaller mistake budget never suspects earlier', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 5 * INTERVAL, noNaN: true }), {
          minLength: 1,
          maxLength: 120,
        }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        (gaps, budget) => {
          const loose = new QuantileDetector(
            { mistakesPerHour: budget * 10 },
            { intervalMs: INTERVAL },
          );
          const tight = new QuantileDetector({ mistakesPerHour: budget }, { intervalMs: INTERVAL });
          let t = 0;
          gaps.forEach((g, i) => {
            t += g;
            loose.heartbeat(t, i + 1);
            tight.heartbeat(t, i + 1);
          });
          expect(tight.suspectAtMs()).toBeGreaterThanOrEqual(loose.suspectAtMs());
        },
      ),
      { numRuns: 100 },
    );
  });

  it('agrees with itself when its deadline is the arrival itself', () => {
    // A counterexample found by the compliance suite: a 1 ms sender whose beats all land at once.
    const d = new QuantileDetector({}, { intervalMs: 1 });
    let t = 1_000_000;
    for (const [gap, seq] of [
      [1_000_000, 0],
      [1e-9, 0],
      [0, 15],
      [0, undefined],
    ] as const) {
      t += gap;
      d.heartbeat(t, seq);
    }
    for (const probe of [0, t, d.suspectAtMs(), t + 1]) {
      expect(d.suspicion(probe) >= d.threshold).toBe(d.suspects(probe));
    }
    expect(d.suspicion(0)).toBe(0);
  });

  it('keeps its memory fixed however many heartbeats arrive', () => {
    const d = new QuantileDetector({ windowSize: 64 }, { intervalMs: INTERVAL });
    const before = d.memoryBytes();
    periodic(d, 10_000);
    expect(d.memoryBytes()).toBe(before);
    const schedule = 32 + 17 * 8 + 8 * 160 + 60 * 18 + 32 * 19 + 16 * 8;
    expect(before).toBe(
      32 + 29 * 8 + 8 * 160 + 4 * 5 * WAIT_BINS + 8 * (3 * 5 + 2 * 4 + 2 * 64) + schedule,
    );
    // Without the schedule (turned off), its share is gone.
    const off = new QuantileDetector({ schedulePeriodMs: 0 }, { intervalMs: INTERVAL });
    expect(off.memoryBytes()).toBe(before - schedule);
  });
});

describe('turbulence classes', () => {
  it('cut the largest recent gap deviation at a tenth and a third of an interval', () => {
    expect([0, 0.099, 0.1, 0.29, 0.3, 5].map(turbulenceClass)).toEqual([0, 0, 1, 1, 2, 2]);
  });
});

describe('outages on a schedule', () => {
  /**
   * A 100 ms sender whose link drops everything for 1 s at 11.9 s of every 15 s period, with
   * 5–15 ms of deterministic delay, for `steps` heartbeats into `d`. Returns how many arrivals
   * came after the detector's deadline (false suspicions), per period.
   */
  function scheduledOutages(d: QuantileDetector, steps: number, period = 15_000): number[] {
    let mistakes = 0;
    const byPeriod: number[] = [];
    for (let seq = 1; seq <= steps; seq++) {
      const sent = (seq - 1) * INTERVAL;
      const phase = sent % period;
      if (phase >= 11_900 && phase < 12_900) continue; // lost in the outage
      const at = sent + 5 + ((seq * 7) % 11);
      if (seq > 1 && at > d.suspectAtMs()) mistakes++;
      d.heartbeat(at, seq);
      if (seq % (period / INTERVAL) === 0) byPeriod.push(mistakes);
    }
    return byPeriod;
  }

  it('keeps the deadline tight away from the outage and patient across it', () => {
    const learning = new QuantileDetector({ mistakesPerHour: 10 }, { intervalMs: INTERVAL });
    const off = new QuantileDetector(
      { mistakesPerHour: 10, schedulePeriodMs: 0 },
      { intervalMs: INTERVAL },
    );
    // Twelve periods, then 3 s into the thirteenth: far from the outage…
    const calm = 12 * 150 + 30;
    scheduledOutages(learning, calm);
    scheduledOutages(off, calm);
    expect(learning.explain(0).details.marginMs).toBeLessThan(INTERVAL);
    expect(off.explain(0).details.marginMs).toBeGreaterThan(5 * INTERVAL);
    // …and on to the last heartbeat before the outage: the learning one waits the second out.
    scheduledOutages(learning, 12 * 150 + 119);
    const last = 12 * 15_000 + 11_800;
    expect(learning.suspectAtMs()).toBeGreaterThan(last + 1_000 + INTERVAL);
    expect(learning.explain(last).details.scheduledOutage).toBe(1);
    expect(off.explain(0).details.scheduledOutage).toBe(0);
  });

  it('finds a schedule of another period from its stalls, and keeps tight away from it', () => {
    const d = new QuantileDetector({ mistakesPerHour: 10 }, { intervalMs: INTERVAL });
    // Outages every 40 s; the configured period is 15 s. Four periods are not enough evidence…
    scheduledOutages(d, 4 * 400, 40_000);
    expect(d.explain(0).details.schedulePeriodMs).toBe(15_000);
    // …ten are, and then the outages cost nothing more.
    const byPeriod = scheduledOutages(d, 20 * 400, 40_000);
    expect(d.explain(0).details.schedulePeriodMs).toBeCloseTo(40_000, -1);
    expect(byPeriod[19]).toBe(byPeriod[9]);
    // The last heartbeat before an outage waits it out; 15 s after it the deadline is tight.
    scheduledOutages(d, 20 * 400 + 119, 40_000);
    expect(d.explain(0).details.scheduledOutage).toBe(1);
    expect(d.suspectAtMs()).toBeGreaterThan(20 * 40_000 + 11_800 + 1_000 + INTERVAL);
    scheduledOutages(d, 20 * 400 + 280, 40_000);
    expect(d.explain(0).details.scheduledOutage).toBe(0);
    expect(d.explain(0).details.marginMs).toBeLessThan(INTERVAL);
  });

  it('makes no mistake on an outage once the schedule is learned', () => {
    const d = new QuantileDetector({ mistakesPerHour: 10 }, { intervalMs: INTERVAL });
    const byPeriod = scheduledOutages(d, 12 * 150);
    // Learning costs the first few outages; the last six periods are clean.
    expect(byPeriod[5]).toBeLessThanOrEqual(4);
    expect(byPeriod[11]).toBe(byPeriod[5]);
  });
});

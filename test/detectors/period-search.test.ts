import { describe, expect, it } from 'vitest';
import {
  binomialTail,
  findPeriod,
  MIN_PERIOD_MATCHES,
  PERIOD_SIGNIFICANCE,
} from '../../src/detectors/period-search.js';
import { SeededRng } from '../../src/core/rng.js';

const OPTIONS = {
  minPeriodMs: 800,
  maxPeriodMs: 600_000,
  toleranceMs: (period: number) => 150 + 0.01 * period,
};

describe('binomialTail', () => {
  it('is P(X ≥ m) for a binomial variable', () => {
    expect(binomialTail(5, 0.5, 0)).toBe(1);
    expect(binomialTail(5, 0.5, 6)).toBe(0);
    // P(X ≥ 4 | n = 5, q = 1/2) = (5 + 1) / 32
    expect(binomialTail(5, 0.5, 4)).toBeCloseTo(6 / 32, 14);
    // P(X ≥ 2 | n = 3, q = 0.1) = 3 · 0.01 · 0.9 + 0.001
    expect(binomialTail(3, 0.1, 2)).toBeCloseTo(0.028, 14);
    expect(binomialTail(4, 1, 2)).toBe(1);
    expect(binomialTail(4, 0, 2)).toBe(0);
  });
});

describe('findPeriod', () => {
  it('finds the period of stalls that recur on a schedule, to a few ms', () => {
    // Stalls every 40 s at phase 3.3 s, each up to 100 ms off the grid, in ring order
    const times = [5, 6, 0, 1, 2, 3, 4].map((k) => 3_300 + k * 40_000 + ((k * 37) % 100));
    const found = findPeriod(times, times.length, OPTIONS);
    expect(found).toBeDefined();
    expect(found?.periodMs).toBeCloseTo(40_000, -1);
    expect(found?.matches).toBe(7);
    expect(found?.phaseMs).toBe(3_300 + 6 * 40_000 + ((6 * 37) % 100));
    expect(found?.pValue).toBeLessThan(PERIOD_SIGNIFICANCE);
  });

  it('needs enough cycles: fewer stalls than that prove nothing', () => {
    const times = [0, 40_000, 80_000];
    expect(times.length).toBeLessThan(MIN_PERIOD_MATCHES);
    expect(findPeriod(times, times.length, OPTIONS)).toBeUndefined();
    // Only the first `count` entries of a ring are read.
    expect(findPeriod([0, 40_000, 80_000, 120_000, 160_000], 3, OPTIONS)).toBeUndefined();
  });

  it('counts a burst of stalls as one episode, in one cycle', () => {
    // Six cycles of a 40 s period, the newest a burst of six stalls within 300 ms: as waits
    // they would be eleven matches, as cycles they are six.
    const burst = [0, 50, 100, 150, 250, 300].map((d) => 200_000 + d);
    const times = [0, 40_000, 80_000, 120_000, 160_000, ...burst];
    const found = findPeriod(times, times.length, OPTIONS);
    expect(found?.matches).toBe(6);
    expect(Math.abs((found?.periodMs ?? 0) - 40_000)).toBeLessThan(100); // anchored on the burst's last
    // Four cycles are not enough evidence, however many stalls the burst holds.
    const fewer = [0, 40_000, 80_000, ...burst.map((t) => t - 80_000)];
    expect(findPeriod(fewer, fewer.length, OPTIONS)).toBeUndefined();
  });

  it('finds no period in stalls at random times', () => {
    const rng = new SeededRng(42);
    let found = 0;
    for (let trial = 0; trial < 300; trial++) {
      // 16 stalls uniformly over half an hour, as bursts on a cellular link might come
      const times = Array.from({ length: 16 }, () => rng.next() * 1_800_000);
      if (findPeriod(times, times.length, OPTIONS) !== undefined) found++;
    }
    expect(found).toBe(0);
  });

  it('reports only periods within its range', () => {
    const fast = [0, 1, 2, 3, 4, 5].map((k) => k * 700);
    expect(findPeriod(fast, fast.length, OPTIONS)).toBeUndefined(); // 700 ms < 800 ms
    // 700 s is beyond 10 min; its half fits too (every second cycle empty), and is in range.
    const slow = [0, 1, 2, 3, 4, 5].map((k) => k * 700_000);
    expect(findPeriod(slow, slow.length, OPTIONS)?.periodMs).toBeCloseTo(350_000, -1);
  });
});

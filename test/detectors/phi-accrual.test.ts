import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  akkaPhi,
  akkaPhiInverse,
  PhiAccrualDetector,
  resolvePhiAccrualOptions,
} from '../../src/detectors/phi-accrual.js';

/** Akka/Pekko's `phi(timeDiff, mean, stdDeviation)`, transcribed literally. */
function akkaReference(timeDiff: number, mean: number, stdDeviation: number): number {
  const y = (timeDiff - mean) / stdDeviation;
  const e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
  return timeDiff > mean ? -Math.log10(e / (1 + e)) : -Math.log10(1 - 1 / (1 + e));
}

/** Bisection on the reference formula: the t at which φ(t) = threshold (a numeric root-find). */
function rootFind(threshold: number, mean: number, stdDeviation: number): number {
  let lo = mean - 100 * stdDeviation;
  let hi = mean + 100 * stdDeviation;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (akkaPhi(mid, mean, stdDeviation) < threshold) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

describe('akkaPhi', () => {
  it('matches hand-computed values of log10(1 + exp(y(1.5976 + 0.070566y²)))', () => {
    // y = 0: e = 1, φ = −log10(1/2).
    expect(akkaPhi(1000, 1000, 100)).toBeCloseTo(0.3010299956639812, 14);
    // y = 1: z = 1.668166, φ = log10(1 + e^z).
    expect(akkaPhi(1100, 1000, 100)).toBeCloseTo(0.7995083208395598, 13);
    // y = 2: z = 3.759728.
    expect(akkaPhi(1200, 1000, 100)).toBeCloseTo(1.6428278854871123, 13);
    // y = −1.
    expect(akkaPhi(900, 1000, 100)).toBeCloseTo(0.0750330321409399, 13);
  });

  it("reproduces Akka's own table (PhiAccrualFailureDetectorSpec: mean 1000, σ 100, ±0.1)", () => {
    const table: [number, number][] = [
      [0, 0.0],
      [500, 0.1],
      [1000, 0.3],
      [1200, 1.6],
      [1400, 4.7],
      [1600, 10.8],
      [1700, 15.3],
    ];
    for (const [timeDiff, phi] of table) {
      expect(Math.abs(akkaPhi(timeDiff, 1000, 100) - phi)).toBeLessThanOrEqual(0.1);
    }
    expect(Math.abs(akkaPhi(10, 0, 1) - 38)).toBeLessThanOrEqual(1);
    expect(akkaPhi(-25, 0, 1)).toBe(0);
  });

  it("equals Akka's literal formula wherever that is finite", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e5, max: 1e5, noNaN: true }),
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.double({ min: 1, max: 1e4, noNaN: true }),
        (t, mean, sd) => {
          const reference = akkaReference(t, mean, sd);
          // Past φ ≈ 307 the literal formula's e^(…) is subnormal and has lost its precision.
          fc.pre(Number.isFinite(reference) && reference < 300);
          const ours = akkaPhi(t, mean, sd);
          expect(Math.abs(ours - reference)).toBeLessThanOrEqual(1e-12 + 1e-9 * reference);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('stays finite where exp underflows in the literal formula', () => {
    expect(akkaReference(30, 0, 1)).toBe(Infinity);
    const phi = akkaPhi(30, 0, 1);
    expect(Number.isFinite(phi)).toBe(true);
    expect(phi).toBeCloseTo((30 * (1.5976 + 0.070566 * 900)) / Math.LN10, 9);
  });
});

describe('akkaPhiInverse (closed form)', () => {
  it('agrees with a numeric root-find of the forward formula', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 200, noNaN: true }),
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.double({ min: 1, max: 1e3, noNaN: true }),
        (threshold, mean, sd) => {
          const closed = mean + akkaPhiInverse(threshold) * sd;
          const numeric = rootFind(threshold, mean, sd);
          expect(Math.abs(closed - numeric)).toBeLessThanOrEqual(1e-9 * (Math.abs(mean) + sd));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('inverts φ at pinned thresholds', () => {
    expect(akkaPhiInverse(Math.log10(2))).toBeCloseTo(0, 12);
    for (const threshold of [0.1, 1, 3, 8, 10, 16, 50, 300]) {
      expect(akkaPhi(akkaPhiInverse(threshold), 0, 1)).toBeCloseTo(threshold, 10);
    }
    // Akka cluster's threshold 8 is reached about 5.226 σ past the (pause-shifted) mean.
    expect(akkaPhiInverse(8)).toBeCloseTo(5.225986644093564, 10);
  });
});

describe('PhiAccrualDetector', () => {
  it('scales Akka cluster defaults with the interval', () => {
    expect(resolvePhiAccrualOptions({}, { intervalMs: 1000 })).toEqual({
      threshold: 8,
      minStdDeviationMs: 100,
      acceptableHeartbeatPauseMs: 3000,
      windowSize: 32,
      firstHeartbeatEstimateMs: 1000,
    });
    expect(resolvePhiAccrualOptions({ threshold: 12 }, { intervalMs: 200 })).toMatchObject({
      threshold: 12,
      minStdDeviationMs: 20,
      acceptableHeartbeatPauseMs: 600,
      firstHeartbeatEstimateMs: 200,
    });
  });

  it('bootstraps from firstHeartbeatEstimate ± estimate/4, as Akka does', () => {
    const detector = new PhiAccrualDetector({}, { intervalMs: 1000 });
    detector.heartbeat(10_000);
    const details = detector.explain(10_000).details;
    expect(details.samples).toBe(2);
    expect(details.meanIntervalMs).toBe(1000);
    expect(details.stdDeviationMs).toBe(250);
    expect(details.effectiveMeanMs).toBe(4000);
    expect(details.effectiveStdDeviationMs).toBe(250);
    // φ at t − last = mean + pause is log10 2; the verdict is mean + pause + y(8)·σ later.
    expect(detector.suspicion(14_000)).toBeCloseTo(Math.log10(2), 12);
    expect(detector.suspectAtMs()).toBeCloseTo(10_000 + 4000 + 5.225986644093564 * 250, 6);
    expect(detector.suspicion(12_000)).toBeCloseTo(akkaReference(2000, 4000, 250), 12);
  });

  it('records intervals, floors σ at minStdDeviation and adds the pause to the mean', () => {
    const detector = new PhiAccrualDetector(
      { acceptableHeartbeatPauseMs: 500, minStdDeviationMs: 50, windowSize: 4 },
      { intervalMs: 1000 },
    );
    for (const t of [0, 1000, 2000, 3000, 4000, 5000]) detector.heartbeat(t);
    // The window of 4 holds four 1000 ms intervals: σ = 0, floored at 50.
    const details = detector.explain(5000).details;
    expect(details.samples).toBe(4);
    expect(details.meanIntervalMs).toBe(1000);
    expect(details.effectiveStdDeviationMs).toBe(50);
    expect(detector.suspicion(5000 + 1700)).toBeCloseTo(akkaReference(1700, 1500, 50), 12);
    const y = akkaPhiInverse(8);
    expect(detector.suspectAtMs()).toBeCloseTo(5000 + 1500 + y * 50, 9);
    expect(detector.suspectAtMs()).toBeCloseTo(rootFind(8, 1500, 50) + 5000, 6);
  });

  it('does not record the interval of the first heartbeat after a suspicion', () => {
    const detector = new PhiAccrualDetector({ windowSize: 8 }, { intervalMs: 1000 });
    for (let i = 0; i <= 10; i++) detector.heartbeat(i * 1000);
    const before = detector.explain(10_000).details;
    expect(detector.suspects(100_000)).toBe(true);
    detector.heartbeat(100_000);
    const after = detector.explain(100_000).details;
    expect(after.meanIntervalMs).toBe(before.meanIntervalMs);
    expect(after.samples).toBe(before.samples);
    expect(detector.suspects(100_000)).toBe(false);
  });
});

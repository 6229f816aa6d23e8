import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cassandraPhi,
  PHI_FACTOR,
  PhiCassandraDetector,
  resolvePhiCassandraOptions,
} from '../../src/detectors/phi-cassandra.js';

/** Bisection for the elapsed time at which PHI_FACTOR · t / mean reaches the threshold. */
function rootFind(threshold: number, mean: number): number {
  let lo = 0;
  let hi = threshold * 10 * mean;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (cassandraPhi(mid, mean) < threshold) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

describe('cassandraPhi', () => {
  it('is t / mean scaled by 1/ln 10', () => {
    expect(PHI_FACTOR).toBeCloseTo(0.4342944819032518, 15);
    expect(cassandraPhi(1000, 2000)).toBeCloseTo(0.21714724095162588, 15);
    expect(cassandraPhi(2000 * Math.LN10 * 8, 2000)).toBeCloseTo(8, 12);
    expect(cassandraPhi(-5, 1000)).toBe(0);
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e7, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
        (t, mean) => {
          fc.pre(t / mean < 700); // beyond, exp(−t/mean) underflows in the reference
          const reference = -Math.log10(Math.exp(-t / mean));
          expect(Math.abs(cassandraPhi(t, mean) - reference)).toBeLessThanOrEqual(
            1e-12 + 1e-9 * reference,
          );
        },
      ),
    );
  });
});

describe('PhiCassandraDetector', () => {
  it("scales Cassandra's defaults with the interval", () => {
    expect(resolvePhiCassandraOptions({}, { intervalMs: 1000 })).toEqual({
      threshold: 8,
      windowSize: 32,
      maxIntervalMs: 2000,
    });
  });

  it('seeds the window with twice the interval and convicts at threshold · ln 10 · mean', () => {
    const detector = new PhiCassandraDetector({}, { intervalMs: 1000 });
    detector.heartbeat(0);
    expect(detector.explain(0).details.meanIntervalMs).toBe(2000);
    expect(detector.suspicion(1000)).toBeCloseTo(0.21714724095162588, 14);
    // Hand-computed: 8 · ln 10 · 2000 = 36841.36148790473.
    expect(detector.suspectAtMs()).toBeCloseTo(36841.36148790473, 8);
    expect(detector.suspectAtMs()).toBeCloseTo(rootFind(8, 2000), 6);
  });

  it('ignores intervals longer than maxIntervalMs', () => {
    const detector = new PhiCassandraDetector({ windowSize: 4 }, { intervalMs: 1000 });
    for (const t of [0, 1000, 2000, 7000, 8000]) detector.heartbeat(t);
    // Window: 2000 (initial), 1000, 1000, (5000 ignored), 1000.
    const details = detector.explain(8000).details;
    expect(details.samples).toBe(4);
    expect(details.meanIntervalMs).toBe(1250);
    expect(detector.suspectAtMs()).toBeCloseTo(8000 + 8 * Math.LN10 * 1250, 8);
    expect(detector.suspicion(9250)).toBeCloseTo(PHI_FACTOR, 14);
  });

  it('closed-form verdict agrees with a numeric root-find', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.array(fc.double({ min: 1, max: 1999, noNaN: true }), { minLength: 1, maxLength: 50 }),
        (threshold, gaps) => {
          const detector = new PhiCassandraDetector({ threshold }, { intervalMs: 1000 });
          let t = 0;
          detector.heartbeat(t);
          for (const gap of gaps) detector.heartbeat((t += gap));
          const mean = detector.explain(t).details.meanIntervalMs as number;
          expect(detector.suspectAtMs() - t).toBeCloseTo(rootFind(threshold, mean), 4);
        },
      ),
      { numRuns: 200 },
    );
  });
});

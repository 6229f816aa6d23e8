import { describe, expect, it } from 'vitest';
import { CHEN_MAX_SEQ_LEAD, ChenDetector, resolveChenOptions } from '../../src/detectors/chen.js';

/** EA_{ℓ+1} = (1/n) Σ (A_i − Δ s_i) + (ℓ+1)Δ, straight from the paper. */
function expectedArrival(arrivals: number[], seqs: number[], intervalMs: number): number {
  const n = arrivals.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (arrivals[i] as number) - intervalMs * (seqs[i] as number);
  return sum / n + (Math.max(...seqs) + 1) * intervalMs;
}

describe('ChenDetector', () => {
  it('defaults: window 32, safety margin 2 intervals', () => {
    expect(resolveChenOptions({}, { intervalMs: 500 })).toEqual({
      windowSize: 32,
      safetyMarginMs: 1000,
    });
  });

  it('estimates the next arrival from the last n arrivals and their sequence numbers', () => {
    const detector = new ChenDetector({}, { intervalMs: 1000 });
    const arrivals = [0, 1010, 1990, 3005];
    const seqs = [0, 1, 2, 3];
    arrivals.forEach((t, i) => detector.heartbeat(t, seqs[i]));
    // Offsets 0, 10, −10, 5: mean 1.25, so EA_4 = 4001.25 and α = 2000.
    expect(detector.expectedArrivalMs()).toBeCloseTo(4001.25, 9);
    expect(detector.expectedArrivalMs()).toBeCloseTo(expectedArrival(arrivals, seqs, 1000), 9);
    expect(detector.suspectAtMs()).toBeCloseTo(6001.25, 9);
    expect(detector.suspects(6001.2)).toBe(false);
    expect(detector.suspects(6001.25)).toBe(true);
    // Suspicion: silence over the trusted span, 1 at the verdict.
    expect(detector.suspicion(3005 + 2996.25 / 2)).toBeCloseTo(0.5, 12);
  });

  it('reads lost heartbeats from sequence gaps without biasing the estimate', () => {
    const detector = new ChenDetector({ safetyMarginMs: 100 }, { intervalMs: 1000 });
    detector.heartbeat(0, 0);
    detector.heartbeat(1000, 1);
    detector.heartbeat(4000, 4); // 2 and 3 were lost
    expect(detector.expectedArrivalMs()).toBeCloseTo(5000, 9);
    expect(detector.explain(4000).details.lastSeq).toBe(4);
  });

  it('numbers arrivals consecutively without sequence numbers', () => {
    const detector = new ChenDetector({}, { intervalMs: 100 });
    const arrivals = [0, 100, 230, 300, 390];
    for (const t of arrivals) detector.heartbeat(t);
    expect(detector.expectedArrivalMs()).toBeCloseTo(
      expectedArrival(arrivals, [0, 1, 2, 3, 4], 100),
      9,
    );
  });

  it('keeps only the last windowSize arrivals', () => {
    const detector = new ChenDetector({ windowSize: 3 }, { intervalMs: 100 });
    const arrivals = [0, 150, 200, 310, 400, 520];
    arrivals.forEach((t, i) => detector.heartbeat(t, i));
    expect(detector.expectedArrivalMs()).toBeCloseTo(
      expectedArrival(arrivals.slice(-3), [3, 4, 5], 100),
      4,
    );
  });

  it('ignores a repeated sequence number and resyncs when the sequence goes backwards', () => {
    const detector = new ChenDetector({}, { intervalMs: 100 });
    for (let i = 0; i < 10; i++) detector.heartbeat(i * 100, i);
    const before = detector.suspectAtMs();
    detector.heartbeat(950, 9);
    expect(detector.suspectAtMs()).toBe(before);
    detector.heartbeat(1000, 0); // the sender restarted its counter
    expect(detector.explain(1000).details.samples).toBe(1);
    expect(detector.expectedArrivalMs()).toBe(1100);
  });

  it('resyncs when a sequence number leaps further than the silence explains', () => {
    const detector = new ChenDetector({}, { intervalMs: 100 });
    for (let i = 0; i < 10; i++) detector.heartbeat(i * 100, i);
    detector.heartbeat(1000, 10 + CHEN_MAX_SEQ_LEAD); // within the allowance: loss
    expect(detector.explain(1000).details.samples).toBe(11);
    detector.heartbeat(1100, 1e9);
    expect(detector.explain(1100).details.samples).toBe(1);
    expect(detector.expectedArrivalMs()).toBe(1200);
  });

  it('stays precise across long runs and huge gaps (offsets are rebased)', () => {
    const detector = new ChenDetector({}, { intervalMs: 10 });
    let t = 0;
    for (let i = 0; i < 100_000; i++) detector.heartbeat((t = i * 10 + 0.25));
    expect(detector.expectedArrivalMs() - t).toBeCloseTo(10, 6);
    t += 1e9; // a huge silence without sequence numbers shifts every offset
    detector.heartbeat(t);
    for (let i = 0; i < 40; i++) detector.heartbeat((t += 10));
    expect(detector.expectedArrivalMs() - t).toBeCloseTo(10, 3);
  });

  it('suspects at once when the last arrival was itself past EA + α, and rises from there', () => {
    const detector = new ChenDetector({ safetyMarginMs: 0, windowSize: 4 }, { intervalMs: 100 });
    for (let i = 0; i < 4; i++) detector.heartbeat(i * 100);
    detector.heartbeat(1000); // 6 intervals late: EA = mean offsets + 5·100 < 1000
    expect(detector.suspectAtMs()).toBeLessThanOrEqual(1000);
    expect(detector.suspects(1000)).toBe(true);
    expect(detector.suspicion(1000)).toBeGreaterThanOrEqual(1);
    expect(detector.suspicion(1100)).toBeGreaterThan(detector.suspicion(1000));
  });
});
